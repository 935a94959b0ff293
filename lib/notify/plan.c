/*
 * plan.c - the decision for one client on one day (SPEC 9; plan.h says
 * what, notify-plan(5) says why).  Pure: the client's state comes in, the
 * caller records the contact with plan_record() once it is made.
 */
#include <stdlib.h>
#include <string.h>

#include "notify/plan.h"
#include "notify/tz.h"
#include "util.h"

/* the channel after ch when ch cannot be used: call -> sms -> email -> letter */
static const enum channel next_channel[CH_N] = {
	[CH_SMS] = CH_EMAIL, [CH_EMAIL] = CH_LETTER, [CH_CALL] = CH_SMS, [CH_LETTER] = CH_N,
};

/* the zone an unknown one's window is written in */
static const char moscow[] = "Europe/Moscow";

/* 1 when c has what channel ch needs (and allows it) */
static int
reachable(const struct nclient *c, enum channel ch)
{
	switch (ch) {
	case CH_CALL:
		return c->has_phone && !c->no_calls;
	case CH_SMS:
		return c->has_phone;
	case CH_EMAIL:
		return c->has_email;
	case CH_LETTER:
		return c->has_address;
	default:
		return 0;
	}
}

/* 1 when one more contact by ch on local_day stays within the policy's caps */
static int
caps_allow(const struct policy *p, const struct nclient *c, enum channel ch, int32_t local_day)
{
	switch (channel_class(ch)) {
	case CLASS_CALL:
		return ledger_allows(&c->ledger, CLASS_CALL, local_day, &p->call_caps);
	case CLASS_MESSAGE:
		return ledger_allows(&c->ledger, CLASS_MESSAGE, local_day, &p->message_caps);
	default:
		return 1;	/* letters: art. 7 does not limit them */
	}
}

/*
 * The first channel from ch along the fallback chain that c has, whose
 * caps allow one more contact on local_day, and that the day's window
 * (open: a non-empty one) allows; `last` ends the chain early (CH_LETTER
 * for the whole chain, CH_EMAIL: no letter).  CH_N when none.
 */
static enum channel
pick(const struct policy *p, const struct nclient *c, enum channel ch, enum channel last,
    int32_t local_day, int open)
{
	for (;;) {
		if (reachable(c, ch) && (ch == CH_LETTER || (open && caps_allow(p, c, ch, local_day))))
			return ch;
		if (ch == last)
			return CH_N;
		ch = next_channel[ch];
	}
}

/* law_window_anywhere() (eleven zones each time), kept for the day last asked */
static void
anywhere(const struct calendar *cal, int32_t day, int64_t *from, int64_t *to)
{
	static const struct calendar *last_cal;
	static int32_t last_day = PLAN_NODATE;
	static int64_t last_from, last_to;

	if (cal != last_cal || day != last_day) {
		law_window_anywhere(cal, day, &last_from, &last_to);
		last_cal = cal;
		last_day = day;
	}
	*from = last_from;
	*to = last_to;
}

/*
 * The allowed window of UTC day `day` for c: the local day's hours from
 * send_at on (from their start when send_at is past their end), or, for
 * an unknown zone, the hours allowed in every Russian zone from send_at
 * Moscow time.  Returns 1 when the window is not empty.
 */
static int
window(const struct policy *p, const struct calendar *cal, const struct nclient *c,
    int32_t day, struct decision *d)
{
	int lo, hi, start, minute;
	int64_t from, to, pref;

	if (c->zone != NULL) {
		law_window(cal_day(cal, day), &lo, &hi);
		start = p->send_at > lo ? p->send_at : lo;
		if (start >= hi)
			start = lo;
		d->win_from = tz_to_utc(c->zone, day, start);
		d->win_to = tz_to_utc(c->zone, day, hi);
		tz_to_local(c->zone, d->win_from, &d->local_day, &minute);
		return d->win_to > d->win_from;
	}
	anywhere(cal, day, &from, &to);
	if (to <= from) {
		d->win_from = d->win_to = tz_to_utc(moscow, day, p->send_at);
		d->local_day = day;
		return 0;
	}
	pref = tz_to_utc(moscow, day, p->send_at);
	d->win_from = pref > from && pref < to ? pref : from;
	d->win_to = to;
	tz_to_local(moscow, d->win_from, &d->local_day, &minute);
	return 1;
}

void
plan_episode(struct nclient *c, int32_t day)
{
	for (size_t i = 0; i < c->nloans; i++)
		if (c->loans[i].dpd > 0) {
			if (c->episode_start == PLAN_NODATE) {
				c->episode_start = day;
				c->steps_done = 0;
			}
			return;
		}
	c->episode_start = PLAN_NODATE;
	c->steps_done = 0;
}

