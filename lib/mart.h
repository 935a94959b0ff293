/*
 * mart.h - build-mart's engine: stream current core one client at a time,
 * compute every loan's position and month-end snapshots (position.h) and
 * write the mart tables through COPY.
 *
 * The caller's connection `w` holds the writer lock (so no load can commit
 * while the mart is built), has exported its snapshot and has had the empty
 * UNLOGGED tables mart.*_next created and committed.  mart_build() splits
 * the clients into `jobs` client_id ranges; each range is one thread with
 * three connections of its own: two read core.loans_current (with the
 * client's attributes) and core.payments_current ordered by client_id, both
 * in w's exported snapshot (one consistent core for every reader), and one
 * COPYs the range's loans into mart.loan_next.  The monthly measures per
 * amount bin are summed over the ranges and COPYed by w into
 * mart.month_bin_next.
 */
#ifndef OVERDUE_MART_H
#define OVERDUE_MART_H

#include <libpq-fe.h>
#include <stdint.h>

struct mart_stats {
	long long loans, payments, orphans, months;
	int32_t first_month;	/* POS_NODATE when there are no loans */
};

#define MART_MAX_JOBS 16

/*
 * conninfo: how the workers connect (NULL = PG* variables); snapshot: the
 * id from pg_export_snapshot() on w; lo..hi: the client_id range of the
 * loans (lo > hi: no loans); busy_sql: a statement w runs meanwhile (NULL:
 * none), its result checked before w COPYs mart.month_bin_next.
 */
void mart_build(PGconn *w, const char *conninfo, const char *snapshot, int jobs,
    long long lo, long long hi, int32_t asof, const char *busy_sql,
    struct mart_stats *st);


/*
 * The client_id range [*from, *to] of job k of n over the loans' ids lo..hi
 * (the first starts at INT64_MIN, the last ends at INT64_MAX, so every
 * payment record falls in exactly one range).
 */
void mart_range(long long lo, long long hi, int k, int n, long long *from, long long *to);

/*
 * tmpl with every @NAME@ (capitals, digits, '_') replaced by its value from
 * sub = {"NAME", "value", ..., NULL}; malloc'd.  The values are our own:
 * numbers we computed, table names and SQL from fixed strings, never user
 * text.  An @NAME@ without a value is an internal error; any other '@'
 * stays.
 */
char *mart_sql(const char *tmpl, const char *const *sub);
/* tmpl with every @LO@ / @HI@ replaced by a bigint literal; malloc'd. */
char *mart_range_sql(const char *tmpl, long long from, long long to);

#endif
