/* sqlsplit.c - SQL statements of a multi-statement string (see sqlsplit.h). */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "db/sqlsplit.h"

enum tok { T_END, T_BLANK, T_WORD, T_QUOTED, T_SEMI, T_OPEN, T_CLOSE, T_CHAR };

static int
word_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int
word_char(unsigned char c)
{
	return word_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/* past a quoted run opened at s[i] by q ('\'' or '"'); a doubled q stays inside */
static size_t
quoted(const char *s, size_t n, size_t i, char q, int backslash)
{
	for (i++; i < n; i++) {
		if (backslash && s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return n;
}

/* the length of the $tag$ opening at s[i], or 0 when s[i] opens none ($1) */
static size_t
dollar_tag(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	if (j < n && word_start((unsigned char)s[j]))
		while (j < n && word_char((unsigned char)s[j]) && s[j] != '$')
			j++;
	return j < n && s[j] == '$' ? j + 1 - i : 0;
}

/* The token at s[i]: its kind, and *end past it. */
static enum tok
lex(const char *s, size_t n, size_t i, size_t *end)
{
	unsigned char c;
	size_t t;

	if (i >= n) {
		*end = n;
		return T_END;
	}
	c = (unsigned char)s[i];
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
		*end = i + 1;
		return T_BLANK;
	}
	if (c == '-' && i + 1 < n && s[i + 1] == '-') {
		while (i < n && s[i] != '\n')
			i++;
		*end = i;
		return T_BLANK;
	}
	if (c == '/' && i + 1 < n && s[i + 1] == '*') {
		int depth = 0;

		while (i < n) {
			if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
				depth++;
				i += 2;
			} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
				i += 2;
				if (--depth == 0)
					break;
			} else
				i++;
		}
		*end = i;
		return T_BLANK;
	}
	if (c == '\'' || c == '"') {
		*end = quoted(s, n, i, (char)c, 0);
		return T_QUOTED;
	}
	if (c == '$' && (t = dollar_tag(s, n, i)) > 0) {
		/* the body runs to the same tag */
		for (size_t j = i + t; j + t <= n; j++)
			if (s[j] == '$' && memcmp(s + j, s + i, t) == 0) {
				*end = j + t;
				return T_QUOTED;
			}
		*end = n;
		return T_QUOTED;
	}
	if (word_start(c)) {
		size_t j = i;

		while (j < n && word_char((unsigned char)s[j]))
			j++;
		/* E'...': a string with backslash escapes */
		if (j == i + 1 && (c == 'E' || c == 'e') && j < n && s[j] == '\'') {
			*end = quoted(s, n, j, '\'', 1);
			return T_QUOTED;
		}
		*end = j;
		return T_WORD;
	}
	*end = i + 1;
	return c == ';' ? T_SEMI : c == '(' ? T_OPEN : c == ')' ? T_CLOSE : T_CHAR;
}

int
sql_next(const char *sql, size_t n, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos, end;
	enum tok t;

	/* leading blanks, comments and empty statements */
	while ((t = lex(sql, n, i, &end)) == T_BLANK || t == T_SEMI)
		i = end;
	if (t == T_END) {
		*pos = n;
		return 0;
	}
	*start = i;
	while ((t = lex(sql, n, i, &end)) != T_END && t != T_SEMI)
		i = end;
	*len = i - *start;
	*pos = end;
	return 1;
}

/* the words outside parentheses, up to max of them, as (offset, length) */
static int
top_words(const char *s, size_t n, size_t w[][2], int max)
{
	size_t i = 0, end;
	int depth = 0, k = 0;
	enum tok t;

	while (k < max && (t = lex(s, n, i, &end)) != T_END && t != T_SEMI) {
		if (t == T_OPEN)
			depth++;
		else if (t == T_CLOSE && depth > 0)
			depth--;
		else if (t == T_WORD && depth == 0) {
			w[k][0] = i;
			w[k][1] = end - i;
			k++;
		}
		i = end;
	}
	return k;
}

static int
is(const char *s, const size_t w[2], const char *word)
{
	return w[1] == strlen(word) && strncasecmp(s + w[0], word, w[1]) == 0;
}

enum sql_kind
sql_kind(const char *s, size_t n)
{
	size_t w[256][2], i = 0, end;
	int k, v = 0;
	enum tok t;

	/* a statement may open with parentheses: (SELECT ...) UNION ... */
	while ((t = lex(s, n, i, &end)) == T_BLANK || t == T_OPEN)
		i = end;
	if (t != T_WORD)
		return SQL_OTHER;
	k = top_words(s + i, n - i, w, 256);
	if (k == 0)
		return SQL_OTHER;
	if (is(s + i, w[0], "with")) {
		/* the verb after the common table expressions (each in parentheses) */
		for (v = 1; v < k; v++)
			if (is(s + i, w[v], "select") || is(s + i, w[v], "insert") ||
			    is(s + i, w[v], "update") || is(s + i, w[v], "delete") ||
			    is(s + i, w[v], "merge") || is(s + i, w[v], "values") ||
			    is(s + i, w[v], "table"))
				break;
		if (v == k)
			return SQL_OTHER;
	}
	if (is(s + i, w[v], "insert") || is(s + i, w[v], "update") ||
	    is(s + i, w[v], "delete") || is(s + i, w[v], "merge"))
		return SQL_WRITE;
	if (is(s + i, w[v], "select")) {
		for (int j = v + 1; j < k; j++)
			if (is(s + i, w[j], "into"))
				return SQL_WRITE;
		return SQL_READ;
	}
	if (is(s + i, w[v], "values") || is(s + i, w[v], "table"))
		return SQL_READ;
	if (is(s + i, w[0], "create")) {
		/* CREATE [TEMP] TABLE ... AS, CREATE MATERIALIZED VIEW ... AS */
		int table = 0;

		for (int j = 1; j < k; j++) {
			if (is(s + i, w[j], "table") || is(s + i, w[j], "materialized"))
				table = 1;
			else if (is(s + i, w[j], "as"))
				return table ? SQL_WRITE : SQL_OTHER;
			else if (is(s + i, w[j], "view") && !table)
				return SQL_OTHER;
		}
	}
	return SQL_OTHER;
}

void
sql_bind(struct buf *out, const char *s, size_t n, int nlit, const char *const *lit)
{
	size_t i = 0, end;
	enum tok t;

	while ((t = lex(s, n, i, &end)) != T_END) {
		if (t == T_CHAR && s[i] == '$' && end < n && s[end] >= '0' && s[end] <= '9') {
			size_t j = end;
			long k = 0;

			while (j < n && s[j] >= '0' && s[j] <= '9' && k < 100000)
				k = k * 10 + (s[j++] - '0');
			if (k >= 1 && k <= nlit) {
				buf_puts(out, lit[k - 1]);
				i = j;
				continue;
			}
		}
		buf_put(out, s + i, end - i);
		i = end;
	}
}
