/* t_tsv.c - COPY text escaping and buffers. */
#include <stdlib.h>

#include "buf.h"
#include "tsv.h"
#include "tap.h"

static void
esc(const char *in, size_t n, const char *want, const char *name)
{
	struct buf b = BUF_INIT;

	tsv_escape(&b, in, n);
	is_str(buf_cstr(&b), want, "escape %s", name);
	/* and back */
	long m = tsv_unescape(b.p, b.len);
	ok(m == (long)n && memcmp(b.p, in, n) == 0, "unescape %s restores the bytes", name);
	buf_free(&b);
}

int
main(void)
{
	esc("plain", 5, "plain", "plain text");
	esc("a\tb", 3, "a\\tb", "tab");
	esc("a\nb", 3, "a\\nb", "newline");
	esc("a\rb", 3, "a\\rb", "CR");
	esc("a\\b", 3, "a\\\\b", "backslash");
	esc("\\N", 2, "\\\\N", "a literal \\N is not NULL");
	esc("Дроздов Ефрем", strlen("Дроздов Ефрем"), "Дроздов Ефрем", "non-ASCII passes through");
	esc("<script>\t\n\\", 11, "<script>\\t\\n\\\\", "mixed");
	esc("", 0, "", "empty");

	struct buf b = BUF_INIT;
	tsv_null(&b);
	ok(tsv_is_null(b.p, b.len), "\\N is NULL");
	buf_free(&b);
	char bad1[] = "a\\";
	is_int(tsv_unescape(bad1, 2), -1, "trailing backslash is malformed");
	char bad2[] = "a\\x";
	is_int(tsv_unescape(bad2, 3), -1, "unknown escape is malformed");

	/* splitting a row: every field counted, only max kept */
	{
		char row[] = "1\tx\t\tlast", two[] = "a\tb\tc";
		char *f[4];

		is_int(tsv_split(row, f, 4), 4, "four fields, the empty one counted");
		ok(strcmp(f[0], "1") == 0 && strcmp(f[2], "") == 0 && strcmp(f[3], "last") == 0,
		    "fields split in place");
		is_int(tsv_split(two, f, 2), 3, "more fields than max: all counted");
		ok(strcmp(f[0], "a") == 0 && strcmp(f[1], "b") == 0, "... the first max kept");
	}

	/* buffers grow without losing bytes */
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_printf(&b, "%d", 42);
	ok(b.len == 100002 && b.p[25] == 'z' && memcmp(b.p + 100000, "42", 2) == 0,
	    "buffer grows to 100 002 bytes intact");
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	buf_free(&b);
	return done_testing();
}
