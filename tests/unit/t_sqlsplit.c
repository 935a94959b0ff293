/* t_sqlsplit.c - statements cut out of a multi-statement string, and their kinds. */
#include "buf.h"
#include "db/sqlsplit.h"
#include "tap.h"

/*
 * One case a line: the input, the statements expected (at most 4, as
 * sql_next frames them), and their kinds: O other, R read, W write.
 */
static const struct {
	const char *name, *in, *want[5], *kinds;
} cases[] = {
	{"one statement, no ';'", "SELECT 1", {"SELECT 1"}, "R"},
	{"two statements", "SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"}, "RR"},
	{"blanks, empty statements", " \n ;; INSERT INTO t VALUES (1) ;\n\n", {"INSERT INTO t VALUES (1) "}, "W"},
	{"only blanks and comments", "  -- nothing; here\n /* nor; here */ \n", {NULL}, ""},
	{"leading comments are not the statement", "-- head; note\n/* block; */ UPDATE t SET a = 1",
	    {"UPDATE t SET a = 1"}, "W"},
	{"';' in a string", "SELECT 'a;b'; DELETE FROM t", {"SELECT 'a;b'", "DELETE FROM t"}, "RW"},
	{"doubled quote in a string", "SELECT 'it''s;'; SELECT 2", {"SELECT 'it''s;'", "SELECT 2"}, "RR"},
	{"E string with \\'", "SELECT E'a\\';b'; SELECT 2", {"SELECT E'a\\';b'", "SELECT 2"}, "RR"},
	{"backslash in a plain string", "SELECT 'a\\'; SELECT 2", {"SELECT 'a\\'", "SELECT 2"}, "RR"},
	{"';' in an identifier", "SELECT 1 AS \"a;\"\"b\"; SELECT 2", {"SELECT 1 AS \"a;\"\"b\"", "SELECT 2"}, "RR"},
	{"';' in a line comment", "SELECT 1 -- x; y\n; SELECT 2", {"SELECT 1 -- x; y\n", "SELECT 2"}, "RR"},
	{"nested block comment", "SELECT /* a /* b; */ c; */ 1; SELECT 2",
	    {"SELECT /* a /* b; */ c; */ 1", "SELECT 2"}, "RR"},
	{"DO block in $$", "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$; SELECT 3",
	    {"DO $$ BEGIN PERFORM 1; PERFORM 2; END $$", "SELECT 3"}, "OR"},
	{"tagged dollar quote holding $$", "DO $x$ BEGIN RAISE NOTICE '$$;'; END $x$;ANALYZE t",
	    {"DO $x$ BEGIN RAISE NOTICE '$$;'; END $x$", "ANALYZE t"}, "OO"},
	{"$1 is a parameter, not a quote", "SELECT $1; SELECT $2::int", {"SELECT $1", "SELECT $2::int"}, "RR"},
	{"$ inside an identifier", "SELECT a$b$c; SELECT 2", {"SELECT a$b$c", "SELECT 2"}, "RR"},
	{"unterminated string runs to the end", "SELECT 'a; SELECT 2", {"SELECT 'a; SELECT 2"}, "R"},
	{"unterminated dollar quote", "DO $$ BEGIN; END", {"DO $$ BEGIN; END"}, "O"},
	{"CREATE TEMP TABLE AS WITH", "CREATE TEMP TABLE b ON COMMIT DROP AS WITH s AS (SELECT 1) SELECT * FROM s",
	    {"CREATE TEMP TABLE b ON COMMIT DROP AS WITH s AS (SELECT 1) SELECT * FROM s"}, "W"},
	{"CREATE TABLE with columns", "CREATE TABLE t (a int GENERATED ALWAYS AS (1) STORED)",
	    {"CREATE TABLE t (a int GENERATED ALWAYS AS (1) STORED)"}, "O"},
	{"CREATE VIEW AS", "CREATE VIEW v AS SELECT * FROM t", {"CREATE VIEW v AS SELECT * FROM t"}, "O"},
	{"CREATE MATERIALIZED VIEW AS", "create materialized view v as select 1",
	    {"create materialized view v as select 1"}, "W"},
	{"CREATE INDEX", "CREATE INDEX ON t (a)", {"CREATE INDEX ON t (a)"}, "O"},
	{"WITH ... INSERT", "WITH d AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM d",
	    {"WITH d AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM d"}, "W"},
	{"WITH ... SELECT", "WITH RECURSIVE r(n) AS (SELECT 1) SELECT n FROM r",
	    {"WITH RECURSIVE r(n) AS (SELECT 1) SELECT n FROM r"}, "R"},
	{"SELECT INTO", "SELECT * INTO t2 FROM t", {"SELECT * INTO t2 FROM t"}, "W"},
	{"INTO in a subquery is not SELECT INTO", "SELECT (SELECT 1) FROM t", {"SELECT (SELECT 1) FROM t"}, "R"},
	{"parenthesised SELECT", "(SELECT 1) UNION (SELECT 2)", {"(SELECT 1) UNION (SELECT 2)"}, "R"},
	{"MERGE, lower case", "merge into t using s on t.a = s.a when matched then delete",
	    {"merge into t using s on t.a = s.a when matched then delete"}, "W"},
	{"VALUES and TABLE", "VALUES (1); TABLE t", {"VALUES (1)", "TABLE t"}, "RR"},
	{"transaction control and SET", "BEGIN; SET LOCAL work_mem = '1MB'; LOCK TABLE t IN EXCLUSIVE MODE; COMMIT",
	    {"BEGIN", "SET LOCAL work_mem = '1MB'", "LOCK TABLE t IN EXCLUSIVE MODE", "COMMIT"}, "OOOO"},
	{"EXPLAIN is not explained again", "EXPLAIN SELECT 1", {"EXPLAIN SELECT 1"}, "O"},
	{"a name that is a keyword elsewhere", "SELECT \"into\" FROM t", {"SELECT \"into\" FROM t"}, "R"},
	{"non-ASCII text", "INSERT INTO t VALUES ('Дроздов; Ефрем')", {"INSERT INTO t VALUES ('Дроздов; Ефрем')"}, "W"},
};

