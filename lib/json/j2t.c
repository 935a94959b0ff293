/* j2t.c - seed-format JSON records to COPY text, checked field by field (see j2t.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "json/j2t.h"
#include "json/jsonrec.h"
#include "json/jstr.h"
#include "money.h"
#include "progress.h"
#include "tsv.h"
#include "util.h"

#define GENDER_M "\xD0\x9C\xD1\x83\xD0\xB6\xD1\x87\xD0\xB8\xD0\xBD\xD0\xB0"	/* Мужчина */
#define GENDER_F "\xD0\x96\xD0\xB5\xD0\xBD\xD1\x89\xD0\xB8\xD0\xBD\xD0\xB0"	/* Женщина */
#define ID_MAX INT64_C(999999999999999)

/* Seed field order (contract 2); limits per SPEC section 3 and json2tsv(1). */
static const struct j2t_field clients_f[] = {
	{"client_id", JT_ID, JF_KEY, 1, ID_MAX, -1},
	{"fio", JT_TEXT, JF_NONEMPTY, 0, 0, -1},
	{"passport", JT_TEXT, JF_NONEMPTY, 0, 0, -1},
	{"gender", JT_GENDER, 0, 0, 0, -1},
	{"birth_date", JT_DATE, 0, 0, 0, -1},
	{"education", JT_TEXT, JF_NONEMPTY, 0, 0, -1},
	{"count_of_children", JT_INT, JF_NULLABLE, 0, 30, -1},
	{"job_type", JT_TEXT, JF_NONEMPTY, 0, 0, -1},
	{"region", JT_TEXT, JF_NULLABLE, 0, 0, -1},
	{"family_status", JT_TEXT, JF_NULLABLE, 0, 0, -1},
	{"address", JT_TEXT, JF_NULLABLE, 0, 0, -1},
	{"phone", JT_TEXT, JF_NULLABLE, 0, 0, -1},
	{"income", JT_MONEY, 0, 0, MONEY_MAX, -1},
	/* not in the seed's data (absent there: null); 254 = RFC 5321's path limit */
	{"email", JT_EMAIL, JF_NULLABLE, 0, 254, -1},
};

static const struct j2t_field loans_f[] = {
	{"client_id", JT_ID, JF_KEY, 1, ID_MAX, -1},
	{"loan_name", JT_TEXT, JF_KEY | JF_NONEMPTY, 0, 200, -1},
	{"loan_amount", JT_MONEY, 0, 1, MONEY_MAX, -1},
	{"loan_start_date", JT_DATE, 0, 0, 0, -1},
	{"loan_end_date", JT_DATE, 0, 0, 0, 3},
	{"payment_numbers", JT_INT, 0, 1, 1200, -1},
	{"paid_amount", JT_MONEY, 0, 0, MONEY_MAX, -1},
};

static const struct j2t_field payments_f[] = {
	{"client_id", JT_ID, JF_KEY, 1, ID_MAX, -1},
	{"loan_name", JT_TEXT, JF_KEY | JF_NONEMPTY, 0, 200, -1},
	{"payment_number", JT_INT, JF_KEY, 1, 1200, -1},
	{"payment_date", JT_DATE, 0, 0, 0, -1},
	{"payment_fact_date", JT_DATE, JF_NULLABLE, 0, 0, -1},
	{"paid_fact_amount", JT_MONEY, JF_NULLABLE, 0, MONEY_MAX, -1},
};

#define NF(a) ((int)(sizeof a / sizeof a[0]))
static const struct j2t_entity entities[] = {
	{"clients", clients_f, NF(clients_f)},
	{"loans", loans_f, NF(loans_f)},
	{"payments", payments_f, NF(payments_f)},
};

const struct j2t_entity *
j2t_entity(const char *name)
{
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (strcmp(entities[i].name, name) == 0)
			return &entities[i];
	return NULL;
}

void
j2t_init(struct j2t *c, const struct j2t_entity *e)
{
	memset(c, 0, sizeof *c);
	c->e = e;
	c->lim.max_depth = J2T_MAX_DEPTH;
	c->lim.max_string = J2T_MAX_STRING;
	c->rec_plain = 0;
	c->rec_depth = -1;
	for (int f = 0; f < e->nf && f < J2T_MAXF; f++)
		c->flen[f] = strlen(e->f[f].name);
}

void
j2t_free(struct j2t *c)
{
	jtok_free(&c->tok);
	buf_free(&c->scratch);
	for (int i = 0; i < c->n_unknown_names; i++)
		free(c->unknown_names[i]);
	c->n_unknown_names = 0;	/* safe to free twice */
	free(c->ukeys);
	c->ukeys = NULL;
}

/* ---- helpers -------------------------------------------------------------- */

static int
reject(struct j2t_reject *rej, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reject(struct j2t_reject *rej, const char *field, const char *fmt, ...)
{
	va_list ap;

	rej->field = field;
	va_start(ap, fmt);
	vsnprintf(rej->reason, sizeof rej->reason, fmt, ap);
	va_end(ap);
	return 0;
}

/* At most 40 bytes of a value for a message, cut on a UTF-8 boundary. */
static int
shortlen(const char *p, size_t n)
{
	size_t k = n;

	if (k > 40) {
		k = 40;
		while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80)
			k--;
	}
	return (int)k;
}

