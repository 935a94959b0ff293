/*
 * planrun.h - notify-plan's work (notify-plan(1)): the day's clients from
 * the warehouse -- their loans from the mart built as of the day, their
 * contact data from core, the restrictions in force and their contact log
 * -- streamed in client_id order through plan_episode() and plan_client(),
 * the day's calls through plan_capacity(), then the plan written to a
 * stream (TSV or JSON) and, unless a dry run, into notify.contact in the
 * same transaction, under the writers' lock: a second run for the same day
 * plans nothing new.
 *
 * Memory: one client's loans at a time, plus ~100 bytes for each contact
 * planned (the day's capacity needs them all); the contacts' texts wait in
 * a temporary file.
 */
#ifndef OVERDUE_NOTIFY_PLANRUN_H
#define OVERDUE_NOTIFY_PLANRUN_H

#include <stdint.h>
#include <stdio.h>

#include "notify/law.h"
#include "notify/plan.h"
#include "notify/policy.h"

struct planrun_opts {
	const char *conninfo;	/* libpq conninfo, or NULL: PG* variables */
	int32_t day;		/* the plan's day (--as-of) */
	const char *policy;	/* files over the compiled-in ones, or NULL */
	const char *calendar;
	const char *zones;
	int json;		/* --format json */
	int dry_run;		/* print the plan, write nothing */
	int64_t now;		/* planned_at, seconds since the epoch */
};

struct planrun_stats {
	long long clients;	/* clients with an active loan, or a late one */
	long long contacts;	/* contacts planned (new) */
	long long already;	/* clients with a contact planned that day already */
	long long excluded;	/* clients left out by the restrictions list */
	long long calls_moved;	/* calls over calls_per_day given another channel or none */
	long long by_channel[CH_N];
};

/* Do it all; dies with a sysexits code (65: the mart is not built as of the day). */
void planrun(const struct planrun_opts *o, FILE *out, struct planrun_stats *st);

/*
 * A client's state from its contact log (pure; exposed for the unit
 * tests).  c->loans must be set.  log is plan_read.sql's text (NULL or ""
 * for none): "plan_day,local_day,channel,step_dpd,episode_start,due_date"
 * items separated by ';', day numbers, step_dpd -1 for a pre-due reminder,
 * empty for NULL.  Fills c->ledger with the contacts of the last 62 days,
 * c->predue_for with the latest reminder's due date, and the episode:
 * when c has an overdue loan, its current episode began at the latest on
 * day - max dpd + 1 (the oldest unpaid installment has been overdue since);
 * the log's latest episode is the same one when one of its contacts was
 * made on or after that day, and then its steps are done (steps_done) and
 * its start is the episode's.  Returns 1 when a contact was planned on
 * `day` already, 0 when not, -1 when log is malformed.
 */
int planrun_history(const struct policy *p, int32_t day, const char *log, struct nclient *c);

/* "YYYY-MM-DDTHH:MM", the local time of UTC instant t in zone (17 bytes with the NUL). */
void planrun_local(const char *zone, int64_t t, char buf[static 17]);

#endif
