/* t_jsonrec.c - framing records from arrays and NDJSON; jsmn wrapper. */
#include <stdlib.h>

#include "buf.h"
#include "json/jsonrec.h"
#include "json/jtok.h"
#include "tap.h"

/* Frame `in`; returns records joined by '|' and the final status ("|#0" or "|#-1"). */
static const char *
frame(const char *in, size_t max)
{
	static struct buf out = BUF_INIT;
	struct jrec_reader r;
	const char *rec;
	size_t len;
	int k;
	FILE *fp = fmemopen((void *)in, strlen(in), "r");

	buf_reset(&out);
	if (fp == NULL && strlen(in) == 0)
		fp = fopen("/dev/null", "r");
	jrec_open(&r, fp, max);
	while ((k = jrec_next(&r, &rec, &len)) == 1) {
		buf_put(&out, rec, len);
		if (r.truncated)
			buf_puts(&out, "~");
		buf_putc(&out, '|');
	}
	buf_printf(&out, "#%d", k);
	if (k < 0)
		printf("#   (%s)\n", r.err);
	jrec_close(&r);
	fclose(fp);
	return buf_cstr(&out);
}

static void
fr(const char *in, const char *want, const char *name)
{
	is_str(frame(in, 1 << 20), want, "%s", name);
}

