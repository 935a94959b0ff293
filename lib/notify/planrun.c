/*
 * planrun.c - notify-plan's work (planrun.h): the warehouse's clients
 * through the engine (plan.h), the plan out and into the contact log.
 *
 * Three passes, the database read once:
 *   1. COPY sql/notify/plan_read.sql out (one row per loan, client_id
 *      order); per client: its state from the log, plan_episode(),
 *      plan_client(); a contact keeps its decision in memory and its texts
 *      (zone, loans, fio, phone, e-mail, address) in a temporary file; a
 *      call keeps a copy of the client for the capacity pass;
 *   2. plan_capacity() over the day's calls;
 *   3. the contact ids reserved (nextval), then the kept contacts in order:
 *      one plan row on the output and one COPY row into notify.contact
 *      each.  The output is flushed before COMMIT: the log holds a plan
 *      only when the plan was written.
 */
#include <stdlib.h>
#include <string.h>

#include "db/copyout.h"
#include "buf.h"
#include "date.h"
#include "db/db.h"
#include "json/jsonout.h"
#include "money.h"
#include "notify/calendar.h"
#include "notify/planrun.h"
#include "notify/tz.h"
#include "db/sql.h"
#include "tsv.h"
#include "util.h"

#define NCOL 15
#define LEDGER_DAYS 62		/* the contacts the caps need: a month and a week */
#define COPY_CHUNK (1 << 20)

enum { T_FIO, T_PHONE, T_EMAIL, T_REGION, T_ADDRESS, T_N };

/* the zone an unknown one's window is written in (plan.c's too) */
static const char moscow[] = "Europe/Moscow";

/* ------------------------------------------------------------------ */
/* small parsers and formatters */

static int
parse_i64(const char *s, int64_t *v)
{
	return parse_int64(s, INT64_MIN, INT64_MAX, v);
}

/* a day number field, "" = none */
static int
parse_day(const char *s, size_t n, int32_t *d)
{
	int64_t v = 0;
	int neg = 0;
	size_t i = 0;

	if (n == 0) {
		*d = PLAN_NODATE;
		return 0;
	}
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || n - i > 9)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*d = (int32_t)(neg ? -v : v);
	return 0;
}

void
planrun_local(const char *zone, int64_t t, char buf[static 17])
{
	int32_t day;
	int minute, y, m, d;
	char s[64];

	tz_to_local(zone, t, &day, &minute);
	date_to_civil(day, &y, &m, &d);
	snprintf(s, sizeof s, "%04d-%02d-%02dT%02d:%02d", y, m, d, minute / 60, minute % 60);
	memcpy(buf, s, 16);
	buf[16] = '\0';
}

/* a UTC instant as a timestamptz literal */
static void
put_utc(struct buf *b, int64_t t)
{
	char s[DATE_UTC_BUFSZ];

	buf_put(b, s, date_utc_format(t, ' ', s));
	buf_puts(b, "+00");
}

static void
put_day(struct buf *b, int32_t day)
{
	char s[DATE_BUFSZ];

	if (day == PLAN_NODATE) {
		tsv_null(b);
		return;
	}
	date_format(day, s);
	buf_puts(b, s);
}

/* ------------------------------------------------------------------ */
/* the contact log of one client */

