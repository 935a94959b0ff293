/*
 * t_pgbin.c - pg-stage's binary COPY encoding: numeric(17,2) from kopecks,
 * dates, COPY-text unescaping and whole tuples, byte for byte against the
 * layout PostgreSQL's receive functions read (numeric_recv: ndigits,
 * weight, sign, dscale, base-10000 digits; date_recv: days since 2000).
 */
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db/pgbin.h"
#include "tap.h"

/* hex of b's bytes */
static const char *
hex(const struct buf *b)
{
	static char s[512];
	size_t i;

	for (i = 0; i < b->len && 2 * i + 2 < sizeof s; i++) {
		static const char d[] = "0123456789abcdef";

		s[2 * i] = d[(unsigned char)b->p[i] >> 4];
		s[2 * i + 1] = d[(unsigned char)b->p[i] & 15];
	}
	s[2 * i] = '\0';
	return s;
}

static void
money(long long k, const char *want, const char *name)
{
	struct buf b = BUF_INIT;

	pgbin_money(&b, k);
	is_str(hex(&b), want, "numeric %s", name);
	buf_free(&b);
}

static void
unesc(const char *in, long wantlen, const char *want, const char *name)
{
	char out[64];
	long n = pgbin_unescape(in, strlen(in), out);

	is_int(n, wantlen, "unescape %s: length", name);
	if (n >= 0)
		ok(memcmp(out, want, (size_t)n) == 0, "unescape %s: bytes", name);
}

/* pgbin_row over a payments line; returns its result, the bytes in b */
static int
row(struct buf *b, const char *line, char *err)
{
	buf_reset(b);
	return pgbin_row(b, pgbin_entity("payments"), 1, "\0\0\0\1x", 5, line,
	    strlen(line), err, 200);
}

