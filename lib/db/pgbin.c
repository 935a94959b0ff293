/*
 * pgbin.c - binary COPY tuples from json2tsv's COPY text lines (see pgbin.h).
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "db/pgbin.h"
#include "util.h"

#define PG_EPOCH_DAYS 10957	/* 2000-01-01 in days since 1970-01-01 */
#define NUMERIC_NEG 0x4000
#define MONEY_MAXSZ 18		/* numeric: 4 int16 words + up to 5 digits */

static const struct pgbin_col clients[] = {
	{"recno", PGB_INT8}, {"client_id", PGB_INT8}, {"fio", PGB_TEXT},
	{"passport", PGB_TEXT}, {"gender", PGB_TEXT}, {"birth_date", PGB_DATE},
	{"education", PGB_TEXT}, {"count_of_children", PGB_INT4},
	{"job_type", PGB_TEXT}, {"region", PGB_TEXT}, {"family_status", PGB_TEXT},
	{"address", PGB_TEXT}, {"phone", PGB_TEXT}, {"income", PGB_MONEY},
	{"email", PGB_TEXT},
};
static const struct pgbin_col loans[] = {
	{"recno", PGB_INT8}, {"client_id", PGB_INT8}, {"loan_name", PGB_TEXT},
	{"loan_amount", PGB_MONEY}, {"loan_start_date", PGB_DATE},
	{"loan_end_date", PGB_DATE}, {"payment_numbers", PGB_INT4},
	{"paid_amount", PGB_MONEY},
};
static const struct pgbin_col payments[] = {
	{"recno", PGB_INT8}, {"client_id", PGB_INT8}, {"loan_name", PGB_TEXT},
	{"payment_number", PGB_INT4}, {"payment_date", PGB_DATE},
	{"payment_fact_date", PGB_DATE}, {"paid_fact_amount", PGB_MONEY},
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
static const struct pgbin_entity entities[] = {
	{"clients", clients, NCOLS(clients)},
	{"loans", loans, NCOLS(loans)},
	{"payments", payments, NCOLS(payments)},
};

const struct pgbin_entity *
pgbin_entity(const char *name)
{
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++)
		if (strcmp(name, entities[i].name) == 0)
			return &entities[i];
	return NULL;
}

/* big-endian stores into memory the caller reserved */
static char *
be16(char *p, uint16_t v)
{
	p[0] = (char)(v >> 8);
	p[1] = (char)v;
	return p + 2;
}

static char *
be32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
	return p + 4;
}

static char *
be64(char *p, uint64_t v)
{
	return be32(be32(p, (uint32_t)(v >> 32)), (uint32_t)v);
}

/* numeric(17,2) with its length word; p has room for 4 + MONEY_MAXSZ */
static char *
put_money(char *p, int64_t k)
{
	uint16_t d[5];
	uint64_t a = k < 0 ? (uint64_t)0 - (uint64_t)k : (uint64_t)k, ip = a / 100;
	int nint = 0, nd, weight, i;
	uint16_t frac = (uint16_t)(a % 100 * 100);

	/* the integer part in base 10 000, least significant group first */
	while (ip > 0) {
		d[nint++] = (uint16_t)(ip % 10000);
		ip /= 10000;
	}
	for (i = 0; i < nint / 2; i++) {
		uint16_t t = d[i];

		d[i] = d[nint - 1 - i];
		d[nint - 1 - i] = t;
	}
	weight = nint - 1;
	nd = nint;
	d[nd++] = frac;
	/* no leading zero groups: the first digit after an empty integer part */
	if (nint == 0 && frac == 0)
		nd = 0;
	while (nd > 0 && d[nd - 1] == 0)	/* nor trailing ones */
		nd--;
	if (nd == 0)
		weight = 0;
	p = be32(p, (uint32_t)(8 + 2 * nd));
	p = be16(p, (uint16_t)nd);
	p = be16(p, (uint16_t)(int16_t)weight);
	p = be16(p, nd > 0 && k < 0 ? NUMERIC_NEG : 0);
	p = be16(p, 2);
	for (i = 0; i < nd; i++)
		p = be16(p, d[i]);
	return p;
}

void
pgbin_header(struct buf *b)
{
	static const char h[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

	buf_put(b, h, sizeof h);
}

void
pgbin_trailer(struct buf *b)
{
	buf_put(b, "\377\377", 2);
}

void
pgbin_null(struct buf *b)
{
	buf_put(b, "\377\377\377\377", 4);
}

void
pgbin_int8(struct buf *b, int64_t v)
{
	buf_reserve(b, 12);
	be64(be32(b->p + b->len, 8), (uint64_t)v);
	b->len += 12;
}

void
pgbin_int4(struct buf *b, int32_t v)
{
	buf_reserve(b, 8);
	be32(be32(b->p + b->len, 4), (uint32_t)v);
	b->len += 8;
}

void
pgbin_text(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, 4 + n);
	be32(b->p + b->len, (uint32_t)n);
	memcpy(b->p + b->len + 4, s, n);
	b->len += 4 + n;
}