/* Append a non-negative integer in decimal. */
static void
put_uint(struct buf *b, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_put(b, tmp + n, sizeof tmp - n);
}

static int has_bs(const char *s, size_t n);

/* Decoded text of string token v (the raw bytes when there is no escape). */
static void
str_of(struct j2t *c, int v, const char **p, size_t *n)
{
	const char *s = JTOK_PTR(&c->tok, v);
	size_t len = JTOK_LEN(&c->tok, v);
	const char *why;

	if (c->rec_plain || !has_bs(s, len)) {
		*p = s;
		*n = len;
		return;
	}
	buf_reset(&c->scratch);
	if (jstr_decode(s, len, &c->scratch, &why) < 0) {
		/* jcheck_record already accepted it */
		*p = s;
		*n = len;
		return;
	}
	*p = c->scratch.p;
	*n = c->scratch.len;
}

/* Index of the field called key[0..n), trying `hint` (the member's position) first. */
static int
field_index(const struct j2t *c, const char *key, size_t n, int hint)
{
	const struct j2t_entity *e = c->e;

	if (hint < e->nf && c->flen[hint] == n && memcmp(e->f[hint].name, key, n) == 0)
		return hint;
	for (int f = 0; f < e->nf; f++)
		if (c->flen[f] == n && memcmp(e->f[f].name, key, n) == 0)
			return f;
	return -1;
}

static int
ukey_cmp(const void *a, const void *b)
{
	const struct { const char *p; size_t n; } *x = a, *y = b;
	size_t m = x->n < y->n ? x->n : y->n;
	int d = memcmp(x->p, y->p, m);

	return d != 0 ? d : (x->n > y->n) - (x->n < y->n);
}

/*
 * The number text of token v: a JSON number, or a string holding exactly a
 * JSON number.  0 on success, -1 when it is neither.
 */
static int
num_text(struct j2t *c, int v, const char **p, size_t *n)
{
	const jsmntok_t *t = &c->tok.t[v];

	*p = JTOK_PTR(&c->tok, v);
	*n = JTOK_LEN(&c->tok, v);
	if (t->type == JSMN_PRIMITIVE)
		return (**p == '-' || (**p >= '0' && **p <= '9')) ? 0 : -1;
	if (t->type == JSMN_STRING)
		return jnum_valid(*p, *n) ? 0 : -1;
	return -1;
}

static const char *
type_name(const struct j2t *c, int v)
{
	const jsmntok_t *t = &c->tok.t[v];

	switch (t->type) {
	case JSMN_OBJECT: return "an object";
	case JSMN_ARRAY: return "an array";
	case JSMN_STRING: return "a string";
	default: break;
	}
	switch (*JTOK_PTR(&c->tok, v)) {
	case 't': case 'f': return "a boolean";
	case 'n': return "null";
	default: return "a number";
	}
}

/* A whole number from token v (12, 12.0, 1.2e1, "12"); 0 or -1 with a reason. */
static int
whole(struct j2t *c, int v, const struct j2t_field *f, int64_t *out, struct j2t_reject *rej)
{
	const char *p;
	size_t n;
	int64_t k;
	enum money_err me;

	if (num_text(c, v, &p, &n) != 0)
		return reject(rej, f->name, "not a number (got %s)", type_name(c, v)) - 1;
	me = money_parse(p, n, &k);
	if (me == MONEY_SYNTAX || me == MONEY_PRECISION || (me == MONEY_OK && k % 100 != 0))
		return reject(rej, f->name, "not a whole number: %.*s", shortlen(p, n), p) - 1;
	if (me == MONEY_RANGE || k / 100 < f->min || k / 100 > f->max)
		return reject(rej, f->name, "out of range %" PRId64 "..%" PRId64 ": %.*s",
		    f->min, f->max, shortlen(p, n), p) - 1;
	*out = k / 100;
	return 0;
}

static int
conv_money(struct j2t *c, int v, const struct j2t_field *f, struct buf *row, struct j2t_reject *rej)
{
	const char *p;
	size_t n;
	int64_t k;
	enum money_err me;
	char tmp[MONEY_BUFSZ];

	if (num_text(c, v, &p, &n) != 0)
		return reject(rej, f->name, "not a number (got %s)", type_name(c, v)) - 1;
	me = money_parse(p, n, &k);
	if (me == MONEY_PRECISION)
		return reject(rej, f->name, "more than 2 decimals: %.*s", shortlen(p, n), p) - 1;
	if (me != MONEY_OK)
		return reject(rej, f->name, "%s: %.*s", money_strerror(me), shortlen(p, n), p) - 1;
	if (k < 0)
		return reject(rej, f->name, "negative amount: %.*s", shortlen(p, n), p) - 1;
	if (k < f->min)
		return reject(rej, f->name, "must be greater than 0: %.*s", shortlen(p, n), p) - 1;
	buf_put(row, tmp, money_format(k, tmp));
	return 0;
}

/* 1 when s[0..n) has a backslash (short strings: cheaper than memchr's call). */
static int
has_bs(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\\')
			return 1;
	return 0;
}