int
planrun_history(const struct policy *p, int32_t day, const char *log, struct nclient *c)
{
	int32_t maxdpd = 0, emart = PLAN_NODATE, ep = PLAN_NODATE, ep_last = PLAN_NODATE;
	int32_t ep_step = -1;
	int today = 0;

	for (size_t i = 0; i < c->nloans; i++)
		if (c->loans[i].dpd > maxdpd)
			maxdpd = c->loans[i].dpd;
	if (maxdpd > 0)
		emart = day - maxdpd + 1;
	ledger_init(&c->ledger);
	c->predue_for = PLAN_NODATE;
	c->episode_start = PLAN_NODATE;
	c->steps_done = 0;
	while (log != NULL && *log != '\0') {
		const char *end = strchr(log, ';'), *f[6];
		size_t len[6];
		int32_t pd, ld, sd, es, dd;
		enum channel ch;
		char name[8];
		int nf = 0;

		if (end == NULL)
			end = log + strlen(log);
		for (const char *s = log; nf < 6;) {
			const char *comma = memchr(s, ',', (size_t)(end - s));

			f[nf] = s;
			len[nf] = (size_t)((comma != NULL ? comma : end) - s);
			nf++;
			if (comma == NULL)
				break;
			s = comma + 1;
		}
		if (nf != 6 || f[5] + len[5] != end || len[2] == 0 || len[2] >= sizeof name ||
		    parse_day(f[0], len[0], &pd) != 0 || pd == PLAN_NODATE ||
		    parse_day(f[1], len[1], &ld) != 0 || ld == PLAN_NODATE ||
		    parse_day(f[3], len[3], &sd) != 0 || sd == PLAN_NODATE ||
		    parse_day(f[4], len[4], &es) != 0 || parse_day(f[5], len[5], &dd) != 0)
			return -1;
		memcpy(name, f[2], len[2]);
		name[len[2]] = '\0';
		if (channel_parse(name, &ch) != 0)
			return -1;
		log = *end == ';' ? end + 1 : end;
		if (pd > day)
			continue;	/* a plan of a later day: not history yet */
		if (pd == day)
			today = 1;
		if ((int64_t)ld >= (int64_t)day - LEDGER_DAYS)
			ledger_add(&c->ledger, channel_class(ch), ld);
		if (sd < 0) {
			if (dd != PLAN_NODATE && (c->predue_for == PLAN_NODATE || dd > c->predue_for))
				c->predue_for = dd;
			continue;
		}
		if (es == PLAN_NODATE)
			es = pd;
		if (ep == PLAN_NODATE || es > ep) {
			ep = es;
			ep_last = pd;
			ep_step = sd;
		} else if (es == ep) {
			if (pd > ep_last)
				ep_last = pd;
			if (sd > ep_step)
				ep_step = sd;
		}
	}
	if (emart == PLAN_NODATE)
		return today;
	c->episode_start = emart;
	if (ep != PLAN_NODATE && ep_last >= emart) {
		if (ep < emart)
			c->episode_start = ep;
		for (int i = 0; i < p->nsteps && i < 32; i++)
			if (p->steps[i].dpd <= ep_step)
				c->steps_done |= (uint32_t)1 << i;
	}
	return today;
}

/* ------------------------------------------------------------------ */
/* one client as it streams in */

struct acc {
	int64_t id;
	int have;			/* a row was read */
	struct nloan *loans;
	size_t nloans, cap;
	size_t *name_off;		/* loan names in names, NUL-terminated */
	struct buf names;
	int late, restricted;
	struct buf text[T_N];
	int null[T_N];
	struct buf log;
	int has_log;
};

/* a contact planned, waiting for the capacity pass */
struct kept {
	int64_t id;
	struct decision d;
	int32_t episode_start, due;
	int32_t call;			/* index among the day's calls, or -1 */
};

struct run {
	const struct planrun_opts *o;
	struct planrun_stats *st;
	struct policy pol;
	struct calendar *cal;
	struct tzmap *zones;
	struct acc a;
	struct kept *kept;
	size_t nkept, capkept;
	/* the day's calls: copies of their clients for plan_capacity() */
	struct nclient *calls;
	size_t *call_off;		/* where each one's loans start in call_loans */
	struct nloan *call_loans;
	size_t ncalls, capcalls, ncall_loans, capcall_loans;
	FILE *spool;
	struct buf sp;
};

static void
acc_reset(struct acc *a)
{
	a->have = 0;
	a->nloans = 0;
	buf_reset(&a->names);
	a->late = 0;
	a->restricted = 0;
	for (int i = 0; i < T_N; i++) {
		buf_reset(&a->text[i]);
		a->null[i] = 1;
	}
	buf_reset(&a->log);
	a->has_log = 0;
}

static void
acc_free(struct acc *a)
{
	free(a->loans);
	free(a->name_off);
	buf_free(&a->names);
	for (int i = 0; i < T_N; i++)
		buf_free(&a->text[i]);
	buf_free(&a->log);
}

/* an unescaped COPY text field into b; returns 0 for NULL */
static int
field_text(struct buf *b, char *f, const char *what)
{
	long n;

	if (tsv_is_null(f, strlen(f)))
		return 0;
	n = tsv_unescape(f, strlen(f));
	if (n < 0)
		die(EX_SOFTWARE, "%s: a malformed COPY escape", what);
	buf_put(b, f, (size_t)n);
	buf_putc(b, '\0');
	return 1;
}

