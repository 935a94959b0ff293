/* t_dash - the dashboard page's assembly: markers replaced, the data
 * gzip-compressed and base64-encoded so that decoding gives it back. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "report/dash.h"
#include "tap.h"

static int
b64val(int c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* decode base64 text (no whitespace) into out; returns the length or -1 */
static long
unbase64(const char *s, size_t n, unsigned char *out)
{
	long o = 0;

	if (n % 4 != 0)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];

		for (int j = 0; j < 4; j++)
			v[j] = s[i + j] == '=' ? 0 : b64val(s[i + j]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			return -1;
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (s[i + 2] != '=')
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (s[i + 3] != '=')
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return o;
}

/* the page written for tmpl and json, in a malloc'd string */
static char *
page(const char *tmpl, const char *css, const char *js, const char *json, size_t n)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);

	dash_page(tmpl, css, js, json, n, f);
	fclose(f);
	return p;
}

/* the data between "<d>" and "</d>" in p, decoded and gunzipped, compared with json */
static int
roundtrip(const char *p, const char *json, size_t n)
{
	const char *a = strstr(p, "<d>"), *e = a ? strstr(a, "</d>") : NULL;
	unsigned char *z, *out;
	long zn;
	z_stream s = {0};
	int ok;

	if (a == NULL || e == NULL)
		return 0;
	a += 3;
	z = malloc((size_t)(e - a) + 4);
	out = malloc(n + 16);
	zn = unbase64(a, (size_t)(e - a), z);
	if (zn < 0 || inflateInit2(&s, 15 + 16) != Z_OK) {
		free(z);
		free(out);
		return 0;
	}
	s.next_in = z;
	s.avail_in = (unsigned)zn;
	s.next_out = out;
	s.avail_out = (unsigned)n + 16;
	ok = inflate(&s, Z_FINISH) == Z_STREAM_END && s.total_out == n && memcmp(out, json, n) == 0;
	inflateEnd(&s);
	free(z);
	free(out);
	return ok;
}

int
main(void)
{
	const char *tmpl = "<html><style>/*@CSS@*/</style><d>@DATA@</d><script>/*@JS@*/</script></html>\n";
	char *p;
	struct buf big = BUF_INIT;

	p = page(tmpl, "b{c:d}", "let x = 1;", "{\"v\":1}", 7);
	ok(strncmp(p, "<html><style>b{c:d}</style><d>", 30) == 0, "the CSS replaces its marker");
	ok(strstr(p, "<script>let x = 1;</script></html>\n") != NULL, "the JS replaces its marker");
	ok(strstr(p, "@DATA@") == NULL && strstr(p, "@CSS@") == NULL, "no marker is left");
	ok(roundtrip(p, "{\"v\":1}", 7), "the data decodes back (base64, gunzip)");
	free(p);

	/* data that crosses the compressor's output buffer many times, with
	 * text that must never reach the page raw */
	for (int i = 0; i < 200000; i++)
		buf_printf(&big, "{\"fio\":\"</script><img src=x onerror=alert(%d)>\"}", i * 7919 % 100003);
	p = page(tmpl, "", "", big.p, big.len);
	ok(strstr(p, "</script><img") == NULL, "data text never appears raw in the page");
	ok(roundtrip(p, big.p, big.len), "%zu bytes of data decode back", big.len);
	free(p);
	buf_free(&big);

	p = page("no markers", "x", "y", "", 0);
	is_str(p, "no markers", "a template without markers is copied as it is");
	free(p);
	return done_testing();
}