int
main(void)
{
	fr("[\n  {\"a\":1},\n  {\"b\":2}\n]\n", "{\"a\":1}|{\"b\":2}|#0", "seed-style array");
	fr("[]", "#0", "empty array");
	fr("", "#0", "empty input");
	fr("\xEF\xBB\xBF[{\"a\":1}]", "{\"a\":1}|#0", "BOM is skipped");
	fr("{\"a\":1}\n{\"b\":2}\n", "{\"a\":1}|{\"b\":2}|#0", "NDJSON");
	fr("{\"a\":1}{\"b\":2}", "{\"a\":1}|{\"b\":2}|#0", "concatenated objects");
	fr("[{\"s\":\"]},{[\\\"\"},{\"t\":2}]", "{\"s\":\"]},{[\\\"\"}|{\"t\":2}|#0",
	    "brackets and escaped quotes inside strings");
	fr("[1, \"x\", null, {\"a\":[1,[2]]}]", "1|\"x\"|null|{\"a\":[1,[2]]}|#0", "non-object elements are framed (the caller rejects them)");
	fr("[{\"a\":1},{\"b\":2}", "{\"a\":1}|{\"b\":2}|#-1", "missing ] is a structure error");
	fr("[{\"a\":1},{\"b\":", "{\"a\":1}|#-1", "truncated record is a structure error");
	fr("[{\"a\":1} {\"b\":2}]", "{\"a\":1}|#-1", "missing comma is a structure error");
	fr("[{\"a\":1},]", "{\"a\":1}|#-1", "trailing comma is a structure error");
	fr("[{\"a\":1}] x", "{\"a\":1}|#-1", "junk after ] is a structure error");
	fr("{\"a\":\"unterminated}\n", "#-1", "unterminated string is a structure error");
	is_str(frame("[{\"a\":\"0123456789\"},{\"b\":1}]", 8), "{\"a\":\"01~|{\"b\":1}|#0",
	    "an oversized record is cut to max_record, flagged, and the stream stays in step");

	/* record numbers, offsets, lines */
	const char *in = "[\n{\"a\":1},\n{\"b\":2}\n]";
	FILE *fp = fmemopen((void *)in, strlen(in), "r");
	struct jrec_reader r;
	const char *rec;
	size_t len;
	jrec_open(&r, fp, 1024);
	jrec_next(&r, &rec, &len);
	jrec_next(&r, &rec, &len);
	ok(r.recno == 2 && r.offset == 11 && r.line == 3, "second record: recno 2, offset 11, line 3 (got %lld, %llu, %llu)",
	    r.recno, (unsigned long long)r.offset, (unsigned long long)r.line);
	jrec_close(&r);
	fclose(fp);

	/* an oversized multi-line record spanning refills: later offsets and lines stay true */
	{
		struct buf in2 = BUF_INIT;
		buf_puts(&in2, "[\n{\"a\":[\n");
		for (int i = 0; i < 400000; i++)
			buf_puts(&in2, "12345,\n");
		buf_puts(&in2, "0]},\n  {\"b\":2}\n] x");
		size_t want_off = (size_t)(strstr(in2.p, "{\"b\"") - in2.p);
		uint64_t want_line = 1;
		for (size_t k = 0; k < want_off; k++)
			want_line += in2.p[k] == '\n';
		FILE *f2 = fmemopen(in2.p, in2.len, "r");
		struct jrec_reader r2;
		const char *rec2;
		size_t len2;
		jrec_open(&r2, f2, 1000);
		int k1 = jrec_next(&r2, &rec2, &len2);
		ok(k1 == 1 && r2.truncated && len2 == 1000 && r2.offset == 2 && r2.line == 2,
		    "oversized record: cut to 1000 bytes, offset 2, line 2");
		int k2 = jrec_next(&r2, &rec2, &len2);
		ok(k2 == 1 && r2.offset == want_off && r2.line == want_line && len2 == 7,
		    "the record after it has its true offset %zu and line %llu (got %llu, %llu)",
		    want_off, (unsigned long long)want_line, (unsigned long long)r2.offset,
		    (unsigned long long)r2.line);
		int k3 = jrec_next(&r2, &rec2, &len2);
		char want_err[80];
		snprintf(want_err, sizeof want_err, "line %llu, column 3: unexpected data after the closing ']'",
		    (unsigned long long)want_line + 1);
		ok(k3 == -1 && strcmp(r2.err, want_err) == 0, "an error after it names the true line and column (%s)", r2.err);
		jrec_close(&r2);
		fclose(f2);
		buf_free(&in2);
	}

	/* a big stream crosses many buffer refills */
	struct buf big = BUF_INIT;
	buf_putc(&big, '[');
	for (int i = 0; i < 200000; i++)
		buf_printf(&big, "%s{\"id\":%d,\"s\":\"x\\\"y]\"}", i ? ",\n" : "", i);
	buf_putc(&big, ']');
	fp = fmemopen(big.p, big.len, "r");
	jrec_open(&r, fp, 1024);
	long n = 0, badrec = 0;
	struct jtok j = JTOK_INIT;
	while (jrec_next(&r, &rec, &len) == 1) {
		if (jtok_parse(&j, rec, len) < 0 || jtok_find(&j, 0, "id") < 0 ||
		    strtol(JTOK_PTR(&j, jtok_find(&j, 0, "id")), NULL, 10) != n)
			badrec++;
		n++;
	}
	ok(n == 200000 && badrec == 0, "200 000 records across refills, each tokenized (%ld, %ld bad)", n, badrec);
	jrec_close(&r);
	fclose(fp);
	buf_free(&big);

	/*
	 * Records of many sizes (up to 300 KB) over 8 MB: each must come back
	 * whole at its own offset and line while the reader steps past consumed
	 * input and compacts its buffer only when it needs room (it used to
	 * move the whole buffer down for every record: quadratic time).
	 */
	struct buf var = BUF_INIT;
	long long offs[2000];
	size_t sizes[2000];
	int nv = 0;
	buf_puts(&var, "[\n");
	while (var.len < (8u << 20) && nv < 2000) {
		size_t sz = (size_t)((nv * 7919) % 300000) + 10;
		if (nv > 0)
			buf_puts(&var, ",\n");
		offs[nv] = (long long)var.len;
		sizes[nv] = sz;
		buf_puts(&var, "{\"s\":\"");
		for (size_t k = 0; k < sz; k++)
			buf_putc(&var, (char)('a' + (k + (size_t)nv) % 26));
		buf_puts(&var, "\"}");
		nv++;
	}
	buf_puts(&var, "\n]\n");
	fp = fmemopen(var.p, var.len, "r");
	jrec_open(&r, fp, 1 << 20);
	int good = 0, got = 0;
	while (jrec_next(&r, &rec, &len) == 1) {
		if (got < nv && r.offset == (uint64_t)offs[got] && len == sizes[got] + 8 &&
		    memcmp(rec, var.p + offs[got], len) == 0 && r.line == (uint64_t)got + 2)
			good++;
		got++;
	}
	ok(got == nv && good == nv, "%d records of up to 300 KB: bytes, offsets and lines right (%d good of %d)",
	    nv, good, got);
	jrec_close(&r);
	fclose(fp);
	buf_free(&var);

	/*
	 * The framer scans strings eight bytes at a time: a string, an escape
	 * (\" and \\), a non-ASCII byte or a raw newline placed at every offset
	 * around the 1 MiB read boundary must still be framed whole, with the
	 * right plain flag, depth and line numbers.
	 */
	static const struct { const char *s; int plain; } probe[] = {
		{"abcdefghijklmnopqrstuvwxyz0123456789", 1},
		{"ab\\\"cd\\\\\\\"ef]}{[gh", 0},
		{"\xD0\x96\xD0\xB5\xD0\xBD\xD1\x89\xD0\xB8\xD0\xBD\xD0\xB0 x", 0},
		{"raw\nnewline", 0},
		{"tab\there", 0},
		{"del\x7f is plain", 1},
	};
	int edge_bad = 0, edge_n = 0;
	for (size_t p = 0; p < sizeof probe / sizeof probe[0]; p++) {
		for (int shift = 0; shift < 48; shift++) {
			struct buf e = BUF_INIT;
			size_t want_off, reclen;
			const size_t edge = (size_t)1 << 20;
			long long want_line;

			/* line 1 "[", then padding lines, then the probe record at edge - shift */
			buf_puts(&e, "[\n");
			while (e.len + 40 < edge - (size_t)shift - 20)
				buf_puts(&e, "{\"k\":\"0123456789012345678901\"},\n");
			while (e.len < edge - (size_t)shift - 20)
				buf_putc(&e, ' ');
			want_off = e.len;
			want_line = 1;
			for (size_t k = 0; k < e.len; k++)
				want_line += e.p[k] == '\n';
			buf_printf(&e, "{\"k\":[{\"s\":\"%s\"}],\"t\":1}", probe[p].s);
			reclen = e.len - want_off;
			buf_puts(&e, ",\n{\"after\":true}\n] x");
			fp = fmemopen(e.p, e.len, "r");
			jrec_open(&r, fp, 1 << 20);
			int k, found = 0, after = 0;
			while ((k = jrec_next(&r, &rec, &len)) == 1) {
				if (r.offset == want_off) {
					found = len == reclen && memcmp(rec, e.p + want_off, len) == 0 &&
					    r.line == (uint64_t)want_line && r.plain == probe[p].plain &&
					    r.maxdepth == 3;
				} else if (found && len == 14 && memcmp(rec, "{\"after\":true}", 14) == 0)
					after = r.line == (uint64_t)want_line + 1 + (probe[p].s[3] == '\n');
			}
			/* the junk after ']' is reported on the last line, at column 3 */
			char want_err[64];
			snprintf(want_err, sizeof want_err, "line %lld, column 3:",
			    want_line + 2 + (probe[p].s[3] == '\n'));
			if (!found || !after || k != -1 || strncmp(r.err, want_err, strlen(want_err)) != 0) {
				edge_bad++;
				printf("#   probe %zu shift %d: found %d after %d k %d err %s\n", p, shift,
				    found, after, k, r.err);
			}
			edge_n++;
			jrec_close(&r);
			fclose(fp);
			buf_free(&e);
		}
	}
	ok(edge_bad == 0, "strings, escapes, UTF-8 and raw newlines across the read boundary: "
	    "bytes, flags, depth, lines and error column right (%d of %d bad)", edge_bad, edge_n);

	const char *obj = "{\"a\":{\"x\":1},\"b\":[1,2],\"c\":\"v\"}";
	ok(jtok_parse(&j, obj, strlen(obj)) > 0, "tokenizes an object");
	int c = jtok_find(&j, 0, "c");
	ok(c > 0 && JTOK_LEN(&j, c) == 1 && *JTOK_PTR(&j, c) == 'v', "finds a key after nested values");
	is_int(jtok_find(&j, 0, "x"), -1, "does not find nested keys at the top level");
	ok(jtok_parse(&j, "{}{}", 4) < 0, "two values in one record are rejected");
	ok(jtok_parse(&j, "{\"a\":1", 6) < 0, "an incomplete record is rejected");
	jtok_free(&j);
	return done_testing();
}
