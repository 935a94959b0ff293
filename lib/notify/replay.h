/*
 * replay.h - notify-replay's engine (SPEC 9): every day of a period
 * replayed on the loaded history under two policies, and what each did.
 *
 *   baseline   the seed's proposal: every overdue loan, every day, one SMS
 *              per loan at 10:00 Moscow time, no caps, no quiet hours; its
 *              230-FZ breaches counted with law.h (a contact outside the
 *              allowed local hours or over any cap is one violation);
 *   optimised  plan.h for each client and day (plan_episode, plan_client),
 *              the day's call capacity (plan_capacity), plan_record for the
 *              contact made; sent at the start of its window; no contact
 *              on a day the restrictions list excludes the client (the
 *              baseline knows no such list).
 *
 * Positions are position.h's, as of the end of each day (a payment counts
 * from its day on), one client at a time: a client's whole period is
 * replayed in one go, so memory holds one client, not the portfolio.
 *
 * Capacity couples clients (calls_per_day is per day, across clients), so
 * a replay runs in two passes over the same clients (the same snapshot of
 * core):
 *   pass 1  every client as if calls were unlimited; each call decided is
 *           a candidate (day, priority, client_id);
 *   cut     per day, the candidates ranked as plan_capacity() ranks them
 *           (priority descending, then client_id): the first calls_per_day
 *           are the day's calls;
 *   pass 2  the replay proper: a call is made when its (priority,
 *           client_id) ranks within the day's cut and the day has a call
 *           left; otherwise plan_capacity() with no call left gives it the
 *           next channel of the fallback chain, or the client waits.
 * The approximation: a client whose call was cut in pass 2 may decide
 * differently on later days than in pass 1 (a cap not used, a step taken
 * by SMS); such a later call was not ranked in pass 1 and is judged
 * against the day's cut all the same, and a day never makes more than
 * calls_per_day calls.  replay_divergence() counts those calls.
 */
#ifndef OVERDUE_NOTIFY_REPLAY_H
#define OVERDUE_NOTIFY_REPLAY_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "notify/calendar.h"
#include "notify/policy.h"
#include "notify/tz.h"
#include "position.h"

enum { RP_BASELINE, RP_OPTIMISED, RP_N };

struct replay_opts {
	int32_t from, to;		/* the period, both included */
	const struct policy *policy;
	const struct calendar *cal;
	FILE *log;			/* the optimised policy's contacts, or NULL */
	FILE *baseline_log;		/* the baseline's, or NULL */
};

/* One loan of a client; pos.start, n, pa, rec and nrec set by the caller. */
struct replay_loan {
	const char *name;
	struct pos_loan pos;
};

/* Days [from, to] (both included) on which a client is not contacted. */
struct replay_span {
	int32_t from, to;
};

struct replay_client {
	int64_t id;
	const char *zone;		/* IANA (tz_client()), or NULL: unknown */
	int has_phone, has_email, has_address;
	struct replay_loan *loans;	/* pos_prepare()d by replay_client() */
	size_t nloans;
	const struct replay_span *excluded;	/* the restrictions list's spans */
	size_t nexcluded;
};

/* What one policy did over the period. */
struct replay_totals {
	int64_t messages, calls, letters;
	int64_t clients;		/* clients contacted at least once */
	int64_t violations;
	int64_t episodes;		/* overdue episodes that began in the period */
	int64_t lasting[3];		/* ... lasting at least 1, 3, 7 days (within it) */
	int64_t first[3];		/* ... of those, first contact within 1, 3, 7 days */
	int64_t no_channel;		/* ... lasting 7 days, of clients with no phone,
					   e-mail or address */
	int64_t predue_sent;		/* pre-due reminders (contacts) */
	int64_t predue_inst;		/* installments they reminded of */
	int64_t predue_ontime;		/* ... paid in full by their due date */
};

struct replay;

struct replay *replay_new(const struct replay_opts *o);
void replay_free(struct replay *r);

/*
 * Replay one client in the current pass (clients in any order, each once
 * a pass).  Pass 1 only collects call candidates; replay_cut() ends it.
 */
void replay_client(struct replay *r, struct replay_client *c);
void replay_cut(struct replay *r);
/* After pass 2: the logs' last rows written out (buffered until then). */
void replay_finish(struct replay *r);
/* 1 before replay_cut(), 2 after */
int replay_pass(const struct replay *r);

const struct replay_totals *replay_totals(const struct replay *r, int policy);
/* contacts of a policy per day of the period (ndays values) */
const int64_t *replay_per_day(const struct replay *r, int policy, size_t *ndays);
/* Pass 2's calls that pass 1 had not ranked, and of those, the ones made. */
void replay_divergence(const struct replay *r, int64_t *unranked, int64_t *made);

/* The summary TSV (header and one row per policy) into b. */
void replay_summary(const struct replay *r, struct buf *b);
/* A standalone SVG of the contacts per day under both policies into b. */
void replay_chart(const struct replay *r, struct buf *b);

/*
 * Both passes over current core (core.loans_current with the client's
 * contact data, core.payments_current), streamed in client_id order with
 * COPY, in one snapshot; a client's zone from zones (tz_client()).
 * conninfo as for db_connect(); verbose: the time of each pass on stderr.
 */
void replay_db(const char *conninfo, struct replay *r, const struct tzmap *zones, int verbose);

#endif
