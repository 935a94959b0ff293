/*
 * logrun.c - notify-log's work (logrun.h): delivery results and the
 * restrictions list into the contact log, appended, never rewritten.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "db/db.h"
#include "notify/logrun.h"
#include "db/sql.h"
#include "tsv.h"
#include "util.h"

#define BATCH 10000
#define NODAY INT32_MIN

static const char *const event_names[EV_N] = {"sent", "delivered", "failed", "bounced"};
static const char *const kind_names[RS_N] = {
	"bankruptcy", "refusal", "incapacity", "representative"
};

const char *
logrun_event_name(int k)
{
	return k >= 0 && k < EV_N ? event_names[k] : "?";
}

const char *
logrun_kind_name(int k)
{
	return k >= 0 && k < RS_N ? kind_names[k] : "?";
}

static int
lookup(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* a blank line or a comment */
static int
skippable(const char *line)
{
	const char *p = line + strspn(line, " \t\r");

	return *p == '\0' || *p == '#';
}

static int
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
logrun_parse_utc(const char *s, int64_t *t)
{
	int32_t day;
	int h, mi, se;

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    !digits(s + 11, 2) || !digits(s + 14, 2) || !digits(s + 17, 2) ||
	    date_parse(s, 10, &day) != 0)
		return -1;
	h = (s[11] - '0') * 10 + (s[12] - '0');
	mi = (s[14] - '0') * 10 + (s[15] - '0');
	se = (s[17] - '0') * 10 + (s[18] - '0');
	if (h > 23 || mi > 59 || se > 59)
		return -1;
	*t = (int64_t)day * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

static int
parse_date10(const char *s, int32_t *d)
{
	return strlen(s) == 10 && date_parse(s, 10, d) == 0 ? 0 : -1;
}

int
logrun_parse_event(char *line, struct nevent *e, const char **why)
{
	char *f[5];
	int n;

	if (skippable(line))
		return 0;
	n = tsv_split(line, f, 4);
	if (strcmp(f[0], "contact_id") == 0)
		return 0;
	if (n < 3 || n > 4) {
		*why = "expected 3 or 4 tab-separated fields: contact_id event at [detail]";
		return -1;
	}
	if (parse_int64(f[0], 1, INT64_MAX, &e->contact_id) != 0) {
		*why = "contact_id is not a positive integer";
		return -1;
	}
	if ((e->kind = lookup(f[1], event_names, EV_N)) < 0) {
		*why = "event is not sent, delivered, failed or bounced";
		return -1;
	}
	if (logrun_parse_utc(f[2], &e->at) != 0) {
		*why = "at is not a UTC time YYYY-MM-DDTHH:MM:SSZ";
		return -1;
	}
	e->detail = n == 4 && f[3][0] != '\0' ? f[3] : NULL;
	return 1;
}

int
logrun_parse_restriction(char *line, struct nrestr *r, const char **why)
{
	char *f[6];
	int n;

	if (skippable(line))
		return 0;
	n = tsv_split(line, f, 5);
	if (strcmp(f[0], "client_id") == 0)
		return 0;
	if (n < 3 || n > 5) {
		*why = "expected 3 to 5 tab-separated fields: client_id kind valid_from [valid_to] [note]";
		return -1;
	}
	if (parse_int64(f[0], 1, INT64_MAX, &r->client_id) != 0) {
		*why = "client_id is not a positive integer";
		return -1;
	}
	if ((r->kind = lookup(f[1], kind_names, RS_N)) < 0) {
		*why = "kind is not bankruptcy, refusal, incapacity or representative";
		return -1;
	}
	if (parse_date10(f[2], &r->from) != 0) {
		*why = "valid_from is not a date YYYY-MM-DD";
		return -1;
	}
	r->to = NODAY;
	if (n >= 4 && f[3][0] != '\0') {
		if (parse_date10(f[3], &r->to) != 0) {
			*why = "valid_to is not a date YYYY-MM-DD (or empty)";
			return -1;
		}
		if (r->to < r->from) {
			*why = "valid_to is before valid_from";
			return -1;
		}
	}
	r->note = n == 5 && f[4][0] != '\0' ? f[4] : NULL;
	return 1;
}

/* ------------------------------------------------------------------ */

static void
put_utc(struct buf *b, int64_t t)
{
	char s[DATE_UTC_BUFSZ];

	buf_put(b, s, date_utc_format(t, ' ', s));
	buf_puts(b, "+00");
}

static void
put_text(struct buf *b, const char *s)
{
	if (s == NULL)
		tsv_null(b);
	else
		tsv_escape(b, s, strlen(s));
}

static void
put_day(struct buf *b, int32_t d)
{
	char s[DATE_BUFSZ];

	if (d == NODAY) {
		tsv_null(b);
		return;
	}
	date_format(d, s);
	buf_puts(b, s);
}