/*
 * Parse date token v into *out and append it as YYYY-MM-DD to row; on a
 * string date the text itself is reused (date_parse checked its digits).
 */
static int
conv_date(struct j2t *c, int v, const struct j2t_field *f, int32_t *out, struct buf *row,
    struct j2t_reject *rej)
{
	const jsmntok_t *t = &c->tok.t[v];
	const char *p;
	size_t n;
	int32_t d;
	int y, m, dd;
	char tmp[DATE_BUFSZ];

	if (t->type == JSMN_STRING) {
		str_of(c, v, &p, &n);
		if (date_parse(p, n, &d) == 0) {
			y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			if (y < J2T_YEAR_MIN || y > J2T_YEAR_MAX)
				return reject(rej, f->name, "date outside the years %d..%d: %.*s",
				    J2T_YEAR_MIN, J2T_YEAR_MAX, shortlen(p, n), p) - 1;
			*out = d;
			buf_put(row, p, 10);
			return 0;
		}
		if (n >= 10 && p[4] == '-' && p[7] == '-' && (n == 10 || p[10] == 'T' ||
		    p[10] == ' ' || p[10] == 't'))
			return reject(rej, f->name, "impossible date: %.*s", shortlen(p, n), p) - 1;
		return reject(rej, f->name, "not a date (want YYYY-MM-DD, an ISO date-time "
		    "or epoch milliseconds): %.*s", shortlen(p, n), p) - 1;
	} else if (t->type == JSMN_PRIMITIVE && num_text(c, v, &p, &n) == 0) {
		int64_t k;

		if (money_parse(p, n, &k) != MONEY_OK || k % 100 != 0 ||
		    date_from_epoch_ms(k / 100, &d) != 0)
			return reject(rej, f->name, "not a date (epoch milliseconds must be a "
			    "whole number in range): %.*s", shortlen(p, n), p) - 1;
	} else
		return reject(rej, f->name, "not a date (got %s)", type_name(c, v)) - 1;
	date_to_civil(d, &y, &m, &dd);
	if (y < J2T_YEAR_MIN || y > J2T_YEAR_MAX)
		return reject(rej, f->name, "date outside the years %d..%d: %.*s",
		    J2T_YEAR_MIN, J2T_YEAR_MAX, shortlen(p, n), p) - 1;
	*out = d;
	buf_put(row, tmp, date_format(d, tmp));
	return 0;
}

/*
 * Why s[0..n) is not an e-mail address, or NULL.  Loose on purpose (the
 * sender's mail system judges the rest): exactly one '@' with something on
 * both sides, and no white space or control character -- ASCII, C1, or the
 * Unicode spaces (a pasted non-breaking space is the usual culprit).  The
 * text is valid UTF-8 here (jcheck), so a lead byte has its continuations.
 */
static const char *
email_bad(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t at = n, i;

	for (i = 0; i < n; i++) {
		unsigned c = u[i];

		if (c <= 0x20 || c == 0x7F)
			return "a space or control character";
		if (c == '@') {
			if (at != n)
				return "more than one @";
			at = i;
		} else if (c == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0xA0)
			return "a space or control character";	/* U+0080..U+00A0 */
		else if (c == 0xE1 && i + 2 < n && u[i + 1] == 0x9A && u[i + 2] == 0x80)
			return "a space or control character";	/* U+1680 */
		else if (c == 0xE2 && i + 2 < n && ((u[i + 1] == 0x80 &&
		    (u[i + 2] <= 0x8B || u[i + 2] == 0xA8 || u[i + 2] == 0xA9 || u[i + 2] == 0xAF)) ||
		    (u[i + 1] == 0x81 && u[i + 2] == 0x9F)))
			return "a space or control character";	/* U+2000..200B, 2028, 2029, 202F, 205F */
		else if (c == 0xE3 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x80)
			return "a space or control character";	/* U+3000 */
	}
	if (at == n)
		return "no @";
	if (at == 0)
		return "nothing before the @";
	if (at == n - 1)
		return "nothing after the @";
	return NULL;
}

static int
conv_text(struct j2t *c, int v, const struct j2t_field *f, struct buf *row, struct j2t_reject *rej)
{
	const char *p, *why;
	size_t n;

	if (c->tok.t[v].type != JSMN_STRING)
		return reject(rej, f->name, "not a string (got %s)", type_name(c, v)) - 1;
	str_of(c, v, &p, &n);
	if (n == 0 && (f->flags & JF_NONEMPTY))
		return reject(rej, f->name, "empty string") - 1;
	if (f->max > 0 && n > (size_t)f->max)
		return reject(rej, f->name, "longer than %" PRId64 " bytes", f->max) - 1;
	if (f->type == JT_GENDER && !(n == sizeof GENDER_M - 1 && memcmp(p, GENDER_M, n) == 0) &&
	    !(n == sizeof GENDER_F - 1 && memcmp(p, GENDER_F, n) == 0))
		return reject(rej, f->name, "must be " GENDER_M " or " GENDER_F ": %.*s",
		    shortlen(p, n), p) - 1;
	if (f->type == JT_EMAIL && (why = email_bad(p, n)) != NULL)
		return reject(rej, f->name, "not an e-mail address (%s): %.*s", why,
		    shortlen(p, n), p) - 1;
	if (c->rec_plain)	/* no backslash or control character: nothing to escape */
		buf_put(row, p, n);
	else
		tsv_escape(row, p, n);
	return 0;
}

