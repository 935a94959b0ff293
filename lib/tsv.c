/* tsv.c - COPY text escaping. */
#include <string.h>

#include "tsv.h"

void
tsv_escape(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	buf_reserve(b, n);
	for (i = 0; i < n; i++) {
		char e;

		switch (s[i]) {
		case '\\': e = '\\'; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		default: continue;
		}
		buf_put(b, s + run, i - run);
		buf_putc(b, '\\');
		buf_putc(b, e);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

void
tsv_null(struct buf *b)
{
	buf_put(b, "\\N", 2);
}

int
tsv_is_null(const char *s, size_t n)
{
	return n == 2 && s[0] == '\\' && s[1] == 'N';
}

long
tsv_unescape(char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			s[o++] = s[i];
			continue;
		}
		if (++i == n)
			return -1;
		switch (s[i]) {
		case '\\': s[o++] = '\\'; break;
		case 't': s[o++] = '\t'; break;
		case 'n': s[o++] = '\n'; break;
		case 'r': s[o++] = '\r'; break;
		default: return -1;
		}
	}
	return (long)o;
}

int
tsv_split(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *t = strchr(s, '\t');

		if (n < max)
			f[n] = s;
		n++;
		if (t == NULL)
			return n;
		*t = '\0';
		s = t + 1;
	}
}