static int
cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
by_nullstr(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static void
begin(PGconn *c)
{
	db_run(c, "begin", "BEGIN");
	PQclear(db_exec(c, "writer lock", sql_text("notify/writer_lock.sql"), PGRES_TUPLES_OK));
}

static void
require_schema(PGconn *c)
{
	PGresult *r = db_exec(c, "check schema", "SELECT to_regclass('notify.contact_event') IS NOT NULL",
	    PGRES_TUPLES_OK);

	if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
		db_fail(c, r, EX_UNAVAILABLE, "notify.contact_event does not exist: apply the "
		    "schema first (make schema)");
	PQclear(r);
}

/* ------------------------------------------------------------------ */
/* delivery results */

struct ev {
	struct nevent e;
	char *detail;		/* owned */
	long line;
	int64_t client_id;
	int state;		/* 0 append, 1 unchanged, 2 rejected */
};

struct known {
	int64_t contact_id, client_id;
};

struct seen {
	int64_t contact_id, at;
	int kind;
};

static int
by_contact(const void *a, const void *b)
{
	return cmp_i64(((const struct known *)a)->contact_id, ((const struct known *)b)->contact_id);
}

static int
by_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int r = cmp_i64(x->contact_id, y->contact_id);

	if (r == 0)
		r = x->kind - y->kind;
	if (r == 0)
		r = cmp_i64(x->at, y->at);
	return r;
}

static const struct ev *sort_base;

static int
by_event(const void *a, const void *b)
{
	const struct ev *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
	int r = cmp_i64(x->e.contact_id, y->e.contact_id);

	if (r == 0)
		r = x->e.kind - y->e.kind;
	if (r == 0)
		r = cmp_i64(x->e.at, y->e.at);
	if (r == 0)
		r = cmp_i64(x->line, y->line);
	return r;
}

static int
same_event(const struct ev *a, const struct ev *b)
{
	return a->e.contact_id == b->e.contact_id && a->e.kind == b->e.kind && a->e.at == b->e.at;
}

static void
flush_events(PGconn *c, struct ev *v, size_t n, const char *name, int64_t now,
    struct logrun_stats *st)
{
	struct buf ids = BUF_INIT, cl = BUF_INIT, row = BUF_INIT;
	struct known *k;
	struct seen *s = NULL;
	size_t nk, ns = 0, *ix, nappend = 0;
	const char *p[2];
	PGresult *r;