static void
note_unknown(struct j2t *c, const char *p, size_t n, long long recno)
{
	int i;

	for (i = 0; i < c->n_unknown_names; i++)
		if (strlen(c->unknown_names[i]) == n && memcmp(c->unknown_names[i], p, n) == 0)
			return;
	if (i == J2T_MAX_UNKNOWN_NAMES)
		return;
	c->unknown_names[i] = emalloc(n + 1);
	memcpy(c->unknown_names[i], p, n);
	c->unknown_names[i][n] = '\0';
	c->unknown_first[i] = recno;
	c->n_unknown_names++;
}

/* ---- one record ----------------------------------------------------------- */

int
j2t_convert(struct j2t *c, const char *rec, size_t len, long long recno,
    struct buf *row, struct j2t_reject *rej)
{
	const struct j2t_entity *e = c->e;
	struct jtok *j = &c->tok;
	int vals[J2T_MAXF], have_date[J2T_MAXF];
	int32_t dates[J2T_MAXF];
	size_t mark = row->len, nu = 0, at;
	const char *why;
	int n;

	rej->field = "";
	rej->reason[0] = '\0';
	/* a scalar or array record: jsmn would call a lone primitive incomplete */
	if (len == 0 || rec[0] != '{') {
		size_t k = len;

		while (k > 0 && (rec[k - 1] == ' ' || rec[k - 1] == '\t' ||
		    rec[k - 1] == '\n' || rec[k - 1] == '\r'))
			k--;
		if (len > 0 && rec[0] != '[' && rec[0] != '"' && jprim_kind(rec, k) == JP_INVALID)
			return reject(rej, "", "invalid JSON (not a number, true, false or null)");
		return reject(rej, "", "record is not an object");
	}
	/* a flat object of plain strings: one exact pass instead of jsmn + jcheck */
	if (!c->rec_plain || (n = jtok_parse_flat(j, rec, len, c->lim.max_string)) < 0) {
		/* jsmn's time grows with the square of the depth: look first */
		if (len > 256 && (c->rec_depth < 0 || c->rec_depth > c->lim.max_depth) &&
		    jcheck_too_deep(rec, len, c->lim.max_depth))
			return reject(rej, "", "nested deeper than %d levels", c->lim.max_depth);
		n = jtok_parse(j, rec, len);
		if (n < 0)
			return reject(rej, "", "invalid JSON (%s)", n == JSMN_ERROR_PART ?
			    "incomplete value" : "syntax error");
		if (jcheck_record_plain(j, len, &c->lim, c->rec_plain, &why, &at) != 0) {
			if (strcmp(why, "string too long") == 0)
				return reject(rej, "", "string longer than %zu MiB", c->lim.max_string >> 20);
			if (strcmp(why, "nested too deeply") == 0)
				return reject(rej, "", "nested deeper than %d levels", c->lim.max_depth);
			return reject(rej, "", "%s at byte %zu of the record", why, at);
		}
	}
	if (j->t[0].type != JSMN_OBJECT)
		return reject(rej, "", "record is not an object");

	/* members: which token holds each field; duplicates; unknown keys */
	for (int f = 0; f < e->nf; f++)
		vals[f] = -1, have_date[f] = 0;
	for (int i = 1, k = 0; i < n; k++) {
		const char *kp = JTOK_PTR(j, i);
		size_t kn = JTOK_LEN(j, i);
		int f;

		if (!c->rec_plain && has_bs(kp, kn))
			str_of(c, i, &kp, &kn);
		f = field_index(c, kp, kn, k);
		if (f >= 0) {
			if (vals[f] >= 0)
				return reject(rej, e->f[f].name, "duplicate field %s", e->f[f].name);
			vals[f] = i + 1;
		} else {
			if (nu == c->ukeys_cap) {
				c->ukeys_cap = c->ukeys_cap ? 2 * c->ukeys_cap : 8;
				c->ukeys = ereallocarray(c->ukeys, c->ukeys_cap, sizeof *c->ukeys);
			}
			/* raw bytes: str_of's scratch is reused */
			c->ukeys[nu].p = JTOK_PTR(j, i);
			c->ukeys[nu].n = JTOK_LEN(j, i);
			nu++;
		}
		/* a scalar value is one token; only containers need skipping */
		i = j->t[i + 1].type == JSMN_STRING || j->t[i + 1].type == JSMN_PRIMITIVE ?
		    i + 2 : jtok_skip(j, i + 1);
	}
	if (nu > 1) {
		qsort(c->ukeys, nu, sizeof *c->ukeys, ukey_cmp);
		for (size_t u = 1; u < nu; u++)
			if (ukey_cmp(&c->ukeys[u - 1], &c->ukeys[u]) == 0)
				return reject(rej, "", "duplicate field %.*s",
				    shortlen(c->ukeys[u].p, c->ukeys[u].n), c->ukeys[u].p);
	}

