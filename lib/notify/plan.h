/*
 * plan.h - the decision for one client on one day (SPEC 9), shared by
 * notify-plan (today) and notify-replay (every day of a period), so the
 * plan that is measured is the plan that runs.  Pure: no database, no clock.
 *
 * A client is contacted at most once a day, for all its loans together:
 *   - pre-due: a loan due in policy.predue_days days whose client had a late
 *     installment in the last predue_lookback_months, and no loan overdue;
 *   - the ladder: the client's max dpd over its overdue loans reaches a step
 *     not yet taken in this overdue episode (an episode starts when the
 *     client goes from no overdue loan to one); the highest such step is
 *     taken, the ones below it count as passed; a new episode is contacted
 *     within first_contact_days even when a cap delays its first step;
 *   - channels: a call needs a phone, an SMS a phone, an e-mail an address;
 *     missing ones fall back sms -> email -> letter, call -> sms -> email ->
 *     letter; a channel whose caps (policy's, within the law's) are full on
 *     that local day falls back the same way, else the client waits;
 *   - excluded clients (restrictions list) are never contacted; no_calls
 *     ones get no calls;
 *   - the window: the allowed local hours of the client's local day
 *     (law_window; law_window_anywhere when the zone is unknown), from
 *     policy.send_at on;
 *   - priority = Σ arrears x dpd weight (expected recovery, kopecks x %).
 * plan_capacity() then gives the day's calls to the highest priorities up
 * to policy.calls_per_day; the rest get the next channel of the fallback
 * chain, or wait.
 */
#ifndef OVERDUE_NOTIFY_PLAN_H
#define OVERDUE_NOTIFY_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "notify/calendar.h"
#include "notify/law.h"
#include "notify/policy.h"

#define PLAN_NODATE INT32_MIN

struct nloan {
	const char *name;
	int64_t arrears_k, outstanding_k;
	int32_t dpd;			/* as of the day */
	int32_t next_due;		/* due date of the next unpaid installment, or PLAN_NODATE */
	int late_recent;		/* a late or missed installment in the lookback */
};

struct nclient {
	int64_t id;
	const char *zone;		/* IANA, or NULL when unknown */
	int has_phone, has_email, has_address;
	int excluded, no_calls;
	const struct nloan *loans;
	size_t nloans;
	/* what the contact log says */
	int32_t episode_start;		/* first day of the current overdue episode, or PLAN_NODATE */
	uint32_t steps_done;		/* bit i: ladder step i taken (or passed) in this episode */
	int32_t predue_for;		/* the due date the last pre-due reminder was for, or PLAN_NODATE */
	struct ledger ledger;		/* contacts so far, local days */
};

enum { STEP_PREDUE = -1 };

struct decision {
	int contact;			/* 0: nobody to contact today */
	int step;			/* STEP_PREDUE or the ladder step's index */
	enum channel channel;
	int32_t local_day;		/* the client's local date of the contact */
	int64_t win_from, win_to;	/* the allowed window, UTC instants */
	int64_t priority;
	int64_t arrears_k;		/* of the loans concerned */
	int32_t max_dpd;
	uint64_t loans;			/* bit i: c->loans[i] concerned (first 64) */
};

/*
 * Start of a day: when c has no overdue loan its episode ends
 * (episode_start = PLAN_NODATE, steps_done = 0); when it has one and no
 * episode, one starts.  Call before plan_client().
 */
void plan_episode(struct nclient *c, int32_t day);
/* The decision for client c on (UTC) day `day`. */
void plan_client(const struct policy *p, const struct calendar *cal,
    const struct nclient *c, int32_t day, struct decision *d);
/*
 * Capacity: the n decisions of a day (d[i] for client c[i]) with calls over
 * p->calls_per_day moved, lowest priority first, to the next allowed
 * channel of the fallback chain, or to no contact.  Order of d unchanged.
 */
void plan_capacity(const struct policy *p, const struct nclient *const *c,
    struct decision *d, size_t n);
/* After a contact is made: the ledger, steps_done, predue_for of c updated. */
void plan_record(struct nclient *c, const struct decision *d);

#endif