int
main(void)
{
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const char *in = cases[c].in;
		size_t n = strlen(in), pos = 0, start, len;
		char kinds[8] = "";
		int k = 0, good = 1;

		while (k < 5 && sql_next(in, n, &pos, &start, &len)) {
			enum sql_kind kd = sql_kind(in + start, len);

			if (cases[c].want[k] == NULL || strlen(cases[c].want[k]) != len ||
			    memcmp(cases[c].want[k], in + start, len) != 0) {
				printf("#   statement %d: got \"%.*s\"\n", k + 1, (int)len, in + start);
				good = 0;
			}
			kinds[k++] = kd == SQL_WRITE ? 'W' : kd == SQL_READ ? 'R' : 'O';
		}
		if (k < 5 && cases[c].want[k] != NULL) {
			printf("#   statement %d missing: \"%s\"\n", k + 1, cases[c].want[k]);
			good = 0;
		}
		ok(good && pos == n, "split: %s", cases[c].name);
		is_str(kinds, cases[c].kinds, "kinds: %s", cases[c].name);
	}
	/* the real files: promote_clients.sql holds 6 statements, one of them a DROP */
	{
		const char *s = "-- x\nDROP TABLE IF EXISTS b;  -- the previous\n"
		    "CREATE TEMP TABLE b ON COMMIT DROP AS\nSELECT 1 AS a;\n\n"
		    "INSERT INTO q SELECT a FROM b UNION ALL SELECT 2;\n";
		size_t pos = 0, start, len, n = strlen(s);
		int k = 0;

		while (sql_next(s, n, &pos, &start, &len))
			k++;
		is_int(k, 3, "a file's statements with comments between them");
	}
	/* parameters bound as literals, for EXPLAIN: only outside quotes and comments */
	{
		static const struct {
			const char *name, *in, *want;
		} b[] = {
			{"plain", "SELECT $1::bigint, $2", "SELECT '7'::bigint, NULL"},
			{"in a string, an identifier, a comment", "SELECT '$1', \"$1\" -- $1\n, $1",
			    "SELECT '$1', \"$1\" -- $1\n, '7'"},
			{"dollar quote", "SELECT $q$ $1 $q$, $1", "SELECT $q$ $1 $q$, '7'"},
			{"$10 is not $1 then 0", "SELECT $10, $1", "SELECT $10, '7'"},
			{"inside a word", "SELECT a$1, $1", "SELECT a$1, '7'"},
			{"$0", "SELECT $0", "SELECT $0"},
		};
		const char *lit[2] = {"'7'", "NULL"};

		for (size_t k = 0; k < sizeof b / sizeof b[0]; k++) {
			struct buf out = BUF_INIT;

			sql_bind(&out, b[k].in, strlen(b[k].in), 2, lit);
			is_str(buf_cstr(&out), b[k].want, "bind: %s", b[k].name);
			buf_free(&out);
		}
	}
	return done_testing();
}