	/* fields in seed order */
	put_uint(row, (uint64_t)recno);
	for (int f = 0; f < e->nf; f++) {
		const struct j2t_field *fs = &e->f[f];
		int v = vals[f];
		int64_t iv = 0;
		int bad = 0;

		if (row->len + 1 < row->cap)	/* buf_putc without the call */
			row->p[row->len++] = '\t';
		else
			buf_putc(row, '\t');
		if (v < 0 || (j->t[v].type == JSMN_PRIMITIVE && *JTOK_PTR(j, v) == 'n')) {
			if (fs->flags & JF_NULLABLE) {
				tsv_null(row);
				continue;
			}
			row->len = mark;
			return reject(rej, fs->name, v < 0 ? "missing required field %s" :
			    "null in required field %s", fs->name);
		}
		switch (fs->type) {
		case JT_ID:
		case JT_INT:
			bad = whole(c, v, fs, &iv, rej);
			if (!bad)
				put_uint(row, (uint64_t)iv);
			break;
		case JT_MONEY:
			bad = conv_money(c, v, fs, row, rej);
			break;
		case JT_DATE:
			bad = conv_date(c, v, fs, &dates[f], row, rej);
			if (!bad && fs->not_before >= 0 && have_date[fs->not_before] &&
			    dates[f] < dates[fs->not_before])
				bad = reject(rej, fs->name, "%s is before %s", fs->name,
				    e->f[fs->not_before].name) - 1;
			have_date[f] = !bad;
			break;
		case JT_TEXT:
		case JT_GENDER:
		case JT_EMAIL:
			bad = conv_text(c, v, fs, row, rej);
			break;
		}
		if (bad) {
			row->len = mark;
			return 0;
		}
	}
	buf_putc(row, '\n');
	c->unknown += (long long)nu;
	for (size_t u = 0; u < nu && c->n_unknown_names < J2T_MAX_UNKNOWN_NAMES; u++)
		note_unknown(c, c->ukeys[u].p, c->ukeys[u].n, recno);
	return 1;
}

void
j2t_reject_line(struct buf *out, long long recno, uint64_t offset,
    const struct j2t_reject *rej, const char *raw, size_t rawlen)
{
	struct buf clean = BUF_INIT;

	if (rawlen > J2T_MAX_RAW) {
		rawlen = J2T_MAX_RAW;
		while (rawlen > 0 && ((unsigned char)raw[rawlen] & 0xC0) == 0x80)
			rawlen--;
	}
	put_uint(out, (uint64_t)recno);
	buf_putc(out, '\t');
	put_uint(out, offset);
	buf_putc(out, '\t');
	tsv_escape(out, rej->field, strlen(rej->field));
	buf_putc(out, '\t');
	jstr_sanitize(&clean, rej->reason, strlen(rej->reason));
	tsv_escape(out, clean.p, clean.len);
	buf_putc(out, '\t');
	buf_reset(&clean);
	jstr_sanitize(&clean, raw, rawlen);
	tsv_escape(out, clean.p, clean.len);
	buf_putc(out, '\n');
	buf_free(&clean);
}

/* ---- a whole input -------------------------------------------------------- */

#define SHOW_REJECTS 10
#define FLUSH_AT ((size_t)256 << 10)

static void
summary(const struct j2t_opts *o, const struct j2t *c, long long rd, long long wr, long long rj)
{
	if (o->progress != NULL)
		progress_done(o->progress);
	for (int i = 0; i < c->n_unknown_names; i++) {
		struct buf b = BUF_INIT;

		jstr_sanitize(&b, c->unknown_names[i], strlen(c->unknown_names[i]));
		warnf("%s: ignoring unknown field \"%s\" (first in record %lld)", o->entity,
		    buf_cstr(&b), c->unknown_first[i]);
		buf_free(&b);
	}
	warnf("%s: %lld read, %lld written, %lld rejected, %lld unknown fields ignored",
	    o->entity, rd, wr, rj, c->unknown);
}

static int run_par(const struct j2t_opts *o, const struct j2t_entity *e, FILE *in, FILE *out);

/* The structure or read error that ended the input: its message and status. */
static int
input_error(const struct j2t_opts *o, const struct jrec_reader *r)
{
	unsigned long long line, col;
	int at;

	if (sscanf(r->err, "line %llu, column %llu: %n", &line, &col, &at) == 2) {
		warnf("%s:%llu:%llu: %s", o->inname, line, col, r->err + at);
		return EX_DATAERR;
	}
	warnf("%s: %s", o->inname, r->err);
	return EX_IOERR;
}

/* A reject described on stderr (no --rejects). */
static void
show_reject(const struct j2t_opts *o, long long recno, uint64_t line, uint64_t offset,
    const struct j2t_reject *rej)
{
	struct buf b = BUF_INIT;

	if (o->progress != NULL)
		progress_done(o->progress);
	jstr_sanitize(&b, rej->reason, strlen(rej->reason));
	warnf("%s: record %lld (line %llu, offset %llu) rejected: %s%s%s",
	    o->inname, recno, (unsigned long long)line,
	    (unsigned long long)offset, rej->field, *rej->field ? ": " : "",
	    buf_cstr(&b));
	buf_free(&b);
}

