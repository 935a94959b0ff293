/* jstr.c - JSON string decoding and primitive checks (see jstr.h). */
#include <string.h>

#include "json/jstr.h"

/* Length of the valid UTF-8 sequence at s[0..n) (lead byte >= 0x80), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;	/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;	/* no UTF-16 surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;	/* nothing above U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

static int
hex4(const unsigned char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t
put_utf8(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

long
jstr_decode(const char *str, size_t n, struct buf *out, const char **why)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, len = 0;

	/* the decoded text is never longer than the escaped text */
	if (out != NULL)
		buf_reserve(out, n);
	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x80 && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t k = utf8_len(s + i, n - i);

			if (k == 0) {
				*why = "invalid UTF-8";
				return -1;
			}
			i += k;
			continue;
		}
		if (c < 0x20) {
			*why = "raw control character in a string (must be escaped)";
			return -1;
		}
		/* a backslash escape: flush the plain run before it */
		if (out != NULL)
			buf_put(out, s + run, i - run);
		len += i - run;
		if (i + 1 >= n) {
			*why = "backslash at the end of a string";
			return -1;
		}
		unsigned char e = s[i + 1], tmp[4];
		size_t k = 1;

		switch (e) {
		case '"': tmp[0] = '"'; break;
		case '\\': tmp[0] = '\\'; break;
		case '/': tmp[0] = '/'; break;
		case 'b': tmp[0] = '\b'; break;
		case 'f': tmp[0] = '\f'; break;
		case 'n': tmp[0] = '\n'; break;
		case 'r': tmp[0] = '\r'; break;
		case 't': tmp[0] = '\t'; break;
		case 'u': {
			unsigned cp, lo;

			if (i + 6 > n || hex4(s + i + 2, &cp) != 0) {
				*why = "bad \\u escape (needs 4 hex digits)";
				return -1;
			}
			if (cp == 0) {
				*why = "\\u0000 (NUL) cannot be stored in a text column";
				return -1;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				*why = "lone low surrogate in a \\u escape";
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u' ||
				    hex4(s + i + 8, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
					*why = "lone high surrogate in a \\u escape";
					return -1;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			}
			i += 4;
			k = put_utf8(tmp, cp);
			break;
		}
		default:
			*why = "unknown escape in a string";
			return -1;
		}
		if (out != NULL)
			buf_put(out, tmp, k);
		len += k;
		i += 2;
		run = i;
	}
	if (out != NULL)
		buf_put(out, s + run, n - run);
	len += n - run;
	return (long)len;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
jnum_valid(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n || !isdig(s[i]))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (i < n && isdig(s[i]))
			i++;
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || !isdig(s[i]))
			return 0;
		while (i < n && isdig(s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !isdig(s[i]))
			return 0;
		while (i < n && isdig(s[i]))
			i++;
	}
	return i == n;
}

enum jprim
jprim_kind(const char *s, size_t n)
{
	if (n == 4 && memcmp(s, "true", 4) == 0)
		return JP_TRUE;
	if (n == 5 && memcmp(s, "false", 5) == 0)
		return JP_FALSE;
	if (n == 4 && memcmp(s, "null", 4) == 0)
		return JP_NULL;
	return jnum_valid(s, n) ? JP_NUMBER : JP_INVALID;
}

void
jstr_sanitize(struct buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	buf_reserve(out, n);
	while (i < n) {
		size_t k;

		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		k = s[i] == 0 ? 0 : utf8_len(s + i, n - i);
		if (k != 0) {
			i += k;
			continue;
		}
		buf_put(out, s + run, i - run);
		buf_put(out, "\xEF\xBF\xBD", 3);
		run = ++i;
	}
	buf_put(out, s + run, n - run);
}
