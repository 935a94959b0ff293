/*
 * replay.c - notify-replay's engine (replay.h): the two policies over a
 * client's whole period, the day's call cut between the passes, the
 * summary and the chart.  The database side is in replaydb.c.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "notify/law.h"
#include "notify/plan.h"
#include "notify/replay.h"
#include "position.h"
#include "tsv.h"
#include "util.h"

#define FLUSH_AT (1u << 20)
#define NODATE PLAN_NODATE
#define NEVER INT32_MAX		/* a loan that never closes */

static const int horizon[3] = {1, 3, 7};	/* first contact within N days */
static const char moscow[] = "Europe/Moscow";

/* A call of pass 1: its rank key. */
struct cand {
	int64_t priority, id;
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

/* What replay_client() keeps about a loan it replays. */
struct lstate {
	struct replay_loan *l;
	int32_t close;		/* first day it is closed from on, or NEVER */
	size_t bad, nbad;	/* its late records' due dates: r->bad[bad .. bad + nbad) */
	size_t ibad;		/* how many of them are before the current day */
};

struct replay {
	struct replay_opts o;
	struct policy nocalls;	/* the policy with no call left (plan_capacity) */
	int32_t ndays, lb0;
	int pass;
	struct replay_totals t[RP_N];
	int64_t *per_day[RP_N];
	int64_t *calls_day;	/* pass 2: calls made per day */
	int64_t *base_t;	/* the baseline's send time per day: 10:00 Moscow, UTC */
	int32_t *lb;		/* per day: the first day of the pre-due lookback's months */
	int64_t *any_from, *any_to;	/* law_window_anywhere() per day */
	struct cands *cand;	/* pass 1: call candidates per day, sorted by replay_cut() */
	int64_t unranked, unranked_made;
	struct buf log, blog;
	/* per client, reused */
	struct lstate *ls;
	struct nloan *nl;
	size_t cap;
	int32_t *bad;
	size_t cap_bad;
};

/* ---- helpers ----------------------------------------------------------- */

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* the order plan_capacity() gives the day's calls: priority down, client_id up */
static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * Is instant t within the hours 230-FZ allows for a client in zone (NULL:
 * unknown, then every Russian zone)?  *local_day: the client's local day
 * (Moscow's when the zone is unknown, as plan.c counts it).
 */
static int
allowed_at(const struct replay *r, const char *zone, int64_t t, int32_t *local_day)
{
	int minute, lo, hi;
	int64_t ud, from, to;

	if (zone != NULL) {
		tz_to_local(zone, t, local_day, &minute);
		law_window(cal_day(r->o.cal, *local_day), &lo, &hi);
		return minute >= lo && minute < hi;
	}
	tz_to_local(moscow, t, local_day, &minute);
	ud = floordiv(t, 86400);
	if (ud >= r->o.from && ud <= r->o.to) {
		from = r->any_from[ud - r->o.from];
		to = r->any_to[ud - r->o.from];
	} else {
		law_window_anywhere(r->o.cal, (int32_t)ud, &from, &to);
	}
	return t >= from && t < to;
}

/* "YYYY-MM-DDTHH:MM:SSZ" of UTC instant t */
static void
put_instant(struct buf *b, int64_t t)
{
	char s[DATE_UTC_BUFSZ];

	buf_put(b, s, date_utc_format(t, 'T', s));
	buf_putc(b, 'Z');
}

/* decimal digits of v (hot: no printf) */
static void
put_i64(struct buf *b, int64_t v)
{
	char t[24];
	int n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		t[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf_putc(b, '-');
	while (n > 0)
		buf_putc(b, t[--n]);
}

/* one --log row: client_id channel sent_at tz loans */
static void
log_row(struct buf *b, FILE *fp, const struct replay_client *c, enum channel ch, int64_t t,
    const struct lstate *ls, size_t n, uint64_t loans)
{
	int first = 1;

	put_i64(b, c->id);
	buf_putc(b, '\t');
	buf_puts(b, channel_name(ch));
	buf_putc(b, '\t');
	put_instant(b, t);
	buf_putc(b, '\t');
	buf_puts(b, c->zone != NULL ? c->zone : "unknown");
	buf_putc(b, '\t');
	for (size_t i = 0; i < n && i < 64; i++)
		if (loans >> i & 1) {
			if (!first)
				buf_putc(b, ',');
			tsv_escape(b, ls[i].l->name, strlen(ls[i].l->name));
			first = 0;
		}
	buf_putc(b, '\n');
	if (b->len >= FLUSH_AT)
		buf_flush(b, fp);
}

static const char log_header[] = "client_id\tchannel\tsent_at\ttz\tloans\n";

/* ---- set-up ------------------------------------------------------------ */

/*
 * The first day of the pre-due lookback on day: the first of the month
 * months - 1 before day's (notify-plan's sql/notify/plan_read.sql looks at
 * the mart's last `months` month snapshots, this month's included).
 */
static int32_t
lookback(int32_t day, int months)
{
	return date_add_months(date_month_start(day), months > 0 ? 1 - months : 0);
}

struct replay *
replay_new(const struct replay_opts *o)
{
	struct replay *r = ecalloc(1, sizeof *r);

	if (o->to < o->from)
		die(EX_SOFTWARE, "internal error: replay of an empty period");
	r->o = *o;
	r->nocalls = *o->policy;
	r->nocalls.calls_per_day = 0;
	r->ndays = o->to - o->from + 1;
	r->pass = 1;
	r->lb0 = lookback(o->from, o->policy->predue_lookback_months);
	for (int k = 0; k < RP_N; k++)
		r->per_day[k] = ecalloc((size_t)r->ndays, sizeof *r->per_day[k]);
	r->calls_day = ecalloc((size_t)r->ndays, sizeof *r->calls_day);
	r->base_t = ecalloc((size_t)r->ndays, sizeof *r->base_t);
	r->lb = ecalloc((size_t)r->ndays, sizeof *r->lb);
	r->any_from = ecalloc((size_t)r->ndays, sizeof *r->any_from);
	r->any_to = ecalloc((size_t)r->ndays, sizeof *r->any_to);
	r->cand = ecalloc((size_t)r->ndays, sizeof *r->cand);
	for (int32_t i = 0; i < r->ndays; i++) {
		int32_t day = o->from + i;

		r->base_t[i] = tz_to_utc(moscow, day, 10 * 60);
		r->lb[i] = lookback(day, o->policy->predue_lookback_months);
		law_window_anywhere(o->cal, day, &r->any_from[i], &r->any_to[i]);
	}
	return r;
}

void
replay_free(struct replay *r)
{
	if (r == NULL)
		return;
	for (int k = 0; k < RP_N; k++)
		free(r->per_day[k]);
	for (int32_t i = 0; i < r->ndays; i++)
		free(r->cand[i].v);
	free(r->cand);
	free(r->calls_day);
	free(r->base_t);
	free(r->lb);
	free(r->any_from);
	free(r->any_to);
	free(r->ls);
	free(r->nl);
	free(r->bad);
	buf_free(&r->log);
	buf_free(&r->blog);
	free(r);
}

void
replay_finish(struct replay *r)
{
	if (r->o.log != NULL)
		buf_flush(&r->log, r->o.log);
	if (r->o.baseline_log != NULL)
		buf_flush(&r->blog, r->o.baseline_log);
}

int
replay_pass(const struct replay *r)
{
	return r->pass;
}

const struct replay_totals *
replay_totals(const struct replay *r, int policy)
{
	return &r->t[policy];
}

const int64_t *
replay_per_day(const struct replay *r, int policy, size_t *ndays)
{
	*ndays = (size_t)r->ndays;
	return r->per_day[policy];
}

void
replay_divergence(const struct replay *r, int64_t *unranked, int64_t *made)
{
	*unranked = r->unranked;
	*made = r->unranked_made;
}

void
replay_cut(struct replay *r)
{
	if (r->pass != 1)
		die(EX_SOFTWARE, "internal error: replay_cut() twice");
	for (int32_t i = 0; i < r->ndays; i++)
		if (r->cand[i].n > 1)
			qsort(r->cand[i].v, r->cand[i].n, sizeof *r->cand[i].v, cand_cmp);
	r->pass = 2;
	if (r->o.log != NULL)
		buf_puts(&r->log, log_header);
	if (r->o.baseline_log != NULL)
		buf_puts(&r->blog, log_header);
}

/* ---- one client -------------------------------------------------------- */

/* The first day from which l is closed for good (position.h), or NEVER. */
static int32_t
close_day(const struct pos_loan *l)
{
	int64_t total = (int64_t)(l->n > 0 ? l->n : 0) * l->pa;
	size_t j = l->nfact;	/* one past the last payment leaving paid < total */

	while (j > 0 && l->cum[j - 1] >= total)
		j--;
	if (j == 0 && total <= 0)
		return l->start;
	if (j == l->nfact)
		return NEVER;
	return l->fact[j] > l->start ? l->fact[j] : l->start;
}

/* the position of kept loan s on day: pos_at() within [start, close) */
static void
loan_day(const struct lstate *s, int32_t day, struct nloan *nl)
{
	struct position p;

	nl->arrears_k = nl->outstanding_k = 0;
	nl->dpd = 0;
	nl->next_due = NODATE;
	if (day < s->l->pos.start || day >= s->close)
		return;
	pos_at(&s->l->pos, day, &p);
	nl->arrears_k = p.arrears;
	nl->outstanding_k = p.outstanding;
	nl->dpd = p.dpd;
	/* notify-plan's next due date: a current loan's oldest unpaid installment */
	if (p.status == POS_CURRENT && p.oldest_due != POS_NODATE)
		nl->next_due = p.oldest_due;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/*
 * The due dates of l's late records (pos_flag(): paid late, short or
 * never), ascending, into r->bad from *nbad on.  Whether a record is late
 * does not depend on the day it is looked at from, only whether it is due
 * before that day: on day D, a loan had a late installment in the lookback
 * when one of these dates is in [lookback(D), D).
 */
static void
late_dates(struct replay *r, struct lstate *s, size_t *nbad)
{
	const struct pos_loan *l = &s->l->pos;

	if (*nbad + l->nrec > r->cap_bad) {
		r->cap_bad = 2 * (*nbad + l->nrec);
		r->bad = ereallocarray(r->bad, r->cap_bad, sizeof *r->bad);
	}
	s->bad = *nbad;
	for (size_t i = 0; i < l->nrec; i++)
		if (pos_flag(&l->rec[i], l->pa, INT32_MAX))
			r->bad[(*nbad)++] = l->rec[i].date;
	s->nbad = *nbad - s->bad;
	s->ibad = 0;
	if (s->nbad > 1)
		qsort(r->bad + s->bad, s->nbad, sizeof *r->bad, cmp_i32);
}

/* an episode's first contacts, per policy */
struct episode {
	int32_t start;		/* NODATE: none */
	int counted;		/* it began in the period */
	int32_t first[RP_N];	/* first contact's local day, or NODATE */
};

static void
episode_end(struct replay *r, const struct replay_client *c, const struct episode *e, int32_t len)
{
	int reachable = c->has_phone || c->has_email || c->has_address;

	if (!e->counted || r->pass != 2)
		return;
	for (int k = 0; k < RP_N; k++) {
		struct replay_totals *t = &r->t[k];

		t->episodes++;
		for (int h = 0; h < 3; h++)
			if (len >= horizon[h]) {
				t->lasting[h]++;
				t->first[h] += e->first[k] != NODATE && e->first[k] - e->start < horizon[h];
			}
		t->no_channel += len >= 7 && !reachable;
	}
}

/* The baseline's day: one SMS per overdue loan at 10:00 Moscow time. */
static int
baseline_day(struct replay *r, const struct replay_client *c, struct ledger *bl, size_t n,
    int32_t di)
{
	int64_t t = r->base_t[di];
	int32_t ld;
	int in, sent = 0;

	for (size_t i = 0; i < n; i++) {
		if (r->nl[i].dpd <= 0)
			continue;
		in = allowed_at(r, c->zone, t, &ld);
		r->t[RP_BASELINE].violations += !in || !ledger_allows(bl, CLASS_MESSAGE, ld, NULL);
		ledger_add(bl, CLASS_MESSAGE, ld);
		r->t[RP_BASELINE].messages++;
		sent++;
		if (r->o.baseline_log != NULL)
			log_row(&r->blog, r->o.baseline_log, c, CH_SMS, t, r->ls, n,
			    i < 64 ? (uint64_t)1 << i : 0);
	}
	r->per_day[RP_BASELINE][di] += sent;
	return sent;
}

/* The day's call capacity for a call decided for c on day di. */
static void
capacity(struct replay *r, const struct nclient *nc, struct decision *d, int32_t di)
{
	struct cands *cs = &r->cand[di];
	struct cand k = {d->priority, nc->id};
	size_t keep = r->o.policy->calls_per_day > 0 ? (size_t)r->o.policy->calls_per_day : 0;
	int ranked;

	if (r->pass == 1) {
		if (cs->n == cs->cap) {
			cs->cap = cs->cap ? 2 * cs->cap : 64;
			cs->v = ereallocarray(cs->v, cs->cap, sizeof *cs->v);
		}
		cs->v[cs->n++] = k;
		return;
	}
	ranked = cs->n <= keep || (keep > 0 && cand_cmp(&k, &cs->v[keep - 1]) <= 0);
	if (cs->n == 0 || bsearch(&k, cs->v, cs->n, sizeof *cs->v, cand_cmp) == NULL) {
		r->unranked++;
		r->unranked_made += ranked && r->calls_day[di] < (int64_t)keep;
	}
	if (ranked && r->calls_day[di] < (int64_t)keep) {
		r->calls_day[di]++;
		return;
	}
	plan_capacity(&r->nocalls, &nc, d, 1);
}

/* Pass 2's accounting of the optimised contact d, before plan_record(). */
static void
optimised_contact(struct replay *r, const struct replay_client *c, const struct nclient *nc,
    const struct decision *d, size_t n, int32_t di, struct episode *e)
{
	struct replay_totals *t = &r->t[RP_OPTIMISED];
	enum chclass k = channel_class(d->channel);
	int32_t ld;

	switch (d->channel) {
	case CH_CALL: t->calls++; break;
	case CH_LETTER: t->letters++; break;
	default: t->messages++; break;
	}
	/* the same law code that guards the plan, as a check of the plan */
	if (k != CLASS_NONE)
		t->violations += !allowed_at(r, c->zone, d->win_from, &ld) ||
		    !ledger_allows(&nc->ledger, k, d->local_day, NULL);
	r->per_day[RP_OPTIMISED][di]++;
	if (e->start != NODATE && e->first[RP_OPTIMISED] == NODATE)
		e->first[RP_OPTIMISED] = d->local_day;
	if (d->step == STEP_PREDUE) {
		t->predue_sent++;
		for (size_t i = 0; i < n && i < 64; i++) {
			struct position by, through;
			int32_t due = r->nl[i].next_due;

			if (!(d->loans >> i & 1) || due == NODATE)
				continue;
			/* paid by the end of the due date what was due up to it */
			pos_at(&r->ls[i].l->pos, due, &by);
			pos_at(&r->ls[i].l->pos, due + 1, &through);
			t->predue_inst++;
			t->predue_ontime += by.paid >= through.due;
		}
	}
	if (r->o.log != NULL)
		log_row(&r->log, r->o.log, c, d->channel, d->win_from, r->ls, n, d->loans);
}

void
replay_client(struct replay *r, struct replay_client *c)
{
	const struct policy *p = r->o.policy;
	int32_t from = r->o.from, to = r->o.to, maxdpd0 = 0, reminded0 = NODATE;
	size_t n = 0, nbad = 0;
	struct nclient nc;
	struct ledger bl;
	struct episode e;
	int contacted[RP_N] = {0, 0};

	if (c->nloans > r->cap) {
		r->cap = c->nloans;
		r->ls = ereallocarray(r->ls, r->cap, sizeof *r->ls);
		r->nl = ereallocarray(r->nl, r->cap, sizeof *r->nl);
	}
	/*
	 * The loans that matter: open at some time from the first lookback day
	 * to the end, or with a late record due in that time.
	 */
	for (size_t i = 0; i < c->nloans; i++) {
		struct replay_loan *l = &c->loans[i];
		struct lstate *s = &r->ls[n];
		int late = 0;

		pos_prepare(&l->pos);
		*s = (struct lstate){.l = l, .close = close_day(&l->pos)};
		late_dates(r, s, &nbad);
		for (size_t k = 0; k < s->nbad && !late; k++)
			late = r->bad[s->bad + k] >= r->lb0 && r->bad[s->bad + k] < to;
		if (!late && (l->pos.start > to || s->close <= r->lb0)) {
			nbad = s->bad;
			continue;
		}
		r->nl[n] = (struct nloan){.name = l->name, .next_due = NODATE};
		loan_day(s, from - 1, &r->nl[n]);
		if (r->nl[n].dpd > maxdpd0)
			maxdpd0 = r->nl[n].dpd;
		if (r->nl[n].next_due != NODATE && r->nl[n].next_due > reminded0 &&
		    (int64_t)r->nl[n].next_due - (from - 1) <= p->predue_days)
			reminded0 = r->nl[n].next_due;
		n++;
	}
	if (n == 0)
		return;
	/*
	 * What happened before the period is not replayed: an episode under way
	 * began when its worst loan fell due (at the latest), the ladder's steps
	 * its dpd has reached were taken, and the installments due within
	 * predue_days of the day before were reminded of then (else the first
	 * day would remind predue_days days' worth at once).  Both ledgers start
	 * empty.
	 */
	memset(&nc, 0, sizeof nc);
	nc.id = c->id;
	nc.zone = c->zone;
	nc.has_phone = c->has_phone;
	nc.has_email = c->has_email;
	nc.has_address = c->has_address;
	nc.loans = r->nl;
	nc.nloans = n;
	nc.episode_start = NODATE;
	nc.predue_for = maxdpd0 > 0 ? NODATE : reminded0;
	ledger_init(&nc.ledger);
	ledger_init(&bl);
	e.start = NODATE;
	e.counted = 0;
	if (maxdpd0 > 0) {
		nc.episode_start = e.start = from - maxdpd0;
		for (int i = 0; i < p->nsteps && i < 32; i++)
			if (p->steps[i].dpd <= maxdpd0)
				nc.steps_done |= (uint32_t)1 << i;
	}
	e.first[RP_BASELINE] = e.first[RP_OPTIMISED] = NODATE;

	for (int32_t di = 0; di < r->ndays; di++) {
		int32_t day = from + di;
		int overdue = 0;
		struct decision d;

		for (size_t i = 0; i < n; i++) {
			struct nloan *nl = &r->nl[i];
			struct lstate *s = &r->ls[i];

			loan_day(s, day, nl);
			overdue |= nl->dpd > 0;
			while (s->ibad < s->nbad && r->bad[s->bad + s->ibad] < day)
				s->ibad++;
			nl->late_recent = s->ibad > 0 && r->bad[s->bad + s->ibad - 1] >= r->lb[di];
		}
		if (overdue && e.start == NODATE) {
			e.start = day;
			e.counted = 1;
			e.first[RP_BASELINE] = e.first[RP_OPTIMISED] = NODATE;
		} else if (!overdue && e.start != NODATE) {
			episode_end(r, c, &e, day - e.start);
			e.start = NODATE;
		}
		if (r->pass == 2 && overdue && baseline_day(r, c, &bl, n, di) > 0) {
			contacted[RP_BASELINE] = 1;
			if (e.first[RP_BASELINE] == NODATE)
				e.first[RP_BASELINE] = day;
		}

		nc.excluded = 0;
		for (size_t i = 0; i < c->nexcluded; i++)
			nc.excluded |= c->excluded[i].from <= day && day <= c->excluded[i].to;
		plan_episode(&nc, day);
		plan_client(p, r->o.cal, &nc, day, &d);
		if (d.contact && d.channel == CH_CALL)
			capacity(r, &nc, &d, di);
		if (!d.contact)
			continue;
		if (r->pass == 2) {
			optimised_contact(r, c, &nc, &d, n, di, &e);
			contacted[RP_OPTIMISED] = 1;
		}
		plan_record(&nc, &d);
	}
	if (e.start != NODATE)
		episode_end(r, c, &e, to + 1 - e.start);
	for (int k = 0; k < RP_N; k++)
		r->t[k].clients += contacted[k];
}

/* ---- the summary ------------------------------------------------------- */

static void
put_share(struct buf *b, int64_t num, int64_t den, int places)
{
	char s[64];

	if (den > 0)
		buf_put(b, s, share_format(num, den, places, s, sizeof s));
}

void
replay_summary(const struct replay *r, struct buf *b)
{
	static const char *const name[RP_N] = {"baseline", "optimised"};

	buf_puts(b, "policy\tmessages\tcalls\tletters\tclients_contacted\tviolations"
	    "\tcontacts_per_client_month\tepisodes"
	    "\tepisodes_1d\tfirst_contact_1d\tfirst_contact_1d_share"
	    "\tepisodes_3d\tfirst_contact_3d\tfirst_contact_3d_share"
	    "\tepisodes_7d\tfirst_contact_7d\tfirst_contact_7d_share\tno_channel_7d"
	    "\tpredue_sent\tpredue_installments\tpredue_paid_on_time\tpredue_paid_on_time_share"
	    "\tcalls_max_day\tcalls_mean_day\tcalls_per_day\n");
	for (int k = 0; k < RP_N; k++) {
		const struct replay_totals *t = &r->t[k];
		int64_t contacts = t->messages + t->calls + t->letters, calls_max = 0;

		for (int32_t i = 0; k == RP_OPTIMISED && i < r->ndays; i++)
			if (r->calls_day[i] > calls_max)
				calls_max = r->calls_day[i];
		buf_printf(b, "%s\t%lld\t%lld\t%lld\t%lld\t%lld\t", name[k], (long long)t->messages,
		    (long long)t->calls, (long long)t->letters, (long long)t->clients,
		    (long long)t->violations);
		/* per client contacted and month of 365.25 / 12 = 487 / 16 days */
		put_share(b, contacts * 487, t->clients * (int64_t)r->ndays * 16, 2);
		buf_printf(b, "\t%lld", (long long)t->episodes);
		for (int h = 0; h < 3; h++) {
			buf_printf(b, "\t%lld\t%lld\t", (long long)t->lasting[h], (long long)t->first[h]);
			put_share(b, t->first[h], t->lasting[h], 4);
		}
		buf_printf(b, "\t%lld", (long long)t->no_channel);
		buf_printf(b, "\t%lld\t%lld\t%lld\t", (long long)t->predue_sent,
		    (long long)t->predue_inst, (long long)t->predue_ontime);
		put_share(b, t->predue_ontime, t->predue_inst, 4);
		buf_printf(b, "\t%lld\t", (long long)calls_max);
		put_share(b, t->calls, r->ndays, 2);
		if (k == RP_OPTIMISED)
			buf_printf(b, "\t%d\n", r->o.policy->calls_per_day);
		else
			buf_puts(b, "\t\n");
	}
}

/* ---- the chart --------------------------------------------------------- */

#define W 900
#define H 420
#define PL 84.0
#define PR 870.0
#define PT 88.0
#define PB 326.0
#define C_VERMILLION "#D55E00"
#define C_BLUE "#0072B2"
#define C_TEXT "#222222"
#define C_MUTED "#555555"
#define C_GRID "#DDDDDD"

/* s as XML text: the five specials as references, control characters dropped */
static void
xml_text(struct buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				buf_putc(b, *s);
		}
}

/* a pixel coordinate with one decimal, whatever the locale */
static void
px(struct buf *b, double v)
{
	long t = (long)(v * 10 + (v < 0 ? -0.5 : 0.5));

	buf_printf(b, "%s%ld.%ld", t < 0 ? "-" : "", labs(t) / 10, labs(t) % 10);
}

static void
text(struct buf *b, double x, double y, const char *attrs, const char *s)
{
	buf_puts(b, "<text x=\"");
	px(b, x);
	buf_puts(b, "\" y=\"");
	px(b, y);
	buf_printf(b, "\"%s%s>", *attrs ? " " : "", attrs);
	xml_text(b, s);
	buf_puts(b, "</text>\n");
}

static void
line(struct buf *b, double x0, double y0, double x1, double y1, const char *color)
{
	buf_puts(b, "<line x1=\"");
	px(b, x0);
	buf_puts(b, "\" y1=\"");
	px(b, y0);
	buf_puts(b, "\" x2=\"");
	px(b, x1);
	buf_puts(b, "\" y2=\"");
	px(b, y1);
	buf_printf(b, "\" stroke=\"%s\" stroke-width=\"1\"/>\n", color);
}

/* "12 345" */
static void
count_text(int64_t v, char out[32])
{
	char s[32];
	int n = snprintf(s, sizeof s, "%lld", (long long)v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i > 0 && s[i - 1] != '-' && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = s[i];
	}
	out[o] = '\0';
}

void
replay_chart(const struct replay *r, struct buf *b)
{
	static const char *const color[RP_N] = {C_VERMILLION, C_BLUE};
	static const char *const label[RP_N] = {
		"базовая: SMS по каждому просроченному займу каждый день (baseline)",
		"оптимизированная: notify-plan (optimised)",
	};
	int64_t max = 0, step, top, mag = 1, raw;
	double xw = r->ndays > 1 ? (PR - PL) / (r->ndays - 1) : 0;
	char from[DATE_BUFSZ], to[DATE_BUFSZ], lab[64];
	int32_t last_label = NODATE;
	int64_t base = r->t[RP_BASELINE].messages + r->t[RP_BASELINE].calls + r->t[RP_BASELINE].letters;
	int64_t opt = r->t[RP_OPTIMISED].messages + r->t[RP_OPTIMISED].calls +
	    r->t[RP_OPTIMISED].letters;

	date_format(r->o.from, from);
	date_format(r->o.to, to);
	for (int k = 0; k < RP_N; k++)
		for (int32_t i = 0; i < r->ndays; i++)
			if (r->per_day[k][i] > max)
				max = r->per_day[k][i];
	/* 0..top in about five round steps (1, 2 or 5 times a power of ten) */
	raw = max > 0 ? (max + 4) / 5 : 1;
	while (mag <= raw / 10)
		mag *= 10;
	step = raw <= mag ? mag : raw <= 2 * mag ? 2 * mag : raw <= 5 * mag ? 5 * mag : 10 * mag;
	top = (max + step - 1) / step * step;
	if (top == 0)
		top = step;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
	    "font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">\n", W, H, W, H, C_TEXT);
	buf_printf(b, "<title id=\"chart-title\">Контакты в день, %s – %s (contacts per day)</title>\n",
	    from, to);
	buf_printf(b, "<desc id=\"chart-desc\">notify-replay: contacts per day, %lld in all under "
	    "the baseline, %lld under the optimised policy</desc>\n", (long long)base, (long long)opt);
	buf_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n", W, H);
	text(b, 24, 30, "font-size=\"18\" font-weight=\"bold\"",
	    "Контакты с клиентами в день: базовая политика и оптимизированная");
	{
		char nb[32], no[32];
		struct buf sub = BUF_INIT;

		count_text(base, nb);
		count_text(opt, no);
		buf_printf(&sub, "%s – %s \xC2\xB7 контактов: базовая %s, оптимизированная %s", from, to,
		    nb, no);
		if (base > 0 && opt <= base) {
			/* the reduction in per cent, one decimal, rounded half up */
			int64_t tenths = ((base - opt) * 2000 + base) / (2 * base);

			buf_printf(&sub, " (\xE2\x88\x92%lld.%lld %%)", (long long)(tenths / 10),
			    (long long)(tenths % 10));
		}
		text(b, 24, 51, "font-size=\"13\" fill=\"" C_MUTED "\"", buf_cstr(&sub));
		buf_free(&sub);
	}

	/* y: gridlines and counts */
	for (int64_t v = 0; v <= top; v += step) {
		double y = PB - (PB - PT) * (double)v / (double)top;

		count_text(v, lab);
		line(b, PL, y, PR, y, v == 0 ? C_MUTED : C_GRID);
		text(b, PL - 8, y + 4, "text-anchor=\"end\" fill=\"" C_MUTED "\"", lab);
	}
	text(b, 24, PT - 14, "fill=\"" C_MUTED "\"", "контактов в день");
	/* x: the first of each month, labels at least 64 px apart */
	for (int32_t i = 0; i < r->ndays; i++) {
		int y, m, d;
		double x = PL + xw * i;

		date_to_civil(r->o.from + i, &y, &m, &d);
		if (d != 1 && i != 0)
			continue;
		line(b, x, PB, x, PB + 5, C_MUTED);
		if (last_label != NODATE && xw * (i - (last_label - r->o.from)) < 64)
			continue;
		snprintf(lab, sizeof lab, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
		text(b, x, PB + 20, "text-anchor=\"middle\" fill=\"" C_MUTED "\"", lab);
		last_label = r->o.from + i;
	}
	/* the two series, each value exact in data-values */
	for (int k = 0; k < RP_N; k++) {
		buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
		    "data-policy=\"%s\" data-values=\"", color[k], k == RP_BASELINE ? "baseline" : "optimised");
		for (int32_t i = 0; i < r->ndays; i++)
			buf_printf(b, "%s%lld", i ? " " : "", (long long)r->per_day[k][i]);
		buf_puts(b, "\" points=\"");
		for (int32_t i = 0; i < r->ndays; i++) {
			if (i)
				buf_putc(b, ' ');
			px(b, PL + xw * i);
			buf_putc(b, ',');
			px(b, PB - (PB - PT) * (double)r->per_day[k][i] / (double)top);
		}
		buf_puts(b, "\"><title>");
		xml_text(b, label[k]);
		buf_puts(b, "</title></polyline>\n");
	}
	/* the legend under the axis */
	for (int k = 0; k < RP_N; k++) {
		double y = PB + 44 + 20 * k;

		buf_printf(b, "<rect x=\"%d\" y=\"", (int)PL);
		px(b, y - 9);
		buf_printf(b, "\" width=\"18\" height=\"4\" fill=\"%s\"/>\n", color[k]);
		text(b, PL + 26, y - 3, "", label[k]);
	}
	buf_puts(b, "</svg>\n");
}