int
j2t_run(const struct j2t_opts *o, FILE *in, FILE *out)
{
	const struct j2t_entity *e = j2t_entity(o->entity);
	struct jrec_reader r;
	struct j2t c;
	struct j2t_reject rej;
	struct buf ob = BUF_INIT, rb = BUF_INIT;
	const char *rec;
	size_t len;
	long long rd = 0, wr = 0, rj = 0;
	int k, status = 0;

	if (e == NULL) {
		warnf("unknown entity '%s' (clients, loans or payments)", o->entity);
		return EX_USAGE;
	}
	if (o->jobs > 1)
		return run_par(o, e, in, out);
	jrec_open(&r, in, o->max_record ? o->max_record : J2T_MAX_RECORD);
	j2t_init(&c, e);
	buf_reserve(&ob, FLUSH_AT + 4096);
	while ((k = jrec_next(&r, &rec, &len)) == 1) {
		int ok;

		rd++;
		if (o->progress != NULL)
			progress_tick(o->progress, rd, (long long)r.offset);
		if (r.truncated)
			ok = reject(&rej, "", "record larger than %zu bytes", r.max_record);
		else {
			c.rec_plain = r.plain;
			c.rec_depth = r.maxdepth;
			ok = j2t_convert(&c, rec, len, r.recno, &ob, &rej);
		}
		if (ok) {
			wr++;
			if (ob.len >= FLUSH_AT)
				buf_flush(&ob, out);
			continue;
		}
		rj++;
		if (o->rejects != NULL) {
			buf_reset(&rb);
			j2t_reject_line(&rb, r.recno, r.offset, &rej, rec, len);
			efwrite(rb.p, rb.len, o->rejects);
		} else if (rj <= SHOW_REJECTS)
			show_reject(o, r.recno, r.line, r.offset, &rej);
		if (o->max_rejects >= 0 && rj > o->max_rejects) {
			warnf("%s: more than %lld rejected records: stopping", o->inname, o->max_rejects);
			status = EX_DATAERR;
			goto out;
		}
	}
	if (k < 0) {
		status = input_error(o, &r);
		goto out;
	}
	buf_puts(&ob, "\\.\n");
	buf_flush(&ob, out);
out:
	if (o->progress != NULL)
		progress_done(o->progress);
	if (o->rejects == NULL && rj > SHOW_REJECTS)
		warnf("%s: %lld more rejected records not shown (keep them all with --rejects FILE)",
		    o->inname, rj - SHOW_REJECTS);
	summary(o, &c, rd, wr, rj);
	j2t_free(&c);
	jrec_close(&r);
	buf_free(&ob);
	buf_free(&rb);
	return status;
}

/* ---- a whole input, in parallel (see j2t.h) -------------------------------- */

struct jp_rec {
	long long recno;
	uint64_t offset, line;
	size_t at, len;		/* its bytes: in.p[at..at+len) */
	int plain, depth, truncated;	/* what the framer learnt */
	int ok;			/* the worker's verdict */
	int nunk;		/* converted: its unknown members */
	size_t row_end;		/* converted: where its row ends in out */
};

enum { JP_FILLING, JP_QUEUED, JP_DONE };

struct jp_batch {
	int state;		/* guarded by jp.mu */
	struct buf in;		/* the records' bytes, copied by the reader */
	struct jp_rec *r;
	size_t n, cap;
	/* the worker's results */
	struct buf out;		/* rows of the converted records, in order */
	struct buf rejl;	/* reject lines (only with a rejects file) */
	struct j2t_reject *rej;	/* one per rejected record, in order */
	size_t *rejl_end;	/* where each reject's line ends in rejl */
	size_t nrej, rejcap;
	char *uname[J2T_MAX_UNKNOWN_NAMES];	/* first unknown names in the batch */
	long long ufirst[J2T_MAX_UNKNOWN_NAMES];
	int nuname;
};

struct jp {
	const struct j2t_opts *o;
	const struct j2t_entity *e;
	size_t max_record;
	struct jp_batch *b;
	long long nslot;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	long long queued;	/* batches 0..queued-1 were handed over */
	long long taken;	/* a worker took batches 0..taken-1 */
	int quit;
	size_t inflight;	/* input bytes handed over and not yet written (reader only) */
};

/* The writer's state: what the single-thread loop keeps in j2t_run. */
struct jp_writer {
	struct buf ob;		/* rows not yet flushed */
	struct j2t acc;		/* unknown field names and count */
	long long rd, wr, rj;
	int status, stopped;
};