void
pgbin_date(struct buf *b, int32_t days)
{
	pgbin_int4(b, days - PG_EPOCH_DAYS);
}

void
pgbin_timestamptz(struct buf *b, int64_t us)
{
	pgbin_int8(b, us);
}

void
pgbin_money(struct buf *b, int64_t kopecks)
{
	buf_reserve(b, 4 + MONEY_MAXSZ);
	b->len = (size_t)(put_money(b->p + b->len, kopecks) - b->p);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
pgbin_unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		if (++i == n)
			return -1;
		c = s[i];
		switch (c) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'v': out[o++] = '\v'; break;
		case 'x':
			if (i + 1 < n && hexval(s[i + 1]) >= 0) {
				int v = hexval(s[++i]);

				if (i + 1 < n && hexval(s[i + 1]) >= 0)
					v = v * 16 + hexval(s[++i]);
				out[o++] = (char)v;
			} else
				out[o++] = 'x';
			break;
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0';

				for (int k = 0; k < 2 && i + 1 < n &&
				    s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + (s[++i] - '0');
				out[o++] = (char)(v & 0377);
			} else
				out[o++] = c;
		}
	}
	return (long)o;
}

int
pgbin_row(struct buf *b, const struct pgbin_entity *e, int nprefix,
    const char *prefix, size_t plen, const char *line, size_t n,
    char *err, size_t errsz)
{
	const char *p = line, *end = line + n;
	size_t start = b->len;
	char *w;
	int i;

	/* room for everything: text shrinks when unescaped, numbers fit the slack */
	buf_reserve(b, 2 + plen + n + (size_t)e->ncols * (4 + MONEY_MAXSZ));
	w = be16(b->p + b->len, (uint16_t)(nprefix + e->ncols));
	memcpy(w, prefix, plen);
	w += plen;
	for (i = 0; i < e->ncols; i++) {
		const struct pgbin_col *col = &e->cols[i];
		const char *f = p, *tab;
		size_t fn;
		int64_t v;
		int32_t day;
		long u;

		if (p > end) {
			snprintf(err, errsz, "%d fields, expected %d", i, e->ncols);
			goto bad;
		}
		tab = memchr(p, '\t', (size_t)(end - p));
		fn = (size_t)((tab != NULL ? tab : end) - f);
		p = f + fn + 1;	/* past end: no more fields */
		if (fn == 2 && f[0] == '\\' && f[1] == 'N') {
			w = be32(w, UINT32_MAX);
			continue;
		}
		switch (col->type) {
		case PGB_TEXT:
			u = pgbin_unescape(f, fn, w + 4);
			if (u < 0) {
				snprintf(err, errsz, "%s: a lone backslash ends the value",
				    col->name);
				goto bad;
			}
			w = be32(w, (uint32_t)u) + u;
			break;
		case PGB_INT8:
		case PGB_INT4:
			if (parse_int64n(f, fn, col->type == PGB_INT8 ? INT64_MIN : INT32_MIN,
			    col->type == PGB_INT8 ? INT64_MAX : INT32_MAX, &v) != 0) {
				snprintf(err, errsz, "%s: not %s: '%.*s'", col->name,
				    col->type == PGB_INT8 ? "a bigint" : "an integer",
				    (int)(fn > 40 ? 40 : fn), f);
				goto bad;
			}
			if (col->type == PGB_INT8)
				w = be64(be32(w, 8), (uint64_t)v);
			else
				w = be32(be32(w, 4), (uint32_t)v);
			break;
		case PGB_DATE:
			if (fn != 10 || date_parse(f, fn, &day) != 0) {
				snprintf(err, errsz, "%s: not a date YYYY-MM-DD: '%.*s'",
				    col->name, (int)(fn > 40 ? 40 : fn), f);
				goto bad;
			}
			w = be32(be32(w, 4), (uint32_t)(day - PG_EPOCH_DAYS));
			break;
		case PGB_MONEY: {
			enum money_err me = money_parse(f, fn, &v);

			if (me != MONEY_OK) {
				snprintf(err, errsz, "%s: %s: '%.*s'", col->name,
				    money_strerror(me), (int)(fn > 40 ? 40 : fn), f);
				goto bad;
			}
			w = put_money(w, v);
			break;
		}
		}
	}
	if (p <= end) {
		/* a tab after the last field: count them all for the message */
		int k = e->ncols;

		for (; p <= end; k++) {
			const char *tab = memchr(p, '\t', (size_t)(end - p));

			p = (tab != NULL ? tab : end) + 1;
		}
		snprintf(err, errsz, "%d fields, expected %d", k, e->ncols);
		goto bad;
	}
	b->len = (size_t)(w - b->p);
	return 0;
bad:
	b->len = start;
	return -1;
}
