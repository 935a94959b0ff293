/* jcheck.c - exact JSON validation over jsmn tokens (see jcheck.h). */
#include "json/jcheck.h"
#include "json/jstr.h"

static const unsigned char ws[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1};

static inline int
is_ws(char c)
{
	return ws[(unsigned char)c];
}

/* js[a..b) must be white space, optionally around exactly one `sep`. */
static inline int
gap_ok(const char *js, size_t a, size_t b, char sep)
{
	if (a == b)
		return sep == 0;
	if (a > b)
		return 0;
	while (a < b && is_ws(js[a]))
		a++;
	if (sep != 0) {
		if (a == b || js[a] != sep)
			return 0;
		a++;
		while (a < b && is_ws(js[a]))
			a++;
	}
	return a == b;
}

static int
bad(const char **why, size_t *at, const char *msg, size_t where)
{
	*why = msg;
	*at = where;
	return -1;
}

int
jcheck_record(const struct jtok *j, size_t len, const struct jcheck_limits *lim,
    const char **why, size_t *at)
{
	return jcheck_record_plain(j, len, lim, 0, why, at);
}

int
jcheck_record_plain(const struct jtok *j, size_t len, const struct jcheck_limits *lim,
    int plain, const char **why, size_t *at)
{
	const jsmntok_t *t = j->t;
	const char *js = j->js;
	size_t pos = 0;
	int cur = -1, depth = 0, just_opened = 0;

	for (int i = 0; i < j->n; i++) {
		int p = t[i].parent;
		size_t tstart = (size_t)t[i].start;
		char sep;

		/* leave the containers this token is not inside */
		while (cur != p) {
			if (cur < 0)
				return bad(why, at, "invalid JSON", tstart);
			if (t[cur].type == JSMN_OBJECT || t[cur].type == JSMN_ARRAY) {
				if (!gap_ok(js, pos, (size_t)t[cur].end - 1, 0))
					return bad(why, at, "invalid JSON (stray characters before a closing bracket)", pos);
				pos = (size_t)t[cur].end;
				depth--;
				just_opened = 0;
			}
			cur = t[cur].parent;
		}
		if (t[i].type == JSMN_STRING)
			tstart--;	/* jsmn's start is past the quote */
		if (p < 0) {
			if (i != 0)
				return bad(why, at, "invalid JSON (more than one value)", tstart);
			sep = 0;
		} else if (t[p].type == JSMN_OBJECT) {
			if (t[i].type != JSMN_STRING || t[i].size != 1 ||
			    i + 1 >= j->n || t[i + 1].parent != i)
				return bad(why, at, "invalid JSON (an object member needs a string key, ':' and a value)", tstart);
			sep = just_opened ? 0 : ',';
		} else if (t[p].type == JSMN_ARRAY) {
			sep = just_opened ? 0 : ',';
		} else if (t[p].type == JSMN_STRING) {
			sep = ':';
		} else
			return bad(why, at, "invalid JSON", tstart);
		if (!gap_ok(js, pos, tstart, sep))
			return bad(why, at, sep == ':' ? "invalid JSON (expected ':')" :
			    sep == ',' ? "invalid JSON (expected ',')" :
			    "invalid JSON (unexpected character)", pos);

		switch (t[i].type) {
		case JSMN_OBJECT:
		case JSMN_ARRAY:
			if (++depth > lim->max_depth)
				return bad(why, at, "nested too deeply", tstart);
			pos = tstart + 1;
			cur = i;
			just_opened = 1;
			break;
		case JSMN_STRING: {
			const char *w = NULL;
			long n = plain ? (long)(t[i].end - t[i].start) :
			    jstr_decode(js + t[i].start, (size_t)(t[i].end - t[i].start), NULL, &w);

			if (n < 0)
				return bad(why, at, w, tstart);
			if ((size_t)n > lim->max_string)
				return bad(why, at, "string too long", tstart);
			pos = (size_t)t[i].end + 1;
			just_opened = 0;
			if (p >= 0 && t[p].type == JSMN_OBJECT)
				cur = i;	/* a key: its value comes next */
			break;
		}
		case JSMN_PRIMITIVE:
			if (jprim_kind(js + t[i].start, (size_t)(t[i].end - t[i].start)) == JP_INVALID)
				return bad(why, at, "invalid JSON (not a number, true, false or null)", tstart);
			pos = (size_t)t[i].end;
			just_opened = 0;
			break;
		default:
			return bad(why, at, "invalid JSON", tstart);
		}
	}
	while (cur >= 0) {
		if (t[cur].type == JSMN_OBJECT || t[cur].type == JSMN_ARRAY) {
			if (!gap_ok(js, pos, (size_t)t[cur].end - 1, 0))
				return bad(why, at, "invalid JSON (stray characters before a closing bracket)", pos);
			pos = (size_t)t[cur].end;
		}
		cur = t[cur].parent;
	}
	if (j->n == 0 || !gap_ok(js, pos, len, 0))
		return bad(why, at, "invalid JSON", pos);
	return 0;
}

int
jcheck_too_deep(const char *js, size_t len, int max_depth)
{
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		switch (js[i]) {
		case '"':
			/* skip the string, honouring escapes */
			for (i++; i < len && js[i] != '"'; i++)
				if (js[i] == '\\')
					i++;
			break;
		case '[':
		case '{':
			if (++depth > max_depth)
				return 1;
			break;
		case ']':
		case '}':
			depth--;
			break;
		}
	}
	return 0;
}