/* Convert one batch (in a worker thread: no output, no messages). */
static void
jp_convert(const struct jp *p, struct j2t *c, struct jp_batch *b)
{
	struct j2t_reject rej;

	buf_reset(&b->out);
	buf_reset(&b->rejl);
	b->nrej = 0;
	c->unknown = 0;
	c->n_unknown_names = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct jp_rec *r = &b->r[i];
		const char *rec = b->in.p + r->at;
		long long u0 = c->unknown;

		if (r->truncated)
			r->ok = reject(&rej, "", "record larger than %zu bytes", p->max_record);
		else {
			c->rec_plain = r->plain;
			c->rec_depth = r->depth;
			r->ok = j2t_convert(c, rec, r->len, r->recno, &b->out, &rej);
		}
		if (r->ok) {
			r->row_end = b->out.len;
			r->nunk = (int)(c->unknown - u0);
			continue;
		}
		if (b->nrej == b->rejcap) {
			b->rejcap = b->rejcap ? 2 * b->rejcap : 64;
			b->rej = ereallocarray(b->rej, b->rejcap, sizeof *b->rej);
			b->rejl_end = ereallocarray(b->rejl_end, b->rejcap, sizeof *b->rejl_end);
		}
		b->rej[b->nrej] = rej;
		if (p->o->rejects != NULL)
			j2t_reject_line(&b->rejl, r->recno, r->offset, &rej, rec, r->len);
		b->rejl_end[b->nrej++] = b->rejl.len;
	}
	/* the names move to the batch; the writer merges and frees them */
	for (int u = 0; u < c->n_unknown_names; u++) {
		b->uname[u] = c->unknown_names[u];
		b->ufirst[u] = c->unknown_first[u];
	}
	b->nuname = c->n_unknown_names;
	c->n_unknown_names = 0;
}

static void
jp_lock(struct jp *p)
{
	int e = pthread_mutex_lock(&p->mu);

	if (e != 0) {
		errno = e;
		die(EX_SOFTWARE, "pthread_mutex_lock:");
	}
}

static void
jp_unlock(struct jp *p)
{
	int e = pthread_mutex_unlock(&p->mu);

	if (e != 0) {
		errno = e;
		die(EX_SOFTWARE, "pthread_mutex_unlock:");
	}
}

static void *
jp_worker(void *arg)
{
	struct jp *p = arg;
	struct j2t c;

	j2t_init(&c, p->e);
	for (;;) {
		struct jp_batch *b;

		jp_lock(p);
		while (!p->quit && p->taken == p->queued)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->quit) {
			jp_unlock(p);
			break;
		}
		b = &p->b[p->taken++ % p->nslot];
		jp_unlock(p);
		jp_convert(p, &c, b);
		jp_lock(p);
		b->state = JP_DONE;
		pthread_cond_broadcast(&p->done);
		jp_unlock(p);
	}
	j2t_free(&c);
	return NULL;
}

/*
 * Write one converted batch exactly as the single-thread loop would have:
 * the same flush points (so a later stop leaves the same bytes on stdout),
 * reject lines and messages in order, the same stop at --max-rejects.
 */
static void
jp_emit(const struct j2t_opts *o, struct jp_writer *w, struct jp_batch *b, FILE *out)
{
	size_t seg = 0, ri = 0;
	long long stop_recno = -1;

	for (size_t i = 0; i < b->n; i++) {
		const struct jp_rec *r = &b->r[i];

		w->rd++;
		if (r->ok) {
			w->wr++;
			w->acc.unknown += r->nunk;
			if (w->ob.len + (r->row_end - seg) >= FLUSH_AT) {
				if (w->ob.len > 0)
					buf_flush(&w->ob, out);
				efwrite(b->out.p + seg, r->row_end - seg, out);
				seg = r->row_end;
			}
			continue;
		}
		w->rj++;
		if (o->rejects == NULL && w->rj <= SHOW_REJECTS)
			show_reject(o, r->recno, r->line, r->offset, &b->rej[ri]);
		ri++;
		if (o->max_rejects >= 0 && w->rj > o->max_rejects) {
			warnf("%s: more than %lld rejected records: stopping", o->inname, o->max_rejects);
			w->status = EX_DATAERR;
			w->stopped = 1;
			stop_recno = r->recno;
			break;
		}
	}
	if (o->rejects != NULL && ri > 0)
		efwrite(b->rejl.p, b->rejl_end[ri - 1], o->rejects);
	if (!w->stopped)
		buf_put(&w->ob, b->out.p + seg, b->out.len - seg);
	for (int u = 0; u < b->nuname; u++) {
		if (stop_recno < 0 || b->ufirst[u] < stop_recno)
			note_unknown(&w->acc, b->uname[u], strlen(b->uname[u]), b->ufirst[u]);
		free(b->uname[u]);
	}
	b->nuname = 0;
}

/* Wait for batch seq (when wait) and write it; 0 when not ready yet. */
static int
jp_emit_seq(struct jp *p, struct jp_writer *w, long long seq, int wait, FILE *out)
{
	struct jp_batch *b = &p->b[seq % p->nslot];

	jp_lock(p);
	while (wait && b->state != JP_DONE)
		pthread_cond_wait(&p->done, &p->mu);
	if (b->state != JP_DONE) {
		jp_unlock(p);
		return 0;
	}
	jp_unlock(p);
	jp_emit(p->o, w, b, out);
	b->state = JP_FILLING;
	p->inflight -= b->in.len;
	/* a batch that held a big record gives its memory back */
	if (b->in.cap > 4 * J2T_BATCH_BYTES)
		buf_free(&b->in);
	if (b->out.cap > 4 * J2T_BATCH_BYTES)
		buf_free(&b->out);
	if (b->rejl.cap > 4 * J2T_BATCH_BYTES)
		buf_free(&b->rejl);
	return 1;
}