static const char *
text(struct acc *a, int k)
{
	return a->null[k] ? NULL : a->text[k].p;
}

static int
nonempty(const char *s)
{
	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t')
			return 1;
	return 0;
}

/* one row of plan_read.sql */
static void
acc_row(struct acc *a, char **f, int64_t id)
{
	static const char what[] = "read the clients";
	int64_t dpd, ar, out, due;
	struct nloan *l;

	if (!a->have) {
		a->have = 1;
		a->id = id;
		for (int i = 0; i < T_N; i++)
			a->null[i] = !field_text(&a->text[i], f[8 + i], what);
		a->restricted = f[13][0] == 't';
		a->has_log = field_text(&a->log, f[14], what);
	}
	if (f[7][0] == 't')
		a->late = 1;
	if (f[2][0] == '-')
		return;		/* closed or not started: only its late flag counts */
	if (parse_i64(f[3], &dpd) != 0 || dpd < 0 || dpd > INT32_MAX ||
	    parse_i64(f[4], &ar) != 0 || ar < 0 || parse_i64(f[5], &out) != 0 || out < 0)
		die(EX_SOFTWARE, "%s: client %lld: unexpected loan values", what, (long long)id);
	due = PLAN_NODATE;
	if (!tsv_is_null(f[6], strlen(f[6])) && (parse_i64(f[6], &due) != 0 ||
	    due < INT32_MIN + 1 || due > INT32_MAX))
		die(EX_SOFTWARE, "%s: client %lld: unexpected due date", what, (long long)id);
	if (a->nloans == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->loans = ereallocarray(a->loans, a->cap, sizeof *a->loans);
		a->name_off = ereallocarray(a->name_off, a->cap, sizeof *a->name_off);
	}
	a->name_off[a->nloans] = a->names.len;
	if (!field_text(&a->names, f[1], what))
		die(EX_SOFTWARE, "%s: client %lld: a loan without a name", what, (long long)id);
	l = &a->loans[a->nloans++];
	l->name = NULL;
	l->arrears_k = ar;
	l->outstanding_k = out;
	l->dpd = (int32_t)dpd;
	l->next_due = (int32_t)due;
	l->late_recent = 0;
}

/* ------------------------------------------------------------------ */
/* the spool: each contact's texts, in the order of r->kept */

static void
spool_str(struct buf *b, const char *s)
{
	uint32_t n = s != NULL ? (uint32_t)strlen(s) : 0;

	buf_put(b, &n, sizeof n);
	if (n > 0)
		buf_put(b, s, n);
}

static void
spool_put(struct run *r, const char *zone, const struct decision *d)
{
	struct acc *a = &r->a;
	struct buf *b = &r->sp;
	uint32_t n = 0;

	buf_reset(b);
	spool_str(b, zone);
	for (size_t i = 0; i < a->nloans && i < 64; i++)
		n += (uint32_t)(d->loans >> i & 1);
	buf_put(b, &n, sizeof n);
	for (size_t i = 0; i < a->nloans && i < 64; i++)
		if (d->loans >> i & 1)
			spool_str(b, a->loans[i].name);
	for (int k = 0; k < T_N; k++)
		if (k != T_REGION)
			spool_str(b, text(a, k));
	if (fwrite(b->p, 1, b->len, r->spool) != b->len)
		die(EX_IOERR, "temporary file:");
}

/* read one string of the spool into b (NUL-terminated) */
static void
spool_get(FILE *fp, struct buf *b)
{
	uint32_t n;

	buf_reset(b);
	if (fread(&n, sizeof n, 1, fp) != 1)
		die(EX_IOERR, "temporary file: short read");
	buf_reserve(b, (size_t)n + 1);
	if (n > 0 && fread(b->p, 1, n, fp) != n)
		die(EX_IOERR, "temporary file: short read");
	b->len = n;
	buf_cstr(b);
}

/* ------------------------------------------------------------------ */
/* pass 1: a client's decision */

