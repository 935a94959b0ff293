/*
 * sqlsplit.h - a string of SQL statements cut into its statements, the way
 * the server's lexer sees them: a ';' ends a statement unless it is inside
 * '...' or E'...' strings, "..." identifiers, -- and (nested) block comments,
 * or $tag$ dollar quotes (the bodies of DO blocks and functions).  For the
 * OVERDUE_EXPLAIN diagnostic of lib/db/db.c, which explains and runs the
 * statements of a multi-statement string one at a time.
 */
#ifndef OVERDUE_SQLSPLIT_H
#define OVERDUE_SQLSPLIT_H

#include <stddef.h>

/*
 * The next statement of sql[0..n) at or after *pos: *start and *len frame it
 * without the leading blanks and comments and without its ';' (trailing
 * blanks and comments stay).  *pos moves past it.  Returns 0 when only
 * blanks and comments are left, 1 otherwise.  An unterminated string,
 * identifier, comment or dollar quote runs to the end (the server says
 * what is wrong with it).
 */
int sql_next(const char *sql, size_t n, size_t *pos, size_t *start, size_t *len);

/* What EXPLAIN can say about a statement (by its first keywords). */
enum sql_kind {
	SQL_OTHER,	/* DDL, SET, LOCK, transaction control, ANALYZE, DO, COPY ... */
	SQL_READ,	/* SELECT (without INTO), VALUES, TABLE, a WITH of SELECTs */
	SQL_WRITE,	/* INSERT, UPDATE, DELETE, MERGE, CREATE TABLE ... AS,
			   SELECT ... INTO, a WITH around one of them */
};
enum sql_kind sql_kind(const char *stmt, size_t len);

/*
 * stmt[0..len) appended to out with each parameter $k (1 <= k <= nlit)
 * outside strings, identifiers and comments replaced by lit[k - 1] (SQL
 * text the caller made: a quoted literal, NULL); other $k stay as they are.
 */
struct buf;
void sql_bind(struct buf *out, const char *stmt, size_t len, int nlit, const char *const *lit);

#endif
