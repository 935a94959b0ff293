/* t_jstr.c - JSON string decoding, primitives and the exact record check. */
#include <stdlib.h>

#include "buf.h"
#include "json/jcheck.h"
#include "json/jstr.h"
#include "json/jtok.h"
#include "tap.h"

/* Decoded text, or "ERR: why". */
static const char *
dec(const char *s)
{
	static struct buf b = BUF_INIT;
	const char *why;
	long n;

	buf_reset(&b);
	n = jstr_decode(s, strlen(s), &b, &why);
	if (n < 0) {
		buf_reset(&b);
		buf_printf(&b, "ERR: %s", why);
	} else if ((size_t)n != b.len)
		return "length mismatch";
	return buf_cstr(&b);
}

static int
bad(const char *s, size_t n)
{
	const char *why;

	return jstr_decode(s, n, NULL, &why) < 0;
}

/* 0 valid, -1 invalid (or untokenizable). */
static int
check(const char *js)
{
	static struct jtok j = JTOK_INIT;
	struct jcheck_limits lim = {64, 1 << 20};
	const char *why;
	size_t at;

	if (jtok_parse(&j, js, strlen(js)) < 0)
		return -1;
	return jcheck_record(&j, strlen(js), &lim, &why, &at);
}

int
main(void)
{
	/* strings */
	is_str(dec("plain"), "plain", "plain ASCII");
	is_str(dec(""), "", "empty string");
	is_str(dec("a\\\"b\\\\c\\/d"), "a\"b\\c/d", "quote, backslash, slash escapes");
	is_str(dec("\\b\\f\\n\\r\\t"), "\b\f\n\r\t", "control escapes");
	is_str(dec("\\u0041\\u00e9\\u20AC"), "A\xC3\xA9\xE2\x82\xAC", "\\u escapes to 1, 2 and 3 byte UTF-8");
	is_str(dec("\\ud83d\\ude00"), "\xF0\x9F\x98\x80", "surrogate pair joined to one 4-byte character");
	is_str(dec("\xD0\x96\xD0\xB5\xD0\xBD"), "\xD0\x96\xD0\xB5\xD0\xBD", "raw UTF-8 Cyrillic passes");
	is_str(dec("x\\ud83d"), "ERR: lone high surrogate in a \\u escape", "lone high surrogate at the end");
	is_str(dec("\\ud83dx"), "ERR: lone high surrogate in a \\u escape", "high surrogate followed by text");
	is_str(dec("\\ud83d\\u0041"), "ERR: lone high surrogate in a \\u escape", "high surrogate followed by a non-surrogate");
	is_str(dec("\\ude00"), "ERR: lone low surrogate in a \\u escape", "lone low surrogate");
	is_str(dec("a\\u0000b"), "ERR: \\u0000 (NUL) cannot be stored in a text column", "\\u0000 rejected");
	is_str(dec("\\u12"), "ERR: bad \\u escape (needs 4 hex digits)", "short \\u escape");
	is_str(dec("\\u12g4"), "ERR: bad \\u escape (needs 4 hex digits)", "non-hex \\u escape");
	is_str(dec("\\x41"), "ERR: unknown escape in a string", "unknown escape");
	is_str(dec("a\\"), "ERR: backslash at the end of a string", "dangling backslash");
	is_str(dec("a\tb"), "ERR: raw control character in a string (must be escaped)", "raw tab");
	is_str(dec("a\nb"), "ERR: raw control character in a string (must be escaped)", "raw newline");
	ok(bad("a\0b", 3), "raw NUL byte");
	ok(bad("\xC3", 1), "truncated 2-byte sequence");
	ok(bad("\xC0\xAF", 2), "overlong 2-byte form");
	ok(bad("\xE0\x80\xAF", 3), "overlong 3-byte form");
	ok(bad("\xED\xA0\x80", 3), "UTF-8 encoded surrogate");
	ok(bad("\xF4\x90\x80\x80", 4), "beyond U+10FFFF");
	ok(bad("\xFF", 1), "0xFF byte");
	ok(bad("\x80", 1), "stray continuation byte");
	ok(!bad("\xF4\x8F\xBF\xBF", 4), "U+10FFFF is valid");
	ok(!bad("\x7F", 1), "DEL is not a control character in JSON");

	/* primitives */
	const char *nums[] = {"0", "-0", "12", "12.5", "1.0", "1e5", "1E+5", "1.5e-3", "-12.30", "1262304000000"};
	for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
		is_int(jprim_kind(nums[i], strlen(nums[i])), JP_NUMBER, "number %s", nums[i]);
	const char *nots[] = {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity",
	    "thanx", "tru", "truee", "nul", "True", "1 ", "--1", "1.5.2"};
	for (size_t i = 0; i < sizeof nots / sizeof *nots; i++)
		is_int(jprim_kind(nots[i], strlen(nots[i])), JP_INVALID, "not a primitive: '%s'", nots[i]);
	is_int(jprim_kind("true", 4), JP_TRUE, "true");
	is_int(jprim_kind("false", 5), JP_FALSE, "false");
	is_int(jprim_kind("null", 4), JP_NULL, "null");

	/* sanitize for messages */
	struct buf sb = BUF_INIT;
	jstr_sanitize(&sb, "a\xFF" "b\0c\xD0\x96", 7);
	is_str(buf_cstr(&sb), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xD0\x96", "invalid bytes and NUL become U+FFFD");
	buf_free(&sb);

	/* records: what jsmn lets through must not pass */
	is_int(check("{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{}}"), 0, "a valid record");
	is_int(check(" {\"a\" : 1 , \"b\" : [ ] } "), 0, "white space everywhere it may be");
	is_int(check("[ thanx ]"), -1, "[ thanx ]");
	is_int(check("{\"a\" ::: \"b\"}"), -1, "{\"a\" ::: \"b\"}");
	is_int(check("{\"a\":1,}"), -1, "trailing comma in an object");
	is_int(check("[1,]"), -1, "trailing comma in an array");
	is_int(check("[,1]"), -1, "leading comma in an array");
	is_int(check("{\"a\":1 \"b\":2}"), -1, "missing comma between members");
	is_int(check("[1 2]"), -1, "missing comma between elements");
	is_int(check("{\"a\":01}"), -1, "leading zero");
	is_int(check("{\"a\":\"\\ud800\"}"), -1, "lone surrogate inside a record");
	is_int(check("{\"a\\u0000\":1}"), -1, "NUL in a key");
	is_int(check("{\"a\":[[[[[[1]]]]]]}"), 0, "shallow nesting is fine");

	/* depth */
	struct buf deep = BUF_INIT;
	buf_puts(&deep, "{\"a\":");
	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, ']');
	buf_putc(&deep, '}');
	ok(jcheck_too_deep(deep.p, deep.len, 64), "100 000 levels are too deep (found without tokenizing)");
	ok(!jcheck_too_deep("{\"a\":\"[[[[[[[[[[[[\"}", 19, 4), "brackets inside strings do not count");
	ok(!jcheck_too_deep("{\"a\":\"\\\"[[[[[[[[[[\"}", 20, 4), "nor after an escaped quote");
	is_int(check("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"),
	    -1, "jcheck_record also enforces the depth limit");
	buf_free(&deep);

	/* string length limit */
	struct jtok j = JTOK_INIT;
	struct jcheck_limits lim = {64, 8};
	const char *why;
	size_t at;
	const char *rec = "{\"a\":\"123456789\"}";
	jtok_parse(&j, rec, strlen(rec));
	is_int(jcheck_record(&j, strlen(rec), &lim, &why, &at), -1, "string over the limit");
	is_str(why, "string too long", "reason names the limit");
	rec = "{\"a\":\"\\u0041\\u0041\\u0041\\u0041\\u0041\\u0041\\u0041\\u0041\"}";
	jtok_parse(&j, rec, strlen(rec));
	is_int(jcheck_record(&j, strlen(rec), &lim, &why, &at), 0, "the limit counts decoded bytes");
	jtok_free(&j);
	return done_testing();
}