static void
client_done(struct run *r)
{
	struct acc *a = &r->a;
	struct nclient c;
	struct decision d;
	const char *zone;
	int h;

	if (!a->have || a->nloans == 0)
		return;
	r->st->clients++;
	for (size_t i = 0; i < a->nloans; i++) {
		a->loans[i].name = a->names.p + a->name_off[i];
		a->loans[i].late_recent = a->late;
	}
	memset(&c, 0, sizeof c);
	c.id = a->id;
	zone = tz_client(r->zones, text(a, T_REGION), text(a, T_ADDRESS));
	c.zone = zone;
	c.has_phone = nonempty(text(a, T_PHONE));
	c.has_email = nonempty(text(a, T_EMAIL));
	c.has_address = nonempty(text(a, T_ADDRESS));
	c.excluded = a->restricted;
	c.no_calls = 0;
	c.loans = a->loans;
	c.nloans = a->nloans;
	h = planrun_history(&r->pol, r->o->day, a->has_log ? a->log.p : NULL, &c);
	if (h < 0)
		die(EX_SOFTWARE, "client %lld: a malformed contact log summary", (long long)a->id);
	if (h > 0) {
		r->st->already++;
		return;
	}
	if (c.excluded)
		r->st->excluded++;
	plan_episode(&c, r->o->day);
	plan_client(&r->pol, r->cal, &c, r->o->day, &d);
	if (!d.contact)
		return;
	if (r->nkept == r->capkept) {
		r->capkept = r->capkept ? r->capkept * 2 : 1024;
		r->kept = ereallocarray(r->kept, r->capkept, sizeof *r->kept);
	}
	{
		struct kept *k = &r->kept[r->nkept++];

		k->id = c.id;
		k->d = d;
		k->episode_start = d.step == STEP_PREDUE ? PLAN_NODATE : c.episode_start;
		k->call = -1;
		if (d.channel == CH_CALL) {
			struct nclient *cc;

			if (r->ncalls == r->capcalls) {
				r->capcalls = r->capcalls ? r->capcalls * 2 : 256;
				r->calls = ereallocarray(r->calls, r->capcalls, sizeof *r->calls);
				r->call_off = ereallocarray(r->call_off, r->capcalls, sizeof *r->call_off);
			}
			while (r->ncall_loans + c.nloans > r->capcall_loans) {
				r->capcall_loans = r->capcall_loans ? r->capcall_loans * 2 : 1024;
				r->call_loans = ereallocarray(r->call_loans, r->capcall_loans,
				    sizeof *r->call_loans);
			}
			/* the loans by offset (the array may move); no names */
			for (size_t i = 0; i < c.nloans; i++) {
				r->call_loans[r->ncall_loans + i] = c.loans[i];
				r->call_loans[r->ncall_loans + i].name = NULL;
			}
			cc = &r->calls[r->ncalls];
			*cc = c;
			cc->loans = NULL;
			r->call_off[r->ncalls] = r->ncall_loans;
			r->ncall_loans += c.nloans;
			k->call = (int32_t)r->ncalls++;
		}
		plan_record(&c, &d);
		k->due = d.step == STEP_PREDUE ? c.predue_for : PLAN_NODATE;
	}
	spool_put(r, zone, &d);
}

/* ------------------------------------------------------------------ */
/* pass 3: the rows out */