int
main(void)
{
	struct buf b = BUF_INIT;
	char err[200];
	int32_t d;

	/* length 8 + 2*ndigits | ndigits | weight | sign | dscale | digits */
	money(0, "00000008" "0000" "0000" "0000" "0002", "0.00: no digits");
	money(5, "0000000a" "0001" "ffff" "0000" "0002" "01f4", "0.05: one digit 500, weight -1");
	money(-5, "0000000a" "0001" "ffff" "4000" "0002" "01f4", "-0.05: the sign word");
	money(1050, "0000000c" "0002" "0000" "0000" "0002" "000a" "1388", "10.50: 10 and 5000");
	money(1000, "0000000a" "0001" "0000" "0000" "0002" "000a", "10.00: no zero fraction digit");
	money(123456789, "0000000e" "0003" "0001" "0000" "0002" "007b" "11d7" "22c4",
	    "1234567.89: 123 4567 8900");
	money(100000000, "0000000a" "0001" "0001" "0000" "0002" "0064",
	    "1000000.00: trailing zero groups stripped, weight kept");
	money(100000001, "0000000e" "0003" "0001" "0000" "0002" "0064" "0000" "0064",
	    "1000000.01: inner zero groups kept");
	money(99999999999999999LL, "00000012" "0005" "0003" "0000" "0002" "03e7" "270f"
	    "270f" "270f" "26ac", "999999999999999.99, the largest");
	money(-99999999999999999LL, "00000012" "0005" "0003" "4000" "0002" "03e7" "270f"
	    "270f" "270f" "26ac", "-999999999999999.99");

	buf_reset(&b);
	date_parse("2000-01-01", 10, &d);
	pgbin_date(&b, d);
	is_str(hex(&b), "0000000400000000", "2000-01-01 is day 0");
	buf_reset(&b);
	date_parse("1999-12-31", 10, &d);
	pgbin_date(&b, d);
	is_str(hex(&b), "00000004ffffffff", "1999-12-31 is day -1");
	buf_reset(&b);
	date_parse("2040-02-29", 10, &d);
	pgbin_date(&b, d);
	is_str(hex(&b), "000000040000394d", "2040-02-29 is day 14669");
	buf_reset(&b);
	pgbin_header(&b);
	pgbin_trailer(&b);
	is_str(hex(&b), "5047434f50590aff0d0a00" "00000000" "00000000" "ffff",
	    "header, flags, extension length, trailer");
	buf_reset(&b);
	pgbin_text(&b, "é", 2);
	pgbin_null(&b);
	pgbin_int8(&b, -2);
	is_str(hex(&b), "00000002c3a9" "ffffffff" "00000008fffffffffffffffe",
	    "text, NULL, bigint");

	unesc("a\\tb\\nc\\rd\\\\e", 9, "a\tb\nc\rd\\e", "tab, newline, CR, backslash");
	unesc("\\b\\f\\v", 3, "\b\f\v", "\\b \\f \\v");
	unesc("\\101\\1012\\7", 4, "AA2\a", "octal, at most 3 digits");
	unesc("\\x41\\x414\\xg", 5, "AA4xg", "hex, at most 2 digits; \\x alone is x");
	unesc("\\q\\.", 2, "q.", "any other byte stands for itself");
	unesc("ab\\", -1, "", "a lone backslash at the end");

	is_int(row(&b, "7\t42\tLN-1\t3\t2024-05-06\t\\N\t10.50", err), 0, "a payment line");
	is_str(hex(&b), "0008" "000000" "0178"	/* 8 fields, the 1-field prefix */
	    "00000008" "0000000000000007" "00000008" "000000000000002a"
	    "00000004" "4c4e2d31" "00000004" "00000003"
	    "00000004" "000022bc" "ffffffff"
	    "0000000c" "0002" "0000" "0000" "0002" "000a" "1388", "its tuple");
	is_int(row(&b, "7\t42\tL\\tN\t3\t2024-05-06\t\\N\t\\N", err), 0, "escaped text");
	ok(b.len > 31 && memcmp(b.p + 31, "\0\0\0\3L\tN", 7) == 0, "unescaped into the tuple");
	is_int(row(&b, "7\t42\tLN-1\t3\t2024-05-06\t\\N", err), -1, "6 fields");
	is_str(err, "6 fields, expected 7", "the message counts them");
	is_int(b.len, 0, "nothing appended on failure");
	is_int(row(&b, "7\t42\tLN-1\t3\t2024-05-06\t\\N\t1.00\t", err), -1, "8 fields");
	is_str(err, "8 fields, expected 7", "an extra tab counts");
	is_int(row(&b, "", err), -1, "an empty line");
	is_int(row(&b, "7\t42\tLN-1\t3\t2024-02-30\t\\N\t1.00", err), -1, "no such date");
	is_str(err, "payment_date: not a date YYYY-MM-DD: '2024-02-30'", "names the field");
	is_int(row(&b, "7\t42\tLN-1\t3\t2024-02-01T00:00\t\\N\t1.00", err), -1,
	    "a date with a time is not json2tsv's");
	is_int(row(&b, "7\t42\tLN-1\t2147483648\t2024-02-01\t\\N\t1.00", err), -1,
	    "integer overflow");
	is_int(row(&b, "7\t42\tLN-1\t-2147483648\t2024-02-01\t\\N\t1.00", err), 0,
	    "the least integer");
	is_int(row(&b, "7\t9223372036854775808\tLN-1\t1\t2024-02-01\t\\N\t1.00", err), -1,
	    "bigint overflow");
	is_int(row(&b, "7\t4 2\tLN-1\t1\t2024-02-01\t\\N\t1.00", err), -1, "a space in a number");
	is_int(row(&b, "7\t42\tLN-1\t1\t2024-02-01\t\\N\t1.005", err), -1, "a third decimal");
	is_int(row(&b, "7\t42\tLN-1\t1\t2024-02-01\t\\N\t1000000000000000.00", err), -1,
	    "beyond numeric(17,2)");
	is_int(row(&b, "7\t42\tLN\\\t1\t2024-02-01\t\\N\t1.00", err), -1,
	    "a lone backslash in text");
	ok(pgbin_entity("loans") != NULL && pgbin_entity("loans")->ncols == 8,
	    "loans: recno and 7 fields");
	ok(pgbin_entity("clients") != NULL && pgbin_entity("clients")->ncols == 15,
	    "clients: recno, the seed's 13 fields and email");
	/* a client line: email last, as text or NULL; a line without it is refused */
#define CLIENT "7\t42\tF\tP\tG\t1990-01-02\tE\t\\N\tJ\t\\N\t\\N\t\\N\t\\N\t1.00"
	buf_reset(&b);
	is_int(pgbin_row(&b, pgbin_entity("clients"), 0, "", 0, CLIENT "\ta@b.example",
	    strlen(CLIENT "\ta@b.example"), err, 200), 0, "a client line with an e-mail");
	ok(b.len > 15 && memcmp(b.p, "\0\17", 2) == 0 &&
	    memcmp(b.p + b.len - 15, "\0\0\0\13a@b.example", 15) == 0,
	    "15 fields, the e-mail the last, as text");
	buf_reset(&b);
	is_int(pgbin_row(&b, pgbin_entity("clients"), 0, "", 0, CLIENT "\t\\N",
	    strlen(CLIENT "\t\\N"), err, 200), 0, "a client line without an e-mail");
	ok(b.len > 4 && memcmp(b.p + b.len - 4, "\377\377\377\377", 4) == 0, "the e-mail NULL");
	buf_reset(&b);
	is_int(pgbin_row(&b, pgbin_entity("clients"), 0, "", 0, CLIENT, strlen(CLIENT),
	    err, 200), -1, "a client line of the seed's 13 fields only");
	is_str(err, "14 fields, expected 15", "json2tsv always writes the e-mail column");
#undef CLIENT
	ok(pgbin_entity("bills") == NULL, "unknown entity");
	buf_free(&b);
	return done_testing();
}