/* d's loans, arrears, max dpd and priority from the loans in its bitmask */
static void
concern(const struct policy *p, const struct nclient *c, struct decision *d)
{
	int64_t expected = 0;

	d->arrears_k = 0;
	d->max_dpd = 0;
	for (size_t i = 0; i < c->nloans && i < 64; i++) {
		const struct nloan *l = &c->loans[i];

		if (!(d->loans >> i & 1))
			continue;
		d->arrears_k += l->arrears_k;
		expected += l->arrears_k * policy_weight(p, l->dpd);
		if (l->dpd > d->max_dpd)
			d->max_dpd = l->dpd;
	}
	d->priority = expected / 100;
}

/* The ladder step to take today for an overdue client, or -1. */
static int
ladder_step(const struct policy *p, const struct nclient *c, int32_t day, int32_t max_dpd)
{
	int32_t start = c->episode_start == PLAN_NODATE ? day : c->episode_start;
	int top = -1;

	for (int i = 0; i < p->nsteps && p->steps[i].dpd <= max_dpd; i++)
		top = i;
	/* a ladder that starts late still contacts a new episode in time */
	if (top < 0 && c->steps_done == 0 && p->nsteps > 0 &&
	    (int64_t)day - start >= p->first_contact_days - 1)
		top = 0;
	if (top < 0 || top >= 32 || (c->steps_done >> top & 1))
		return -1;
	return top;
}

void
plan_client(const struct policy *p, const struct calendar *cal,
    const struct nclient *c, int32_t day, struct decision *d)
{
	int overdue = 0, late = 0, open;
	enum channel ch;

	memset(d, 0, sizeof *d);
	d->contact = 0;
	d->step = STEP_PREDUE;
	d->channel = CH_N;
	d->local_day = day;
	if (c->excluded)
		return;
	for (size_t i = 0; i < c->nloans; i++) {
		const struct nloan *l = &c->loans[i];

		if (l->dpd > 0) {
			overdue = 1;
			if (i < 64)
				d->loans |= (uint64_t)1 << i;
		}
		late |= l->late_recent != 0;
	}
	if (overdue) {
		concern(p, c, d);
		d->step = ladder_step(p, c, day, d->max_dpd);
		if (d->step < 0)
			return;
		ch = p->steps[d->step].channel;
		open = window(p, cal, c, day, d);
		d->channel = pick(p, c, ch, CH_LETTER, d->local_day, open);
		d->contact = d->channel != CH_N;
		return;
	}
	if (!late || p->predue_days <= 0)
		return;
	for (size_t i = 0; i < c->nloans && i < 64; i++) {
		int32_t due = c->loans[i].next_due;

		if (due != PLAN_NODATE && due > day && (int64_t)due - day <= p->predue_days &&
		    (c->predue_for == PLAN_NODATE || due > c->predue_for))
			d->loans |= (uint64_t)1 << i;
	}
	if (d->loans == 0)
		return;
	concern(p, c, d);
	open = window(p, cal, c, day, d);
	/* a letter would come after the due date: a reminder is a message or nothing */
	d->channel = pick(p, c, CH_SMS, CH_EMAIL, d->local_day, open);
	d->contact = d->channel != CH_N;
}

struct callrank {
	int64_t priority, id;
	size_t i;
};

static int
by_priority(const void *a, const void *b)
{
	const struct callrank *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
plan_capacity(const struct policy *p, const struct nclient *const *c,
    struct decision *d, size_t n)
{
	struct callrank *r;
	size_t nc = 0, keep;

	for (size_t i = 0; i < n; i++)
		nc += d[i].contact && d[i].channel == CH_CALL;
	keep = p->calls_per_day < 0 ? 0 : (size_t)p->calls_per_day;
	if (nc <= keep)
		return;
	r = ereallocarray(NULL, nc, sizeof *r);
	nc = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i].contact && d[i].channel == CH_CALL)
			r[nc++] = (struct callrank){d[i].priority, c[i]->id, i};
	qsort(r, nc, sizeof *r, by_priority);
	for (size_t k = keep; k < nc; k++) {
		struct decision *x = &d[r[k].i];

		x->channel = pick(p, c[r[k].i], next_channel[CH_CALL], CH_LETTER, x->local_day,
		    x->win_to > x->win_from);
		x->contact = x->channel != CH_N;
	}
	free(r);
}

void
plan_record(struct nclient *c, const struct decision *d)
{
	int32_t due = PLAN_NODATE;

	if (!d->contact)
		return;
	ledger_add(&c->ledger, channel_class(d->channel), d->local_day);
	if (d->step == STEP_PREDUE) {
		for (size_t i = 0; i < c->nloans && i < 64; i++)
			if (d->loans >> i & 1 && c->loans[i].next_due != PLAN_NODATE &&
			    c->loans[i].next_due > due)
				due = c->loans[i].next_due;
		if (due != PLAN_NODATE && (c->predue_for == PLAN_NODATE || due > c->predue_for))
			c->predue_for = due;
	} else if (d->step >= 0 && d->step < 32) {
		c->steps_done |= (uint32_t)((2ull << d->step) - 1);
	}
}