static const char *const columns[] = {
	"client_id", "channel", "step", "window_start", "window_end", "tz", "loans",
	"arrears", "max_dpd", "priority", "contact_id", "fio", "phone", "email", "address",
	"due_date"
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

struct texts {
	struct buf zone, fio, phone, email, address;
	struct buf *loans;
	uint32_t nloans, caploans;
};

static void
texts_read(FILE *fp, struct texts *t)
{
	uint32_t n;

	spool_get(fp, &t->zone);
	if (fread(&n, sizeof n, 1, fp) != 1)
		die(EX_IOERR, "temporary file: short read");
	if (n > t->caploans) {
		t->loans = ereallocarray(t->loans, n, sizeof *t->loans);
		for (uint32_t i = t->caploans; i < n; i++)
			t->loans[i] = (struct buf)BUF_INIT;
		t->caploans = n;
	}
	t->nloans = n;
	for (uint32_t i = 0; i < n; i++)
		spool_get(fp, &t->loans[i]);
	spool_get(fp, &t->fio);
	spool_get(fp, &t->phone);
	spool_get(fp, &t->email);
	spool_get(fp, &t->address);
}

static void
texts_free(struct texts *t)
{
	buf_free(&t->zone);
	buf_free(&t->fio);
	buf_free(&t->phone);
	buf_free(&t->email);
	buf_free(&t->address);
	for (uint32_t i = 0; i < t->caploans; i++)
		buf_free(&t->loans[i]);
	free(t->loans);
}

static void
step_name(const struct policy *p, const struct decision *d, char *s, size_t n)
{
	if (d->step == STEP_PREDUE)
		snprintf(s, n, "predue");
	else
		snprintf(s, n, "dpd%d", (int)p->steps[d->step].dpd);
}

/* one plan row (TSV or a JSON array element) */
static void
out_row(struct run *r, struct buf *b, const struct kept *k, const struct texts *t,
    int64_t contact_id, int64_t index)
{
	const char *zone = t->zone.len > 0 ? t->zone.p : NULL;
	char from[17], to[17], step[24], money[MONEY_BUFSZ];

	planrun_local(zone != NULL ? zone : moscow, k->d.win_from, from);
	planrun_local(zone != NULL ? zone : moscow, k->d.win_to, to);
	step_name(&r->pol, &k->d, step, sizeof step);
	money_format(k->d.arrears_k, money);
	if (r->o->json) {
		struct json_rec j;

		json_array_next(b, index);
		json_rec_begin(&j, b, JSON_ARRAY, NULL);
		json_rec_key(&j, "client_id");
		json_int(b, k->id);
		json_rec_key(&j, "channel");
		json_cstr(b, channel_name(k->d.channel));
		json_rec_key(&j, "step");
		json_cstr(b, step);
		json_rec_key(&j, "window_start");
		json_cstr(b, from);
		json_rec_key(&j, "window_end");
		json_cstr(b, to);
		json_rec_key(&j, "tz");
		json_cstr(b, zone != NULL ? zone : "unknown");
		json_rec_key(&j, "loans");
		buf_putc(b, '[');
		for (uint32_t i = 0; i < t->nloans; i++) {
			if (i)
				buf_putc(b, ',');
			json_str(b, t->loans[i].p, t->loans[i].len);
		}
		buf_putc(b, ']');
		json_rec_key(&j, "arrears");
		json_money(b, k->d.arrears_k);
		json_rec_key(&j, "max_dpd");
		json_int(b, k->d.max_dpd);
		json_rec_key(&j, "priority");
		json_int(b, k->d.priority);
		json_rec_key(&j, "contact_id");
		if (contact_id > 0)
			json_int(b, contact_id);
		else
			json_null(b);
		json_rec_key(&j, "fio");
		json_str(b, t->fio.p, t->fio.len);
		json_rec_key(&j, "phone");
		json_str(b, t->phone.p, t->phone.len);
		json_rec_key(&j, "email");
		json_str(b, t->email.p, t->email.len);
		json_rec_key(&j, "address");
		json_str(b, t->address.p, t->address.len);
		json_rec_key(&j, "due_date");
		if (k->due != PLAN_NODATE)
			json_date(b, k->due);
		else
			json_null(b);
		json_rec_end(&j);
		return;
	}
	buf_printf(b, "%lld\t%s\t%s\t%s\t%s\t%s\t", (long long)k->id, channel_name(k->d.channel),
	    step, from, to, zone != NULL ? zone : "unknown");
	for (uint32_t i = 0; i < t->nloans; i++) {
		if (i)
			buf_putc(b, ',');
		tsv_escape(b, t->loans[i].p, t->loans[i].len);
	}
	buf_printf(b, "\t%s\t%d\t%lld\t", money, (int)k->d.max_dpd, (long long)k->d.priority);
	if (contact_id > 0)
		buf_printf(b, "%lld", (long long)contact_id);
	buf_putc(b, '\t');
	tsv_escape(b, t->fio.p, t->fio.len);
	buf_putc(b, '\t');
	tsv_escape(b, t->phone.p, t->phone.len);
	buf_putc(b, '\t');
	tsv_escape(b, t->email.p, t->email.len);
	buf_putc(b, '\t');
	tsv_escape(b, t->address.p, t->address.len);
	/* a pre-due reminder's due date, for the message text (notify-render) */
	buf_putc(b, '\t');
	if (k->due != PLAN_NODATE) {
		char d[DATE_BUFSZ];

		buf_put(b, d, date_format(k->due, d));
	}
	buf_putc(b, '\n');
}

/* a text[] literal of the loan names, then COPY-escaped */
static void
put_array(struct buf *b, const struct texts *t, struct buf *tmp)
{
	buf_reset(tmp);
	buf_putc(tmp, '{');
	for (uint32_t i = 0; i < t->nloans; i++) {
		const struct buf *s = &t->loans[i];

		if (i)
			buf_putc(tmp, ',');
		buf_putc(tmp, '"');
		for (size_t j = 0; j < s->len; j++) {
			if (s->p[j] == '"' || s->p[j] == '\\')
				buf_putc(tmp, '\\');
			buf_putc(tmp, s->p[j]);
		}
		buf_putc(tmp, '"');
	}
	buf_putc(tmp, '}');
	tsv_escape(b, tmp->p, tmp->len);
}

/* one COPY row of notify.contact */
static void
copy_row(struct run *r, struct buf *b, const struct kept *k, const struct texts *t,
    int64_t contact_id, struct buf *tmp)
{
	char step[24], money[MONEY_BUFSZ];

	step_name(&r->pol, &k->d, step, sizeof step);
	money_format(k->d.arrears_k, money);
	buf_printf(b, "%lld\t%lld\t", (long long)contact_id, (long long)k->id);
	put_day(b, r->o->day);
	buf_putc(b, '\t');
	put_day(b, k->d.local_day);
	buf_printf(b, "\t%s\t%s\t", step, channel_name(k->d.channel));
	put_array(b, t, tmp);
	buf_printf(b, "\t%s\t%d\t%lld\t", money, (int)k->d.max_dpd, (long long)k->d.priority);
	put_utc(b, k->d.win_from);
	buf_putc(b, '\t');
	put_utc(b, k->d.win_to);
	buf_putc(b, '\t');
	if (t->zone.len > 0)
		tsv_escape(b, t->zone.p, t->zone.len);
	else
		buf_puts(b, "unknown");
	buf_putc(b, '\t');
	put_day(b, k->episode_start);
	buf_putc(b, '\t');
	put_day(b, k->due);
	buf_putc(b, '\t');
	put_utc(b, r->o->now);
	buf_putc(b, '\n');
}

/* the contact ids for n contacts, in order */
static int64_t *
reserve_ids(PGconn *c, size_t n)
{
	const char *tmpl = sql_text("notify/contact_ids.sql");
	const char *at = strstr(tmpl, "@N@");
	int64_t *ids = ereallocarray(NULL, n, sizeof *ids);
	struct buf q = BUF_INIT;
	PGresult *res;
	size_t k = 0;
	char *p;
	int len;

	if (at == NULL)
		die(EX_SOFTWARE, "notify/contact_ids.sql: no @N@");
	buf_put(&q, tmpl, (size_t)(at - tmpl));
	buf_printf(&q, "%zu", n);
	buf_puts(&q, at + 3);
	res = PQexec(c, buf_cstr(&q));
	buf_free(&q);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT)
		db_die(c, res, "reserve contact ids");
	PQclear(res);
	while ((len = PQgetCopyData(c, &p, 0)) > 0) {
		if (len > 0 && p[len - 1] == '\n')
			p[len - 1] = '\0';
		if (k == n || parse_int64(p, 1, INT64_MAX, &ids[k]) != 0)
			die(EX_SOFTWARE, "reserve contact ids: unexpected row");
		k++;
		PQfreemem(p);
	}
	if (len != -1)
		db_die(c, NULL, "reserve contact ids");
	while ((res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			db_die(c, res, "reserve contact ids");
		PQclear(res);
	}
	if (k != n)
		die(EX_SOFTWARE, "reserve contact ids: %zu of %zu", k, n);
	return ids;
}

/* ------------------------------------------------------------------ */
/* the database */

/* plan_read.sql with its literals in */
static char *
read_sql(const struct run *r, int has_email)
{
	const char *s = sql_text("notify/plan_read.sql");
	struct buf q = BUF_INIT;
	char day[DATE_BUFSZ];
	int y, m, d;

	date_format(r->o->day, day);
	date_to_civil(r->o->day, &y, &m, &d);
	while (*s != '\0') {
		const char *at = strchr(s, '@');

		if (at == NULL) {
			buf_puts(&q, s);
			break;
		}
		buf_put(&q, s, (size_t)(at - s));
		if (strncmp(at, "@DAY@", 5) == 0) {
			buf_printf(&q, "DATE '%s'", day);
			s = at + 5;
		} else if (strncmp(at, "@MONTHNO@", 9) == 0) {
			buf_printf(&q, "%d", y * 12 + m);
			s = at + 9;
		} else if (strncmp(at, "@LOOKBACK@", 10) == 0) {
			buf_printf(&q, "%d", r->pol.predue_lookback_months);
			s = at + 10;
		} else if (strncmp(at, "@EMAIL@", 7) == 0) {
			buf_puts(&q, has_email ? "c.email" : "NULL::text");
			s = at + 7;
		} else {
			buf_putc(&q, '@');
			s = at + 1;
		}
	}
	buf_cstr(&q);
	return q.p;
}

static int
query_bool(PGconn *c, const char *what, const char *sql)
{
	PGresult *res = db_exec(c, what, sql, PGRES_TUPLES_OK);
	int v = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;

	PQclear(res);
	return v;
}

/* dies with 65 unless the mart is built as of the day */
static void
check_mart(PGconn *c, int32_t day)
{
	PGresult *res = db_exec(c, "read mart.build_info", sql_text("notify/mart_asof.sql"),
	    PGRES_TUPLES_OK);
	char want[DATE_BUFSZ];

	date_format(day, want);
	if (PQntuples(res) != 1)
		db_fail(c, res, EX_DATAERR, "the mart is not built (never, or emptied by a "
		    "server crash): run build-mart --as-of %s", want);
	if (strcmp(PQgetvalue(res, 0, 0), want) != 0)
		db_fail(c, res, EX_DATAERR, "the mart is built as of %s, not %s: run build-mart "
		    "--as-of %s", PQgetvalue(res, 0, 0), want, want);
	PQclear(res);
}

static void
read_clients(PGconn *c, struct run *r, const char *sql)
{
	static const char what[] = "read the clients";
	PGresult *res = PQexec(c, sql);
	char *p, *f[NCOL + 1];
	int len;

	if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT)
		db_die(c, res, what);
	PQclear(res);
	while ((len = PQgetCopyData(c, &p, 0)) > 0) {
		int64_t id;

		if (copyout_split(p, len, f, NCOL + 1) != NCOL || parse_i64(f[0], &id) != 0)
			die(EX_SOFTWARE, "%s: unexpected row shape", what);
		if (r->a.have && id != r->a.id) {
			if (id < r->a.id)
				die(EX_SOFTWARE, "%s: not in client_id order", what);
			client_done(r);
			acc_reset(&r->a);
		}
		acc_row(&r->a, f, id);
		PQfreemem(p);
	}
	if (len != -1)
		db_die(c, NULL, what);
	while ((res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			db_die(c, res, what);
		PQclear(res);
	}
	client_done(r);
	acc_reset(&r->a);
}

/* pass 2: the day's calls over capacity get another channel, or none */
static void
capacity(struct run *r)
{
	const struct nclient **cp;
	struct decision *d;
	size_t j = 0;

	if (r->ncalls == 0)
		return;
	cp = ereallocarray(NULL, r->ncalls, sizeof *cp);
	d = ereallocarray(NULL, r->ncalls, sizeof *d);
	for (size_t i = 0; i < r->ncalls; i++) {
		r->calls[i].loans = r->call_loans + r->call_off[i];
		cp[i] = &r->calls[i];
	}
	for (size_t i = 0; i < r->nkept; i++)
		if (r->kept[i].call >= 0)
			d[j++] = r->kept[i].d;
	plan_capacity(&r->pol, cp, d, r->ncalls);
	j = 0;
	for (size_t i = 0; i < r->nkept; i++)
		if (r->kept[i].call >= 0) {
			if (d[j].channel != CH_CALL || !d[j].contact)
				r->st->calls_moved++;
			r->kept[i].d = d[j++];
		}
	free(cp);
	free(d);
}

void
planrun(const struct planrun_opts *o, FILE *out, struct planrun_stats *st)
{
	struct run r;
	struct texts t;
	struct buf ob = BUF_INIT, cb = BUF_INIT, tmp = BUF_INIT;
	int64_t *ids = NULL;
	size_t n = 0, k = 0;
	PGconn *c;
	char *sql;
	int has_email;

	memset(&r, 0, sizeof r);
	memset(&t, 0, sizeof t);
	memset(st, 0, sizeof *st);
	r.o = o;
	r.st = st;
	policy_load(o->policy, &r.pol);
	r.cal = cal_load(o->calendar);
	r.zones = tz_load(o->zones);
	for (int i = 0; i < T_N; i++)
		r.a.text[i] = (struct buf)BUF_INIT;
	acc_reset(&r.a);
	r.spool = tmpfile();
	if (r.spool == NULL)
		die(EX_CANTCREAT, "temporary file:");

	c = db_connect(o->conninfo);
	if (!query_bool(c, "check schema", "SELECT to_regclass('notify.contact') IS NOT NULL"))
		db_fail(c, NULL, EX_UNAVAILABLE, "notify.contact does not exist: apply the schema "
		    "first (make schema)");
	has_email = query_bool(c, "check core", sql_text("notify/email_column.sql"));
	db_run(c, "begin", "BEGIN");
	if (!o->dry_run)
		PQclear(db_exec(c, "writer lock", sql_text("notify/writer_lock.sql"), PGRES_TUPLES_OK));
	check_mart(c, o->day);
	db_run(c, "settings", sql_text("notify/plan_settings.sql"));
	sql = read_sql(&r, has_email);
	read_clients(c, &r, sql);
	free(sql);
	capacity(&r);

	for (size_t i = 0; i < r.nkept; i++)
		if (r.kept[i].d.contact) {
			n++;
			st->by_channel[r.kept[i].d.channel]++;
		}
	st->contacts = n;
	if (!o->dry_run && n > 0) {
		ids = reserve_ids(c, n);
		db_copy_begin(c, "write notify.contact", sql_text("notify/contact_copy.sql"));
	}
	if (!o->json) {
		for (size_t i = 0; i < NCOLUMNS; i++)
			buf_printf(&ob, "%s%c", columns[i], i + 1 < NCOLUMNS ? '\t' : '\n');
	}
	if (fflush(r.spool) != 0 || fseek(r.spool, 0, SEEK_SET) != 0)
		die(EX_IOERR, "temporary file:");
	for (size_t i = 0; i < r.nkept; i++) {
		const struct kept *kp = &r.kept[i];
		int64_t id = 0;

		texts_read(r.spool, &t);
		if (!kp->d.contact)
			continue;
		if (ids != NULL) {
			id = ids[k];
			copy_row(&r, &cb, kp, &t, id, &tmp);
			if (cb.len >= COPY_CHUNK) {
				db_copy_put(c, "write notify.contact", cb.p, cb.len);
				buf_reset(&cb);
			}
		}
		out_row(&r, &ob, kp, &t, id, (int64_t)k);
		k++;
		if (ob.len >= 65536)
			buf_flush(&ob, out);
	}
	if (o->json) {
		json_array_end(&ob, (int64_t)k);
		buf_putc(&ob, '\n');
	}
	buf_flush(&ob, out);
	if (ids != NULL) {
		if (cb.len > 0)
			db_copy_put(c, "write notify.contact", cb.p, cb.len);
		db_copy_end(c, "write notify.contact", NULL);
	}
	/* the plan is out before the log says it was made */
	if (fflush(out) != 0 || ferror(out))
		die(EX_IOERR, "write error:");
	db_run(c, "commit", o->dry_run ? "ROLLBACK" : "COMMIT");
	PQfinish(c);

	free(ids);
	buf_free(&ob);
	buf_free(&cb);
	buf_free(&tmp);
	texts_free(&t);
	fclose(r.spool);
	acc_free(&r.a);
	buf_free(&r.sp);
	free(r.kept);
	free(r.calls);
	free(r.call_off);
	free(r.call_loans);
	cal_free(r.cal);
	tz_free(r.zones);
}
