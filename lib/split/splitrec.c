/* splitrec.c - read the few fields json-split needs and re-emit a record in
 * the seed's layout (see split.h). */
#include <stdarg.h>
#include <string.h>

#include "date.h"
#include "split/split.h"
#include "util.h"

static int
bad(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* A JSON number, true, false or null (jsmn does not check them). */
static int
valid_primitive(const char *p, size_t n)
{
	size_t i = 0;

	if ((n == 4 && memcmp(p, "true", 4) == 0) || (n == 5 && memcmp(p, "false", 5) == 0) ||
	    (n == 4 && memcmp(p, "null", 4) == 0))
		return 1;
	if (i < n && p[i] == '-')
		i++;
	if (i >= n || !isdig(p[i]))
		return 0;
	if (p[i] == '0')
		i++;
	else
		while (i < n && isdig(p[i]))
			i++;
	if (i < n && p[i] == '.') {
		if (++i >= n || !isdig(p[i]))
			return 0;
		while (i < n && isdig(p[i]))
			i++;
	}
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		if (++i < n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= n || !isdig(p[i]))
			return 0;
		while (i < n && isdig(p[i]))
			i++;
	}
	return i == n;
}

/* Every primitive inside tokens [from, to) must be valid JSON. */
static int
check_tokens(const struct jtok *j, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		if (j->t[i].type == JSMN_PRIMITIVE &&
		    !valid_primitive(JTOK_PTR(j, i), JTOK_LEN(j, i)))
			return i;
	return -1;
}

/*
 * Append the canonical key text of value token v: strings as their (still
 * escaped) content, numbers as written but with an all-zero fraction dropped
 * (the seed writes whole numbers as 17.0 in places).  0 when v is null or
 * not a scalar.
 */
static int
put_key(struct buf *b, const struct jtok *j, int v)
{
	const char *p = JTOK_PTR(j, v);
	size_t n = JTOK_LEN(j, v), k;

	if (j->t[v].type == JSMN_STRING) {
		buf_putc(b, 's');
		buf_put(b, p, n);
		return 1;
	}
	if (j->t[v].type != JSMN_PRIMITIVE || p[0] == 'n' || p[0] == 't' || p[0] == 'f')
		return 0;
	for (k = 0; k < n && p[k] != '.' && p[k] != 'e' && p[k] != 'E'; k++)
		;
	if (k < n && p[k] == '.') {
		size_t z = k + 1;

		while (z < n && p[z] == '0')
			z++;
		if (z == n)
			n = k;		/* 17.0 -> 17 */
	}
	buf_putc(b, 'n');
	buf_put(b, p, n);
	return 1;
}

static int
is_key(const struct jtok *j, int k, const char *name)
{
	size_t n = strlen(name);

	return JTOK_LEN(j, k) == n && memcmp(JTOK_PTR(j, k), name, n) == 0;
}

/* The text of a value token as written (strings with their quotes). */
static void
put_value(struct buf *b, const struct jtok *j, int v)
{
	const jsmntok_t *t = &j->t[v];

	if (t->type == JSMN_STRING)
		buf_put(b, j->js + t->start - 1, (size_t)(t->end - t->start) + 2);
	else
		buf_put(b, j->js + t->start, (size_t)(t->end - t->start));
}

int
split_record(struct jtok *j, const char *rec, size_t len, struct buf *out,
    struct splitrec *r, char *err, size_t errsz)
{
	int n, end, k, v, cid = -1, lname = -1, start = -1, nmem = 0;

	r->entity = -1;
	buf_reset(&r->key);
	r->cidlen = 0;
	r->has_loan = 0;
	r->has_day = 0;
	r->day = 0;

	n = jtok_parse(j, rec, len);
	if (n < 0)
		return bad(err, errsz, n == JSMN_ERROR_PART ? "incomplete JSON record" :
		    "invalid JSON record");
	if (j->t[0].type != JSMN_OBJECT)
		return bad(err, errsz, "a record must be a JSON object");
	if ((k = check_tokens(j, 1, n)) >= 0)
		return bad(err, errsz, "invalid JSON value '%.*s'",
		    (int)(JTOK_LEN(j, k) > 40 ? 40 : JTOK_LEN(j, k)), JTOK_PTR(j, k));

	buf_put(out, "  {", 3);
	end = jtok_skip(j, 0);
	for (k = 1; k < end; k = jtok_skip(j, v)) {
		v = k + 1;
		if (j->t[k].type != JSMN_STRING || v >= end)
			return bad(err, errsz, "an object member without a string key");
		if (is_key(j, k, "_entity")) {
			if (j->t[v].type == JSMN_STRING && is_key(j, v, "client"))
				r->entity = SPLIT_CLIENT;
			else if (j->t[v].type == JSMN_STRING && is_key(j, v, "loan"))
				r->entity = SPLIT_LOAN;
			else if (j->t[v].type == JSMN_STRING && is_key(j, v, "payment"))
				r->entity = SPLIT_PAYMENT;
			else
				return bad(err, errsz, "\"_entity\" must be \"client\", \"loan\" or \"payment\"");
			continue;	/* the tag is not part of the record */
		}
		if (is_key(j, k, "client_id"))
			cid = v;
		else if (is_key(j, k, "loan_name"))
			lname = v;
		else if (is_key(j, k, "loan_start_date"))
			start = v;
		if (nmem++ > 0)
			buf_putc(out, ',');
		buf_put(out, "\n    ", 5);
		put_value(out, j, k);
		buf_putc(out, ':');
		put_value(out, j, v);
	}
	buf_put(out, "\n  }", 4);

	if (cid >= 0 && put_key(&r->key, j, cid)) {
		r->cidlen = r->key.len;
		if (lname >= 0) {
			buf_putc(&r->key, '\x1f');
			if (put_key(&r->key, j, lname))
				r->has_loan = 1;
			else
				r->key.len = r->cidlen;
		}
	}
	if (start >= 0) {
		const char *p = JTOK_PTR(j, start);
		size_t sl = JTOK_LEN(j, start);
		char num[24];
		int64_t ms;

		if (j->t[start].type == JSMN_STRING)
			r->has_day = date_parse(p, sl, &r->day) == 0;
		else if (j->t[start].type == JSMN_PRIMITIVE && sl < sizeof num) {
			memcpy(num, p, sl);
			num[sl] = '\0';
			r->has_day = parse_int64(num, INT64_MIN, INT64_MAX, &ms) == 0 &&
			    date_from_epoch_ms(ms, &r->day) == 0;
		}
	}
	return 0;
}