	if (n == 0)
		return;
	buf_putc(&ids, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)v[i].e.contact_id);
	buf_putc(&ids, '}');
	p[0] = buf_cstr(&ids);
	r = db_execp(c, "look up the contacts", sql_text("notify/contact_lookup.sql"), 1, p,
	    PGRES_TUPLES_OK);
	nk = (size_t)PQntuples(r);
	k = ereallocarray(NULL, nk ? nk : 1, sizeof *k);
	for (size_t i = 0; i < nk; i++)
		if (parse_int64(PQgetvalue(r, (int)i, 0), 1, INT64_MAX, &k[i].contact_id) != 0 ||
		    parse_int64(PQgetvalue(r, (int)i, 1), INT64_MIN, INT64_MAX, &k[i].client_id) != 0)
			db_fail(c, r, EX_SOFTWARE, "look up the contacts: unexpected row");
	PQclear(r);
	qsort(k, nk, sizeof *k, by_contact);
	for (size_t i = 0; i < n; i++) {
		struct known key = {v[i].e.contact_id, 0}, *hit;

		hit = nk ? bsearch(&key, k, nk, sizeof *k, by_contact) : NULL;
		if (hit == NULL) {
			warnf("%s:%ld: contact_id %lld is not in the contact log: rejected", name,
			    v[i].line, (long long)v[i].e.contact_id);
			v[i].state = 2;
			st->rejected++;
			continue;
		}
		v[i].client_id = hit->client_id;
	}
	/* the events these contacts have already */
	buf_reset(&ids);
	buf_putc(&ids, '{');
	buf_putc(&cl, '{');
	for (size_t i = 0; i < nk; i++) {
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)k[i].contact_id);
		buf_printf(&cl, "%s%lld", i ? "," : "", (long long)k[i].client_id);
	}
	buf_putc(&ids, '}');
	buf_putc(&cl, '}');
	p[0] = buf_cstr(&cl);
	p[1] = buf_cstr(&ids);
	r = db_execp(c, "read the logged events", sql_text("notify/event_existing.sql"), 2, p,
	    PGRES_TUPLES_OK);
	ns = (size_t)PQntuples(r);
	s = ereallocarray(NULL, ns ? ns : 1, sizeof *s);
	for (size_t i = 0; i < ns; i++) {
		s[i].kind = lookup(PQgetvalue(r, (int)i, 1), event_names, EV_N);
		if (parse_int64(PQgetvalue(r, (int)i, 0), 1, INT64_MAX, &s[i].contact_id) != 0 ||
		    parse_int64(PQgetvalue(r, (int)i, 2), INT64_MIN, INT64_MAX, &s[i].at) != 0 ||
		    s[i].kind < 0)
			db_fail(c, r, EX_SOFTWARE, "read the logged events: unexpected row");
	}
	PQclear(r);
	qsort(s, ns, sizeof *s, by_seen);
	/* logged before, or twice in this input: once is enough */
	ix = ereallocarray(NULL, n, sizeof *ix);
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	sort_base = v;
	qsort(ix, n, sizeof *ix, by_event);
	for (size_t j = 0; j < n; j++) {
		struct ev *e = &v[ix[j]];
		struct seen key = {e->e.contact_id, e->e.at, e->e.kind};

		if (e->state != 0)
			continue;
		if ((ns && bsearch(&key, s, ns, sizeof *s, by_seen) != NULL) ||
		    (j > 0 && same_event(&v[ix[j - 1]], e))) {
			e->state = 1;
			st->unchanged++;
		}
	}
	free(ix);
	for (size_t i = 0; i < n; i++) {
		if (v[i].state != 0)
			continue;
		if (nappend++ == 0)
			db_copy_begin(c, "append the events", sql_text("notify/event_copy.sql"));
		buf_printf(&row, "%lld\t%lld\t%s\t", (long long)v[i].client_id,
		    (long long)v[i].e.contact_id, event_names[v[i].e.kind]);
		put_utc(&row, v[i].e.at);
		buf_putc(&row, '\t');
		put_text(&row, v[i].detail);
		buf_putc(&row, '\t');
		put_utc(&row, now);
		buf_putc(&row, '\n');
		if (row.len >= 1 << 20) {
			db_copy_put(c, "append the events", row.p, row.len);
			buf_reset(&row);
		}
	}
	if (nappend > 0) {
		if (row.len > 0)
			db_copy_put(c, "append the events", row.p, row.len);
		st->appended += db_copy_end(c, "append the events", NULL);
	}
	buf_free(&ids);
	buf_free(&cl);
	buf_free(&row);
	free(k);
	free(s);
}

void
logrun_events(const char *conninfo, FILE *in, const char *name, int64_t now,
    struct logrun_stats *st)
{
	struct ev *v = ereallocarray(NULL, BATCH, sizeof *v);
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	long lineno = 0;
	PGconn *c;

	memset(st, 0, sizeof *st);
	c = db_connect(conninfo);
	require_schema(c);
	begin(c);
	while ((len = getline(&line, &cap, in)) != -1) {
		struct nevent e;
		const char *why = NULL;
		int k;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			warnf("%s:%ld: a NUL byte in the line: rejected", name, lineno);
			st->read++;
			st->rejected++;
			continue;
		}
		k = logrun_parse_event(line, &e, &why);
		if (k == 0)
			continue;
		st->read++;
		if (k < 0) {
			warnf("%s:%ld: %s: rejected", name, lineno, why);
			st->rejected++;
			continue;
		}
		v[n].e = e;
		v[n].detail = e.detail != NULL ? estrdup(e.detail) : NULL;
		v[n].e.detail = NULL;
		v[n].line = lineno;
		v[n].client_id = 0;
		v[n].state = 0;
		if (++n == BATCH) {
			flush_events(c, v, n, name, now, st);
			for (size_t i = 0; i < n; i++)
				free(v[i].detail);
			n = 0;
		}
	}
	if (ferror(in))
		die(EX_IOERR, "%s:", name);
	flush_events(c, v, n, name, now, st);
	for (size_t i = 0; i < n; i++)
		free(v[i].detail);
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	free(v);
	free(line);
}

/* ------------------------------------------------------------------ */
/* the restrictions list */

struct rs {
	struct nrestr r;
	char *note;		/* owned */
	long line;
};

static int
by_key(const struct nrestr *a, const struct nrestr *b)
{
	int r = cmp_i64(a->client_id, b->client_id);

	if (r == 0)
		r = a->kind - b->kind;
	if (r == 0)
		r = cmp_i64(a->from, b->from);
	return r;
}

static int
by_rs(const void *a, const void *b)
{
	const struct rs *x = a, *y = b;
	int r = by_key(&x->r, &y->r);

	return r != 0 ? r : cmp_i64(x->line, y->line);
}

static int
by_rs_key(const void *a, const void *b)
{
	return by_key(&((const struct rs *)a)->r, &((const struct rs *)b)->r);
}