static int
run_par(const struct j2t_opts *o, const struct j2t_entity *e, FILE *in, FILE *out)
{
	struct jp p;
	struct jp_writer w;
	struct jrec_reader r;
	pthread_t th[J2T_MAX_JOBS];
	int jobs = o->jobs < J2T_MAX_JOBS ? o->jobs : J2T_MAX_JOBS, k = 1, err;
	long long filled = 0, emitted = 0;
	const char *rec;
	size_t len;

	memset(&p, 0, sizeof p);
	p.o = o;
	p.e = e;
	p.max_record = o->max_record ? o->max_record : J2T_MAX_RECORD;
	p.nslot = J2T_RING(jobs);
	p.b = ecalloc((size_t)p.nslot, sizeof *p.b);
	if ((err = pthread_mutex_init(&p.mu, NULL)) != 0 ||
	    (err = pthread_cond_init(&p.work, NULL)) != 0 ||
	    (err = pthread_cond_init(&p.done, NULL)) != 0) {
		errno = err;
		die(EX_SOFTWARE, "pthread init:");
	}
	for (int i = 0; i < jobs; i++)
		if ((err = pthread_create(&th[i], NULL, jp_worker, &p)) != 0) {
			errno = err;
			die(EX_TEMPFAIL, "cannot start worker thread %d:", i + 1);
		}
	memset(&w, 0, sizeof w);
	j2t_init(&w.acc, e);
	buf_reserve(&w.ob, FLUSH_AT + 4096);
	jrec_open(&r, in, p.max_record);

	while (k == 1 && !w.stopped) {
		struct jp_batch *b = &p.b[filled % p.nslot];

		/* the ring is full: the oldest batch must be written first */
		while (filled - emitted >= p.nslot && !w.stopped)
			jp_emit_seq(&p, &w, emitted++, 1, out);
		if (w.stopped)
			break;
		b->n = 0;
		buf_reset(&b->in);
		while (b->n < J2T_BATCH_RECS && b->in.len < J2T_BATCH_BYTES &&
		    (k = jrec_next(&r, &rec, &len)) == 1) {
			struct jp_rec *x;

			/* big records: keep the input in flight within the ring's share */
			while (emitted < filled && !w.stopped &&
			    p.inflight + b->in.len + len > (size_t)p.nslot * J2T_BATCH_BYTES)
				jp_emit_seq(&p, &w, emitted++, 1, out);
			if (w.stopped)
				break;

			if (b->n == b->cap) {
				b->cap = b->cap ? 2 * b->cap : 256;
				b->r = ereallocarray(b->r, b->cap, sizeof *b->r);
			}
			x = &b->r[b->n++];
			x->recno = r.recno;
			if (o->progress != NULL)
				progress_tick(o->progress, r.recno, (long long)r.offset);
			x->offset = r.offset;
			x->line = r.line;
			x->at = b->in.len;
			x->len = len;
			x->plain = r.plain;
			x->depth = r.maxdepth;
			x->truncated = r.truncated;
			buf_put(&b->in, rec, len);
		}
		if (b->n == 0 || w.stopped)
			break;
		p.inflight += b->in.len;
		jp_lock(&p);
		b->state = JP_QUEUED;
		p.queued = ++filled;
		pthread_cond_signal(&p.work);
		jp_unlock(&p);
		while (emitted < filled && !w.stopped && jp_emit_seq(&p, &w, emitted, 0, out))
			emitted++;
	}
	while (emitted < filled && !w.stopped)
		jp_emit_seq(&p, &w, emitted++, 1, out);

	jp_lock(&p);
	p.quit = 1;
	pthread_cond_broadcast(&p.work);
	jp_unlock(&p);
	for (int i = 0; i < jobs; i++)
		if ((err = pthread_join(th[i], NULL)) != 0) {
			errno = err;
			die(EX_SOFTWARE, "pthread_join:");
		}

	if (!w.stopped) {
		if (k < 0)
			w.status = input_error(o, &r);
		else {
			buf_puts(&w.ob, "\\.\n");
			buf_flush(&w.ob, out);
		}
	}
	if (o->progress != NULL)
		progress_done(o->progress);
	if (o->rejects == NULL && w.rj > SHOW_REJECTS)
		warnf("%s: %lld more rejected records not shown (keep them all with --rejects FILE)",
		    o->inname, w.rj - SHOW_REJECTS);
	summary(o, &w.acc, w.rd, w.wr, w.rj);

	for (long long i = 0; i < p.nslot; i++) {
		struct jp_batch *b = &p.b[i];

		buf_free(&b->in);
		buf_free(&b->out);
		buf_free(&b->rejl);
		free(b->r);
		free(b->rej);
		free(b->rejl_end);
		for (int u = 0; u < b->nuname; u++)
			free(b->uname[u]);
	}
	free(p.b);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	j2t_free(&w.acc);
	jrec_close(&r);
	buf_free(&w.ob);
	return w.status;
}