static int
same_version(const struct rs *a, const struct rs *b)
{
	return a->r.to == b->r.to && by_nullstr(a->note, b->note) == 0;
}

static int32_t
get_day(PGresult *r, int i, int j)
{
	int64_t v;

	if (PQgetisnull(r, i, j))
		return NODAY;
	if (parse_int64(PQgetvalue(r, i, j), INT32_MIN + 1, INT32_MAX, &v) != 0)
		die(EX_SOFTWARE, "read the restrictions: unexpected date");
	return (int32_t)v;
}

void
logrun_restrictions(const char *conninfo, FILE *in, const char *source, int64_t now,
    struct logrun_stats *st)
{
	struct rs *v = NULL, *cur;
	size_t n = 0, capv = 0, ncur, ncopy = 0;
	struct buf row = BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	PGconn *c;
	PGresult *r;

	memset(st, 0, sizeof *st);
	while ((len = getline(&line, &cap, in)) != -1) {
		struct nrestr x;
		const char *why = NULL;
		int k;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			warnf("%s:%ld: a NUL byte in the line: rejected", source, lineno);
			st->read++;
			st->rejected++;
			continue;
		}
		k = logrun_parse_restriction(line, &x, &why);
		if (k == 0)
			continue;
		st->read++;
		if (k < 0) {
			warnf("%s:%ld: %s: rejected", source, lineno, why);
			st->rejected++;
			continue;
		}
		if (n == capv) {
			capv = capv ? capv * 2 : 256;
			v = ereallocarray(v, capv, sizeof *v);
		}
		v[n].r = x;
		v[n].note = x.note != NULL ? estrdup(x.note) : NULL;
		v[n].r.note = NULL;
		v[n].line = lineno;
		n++;
	}
	if (ferror(in))
		die(EX_IOERR, "%s:", source);
	free(line);

	c = db_connect(conninfo);
	require_schema(c);
	begin(c);
	/* the versions in force, by key */
	r = db_exec(c, "read the restrictions", sql_text("notify/restriction_current.sql"),
	    PGRES_TUPLES_OK);
	ncur = (size_t)PQntuples(r);
	cur = ereallocarray(NULL, ncur ? ncur : 1, sizeof *cur);
	for (size_t i = 0; i < ncur; i++) {
		int ii = (int)i;

		if (parse_int64(PQgetvalue(r, ii, 0), INT64_MIN, INT64_MAX, &cur[i].r.client_id) != 0 ||
		    (cur[i].r.kind = lookup(PQgetvalue(r, ii, 1), kind_names, RS_N)) < 0)
			db_fail(c, r, EX_SOFTWARE, "read the restrictions: unexpected row");
		cur[i].r.from = get_day(r, ii, 2);
		cur[i].r.to = get_day(r, ii, 3);
		cur[i].note = PQgetisnull(r, ii, 4) ? NULL : estrdup(PQgetvalue(r, ii, 4));
		cur[i].line = 0;
	}
	PQclear(r);
	qsort(cur, ncur, sizeof *cur, by_rs);
	/* in key order, each line after the version before it (the file's, else the table's) */
	qsort(v, n, sizeof *v, by_rs);
	for (size_t i = 0; i < n; i++) {
		const struct rs *prev = NULL;

		if (i > 0 && by_key(&v[i - 1].r, &v[i].r) == 0)
			prev = &v[i - 1];
		else if (ncur > 0)
			prev = bsearch(&v[i], cur, ncur, sizeof *cur, by_rs_key);
		if (prev != NULL && same_version(prev, &v[i])) {
			st->unchanged++;
			continue;
		}
		if (ncopy++ == 0)
			db_copy_begin(c, "append the restrictions", sql_text("notify/restriction_copy.sql"));
		buf_printf(&row, "%lld\t%s\t", (long long)v[i].r.client_id, kind_names[v[i].r.kind]);
		put_day(&row, v[i].r.from);
		buf_putc(&row, '\t');
		put_day(&row, v[i].r.to);
		buf_putc(&row, '\t');
		put_text(&row, v[i].note);
		buf_putc(&row, '\t');
		put_text(&row, source);
		buf_putc(&row, '\t');
		put_utc(&row, now);
		buf_putc(&row, '\n');
	}
	if (ncopy > 0) {
		db_copy_put(c, "append the restrictions", row.p, row.len);
		st->appended = db_copy_end(c, "append the restrictions", NULL);
	}
	db_run(c, "commit", "COMMIT");
	PQfinish(c);
	for (size_t i = 0; i < n; i++)
		free(v[i].note);
	for (size_t i = 0; i < ncur; i++)
		free(cur[i].note);
	free(v);
	free(cur);
	buf_free(&row);
}
