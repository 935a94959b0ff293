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
 *
 * mart_incremental() updates the mart in place instead, in w's transaction:
 * only the clients that loads changed since the mart was built (and, when
 * the as-of date moved within its month, those whose part depends on it),
 * their old contributions taken away and their new ones added by the same
 * code (mart_calc.h).  mart.build_state says what the mart was built from.
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
 * Recorded in mart.build_state; the incremental build starts only from a
 * mart of the same ones.  MART_ENGINE: the computation's results (bump it
 * with any change in lib/mart/mart_calc.c or lib/position.c that changes a
 * value); MART_VERSION: the mart's tables (sql/schema/50_mart.sql).
 */
#define MART_ENGINE 1
#define MART_VERSION 4
/* clients per batch of the incremental build (its memory bound) */
#define MART_BATCH 2000

/*
 * conninfo: how the workers connect (NULL = PG* variables); snapshot: the
 * id from pg_export_snapshot() on w; lo..hi: the client_id range of the
 * loans (lo > hi: no loans); busy_sql: a statement w runs meanwhile (NULL:
 * none), its result checked before w COPYs mart.month_bin_next.
 */
void mart_build(PGconn *w, const char *conninfo, const char *snapshot, int jobs,
    long long lo, long long hi, int32_t asof, const char *busy_sql,
    struct mart_stats *st);


/* What the mart was built from, and what core is now. */
struct mart_base {
	int versioned;		/* core is the load path's versioned core */
	int state_table;	/* mart.build_state exists */
	long long load, loads;	/* now: the last committed load, how many committed */
	int usable;		/* an incremental build may start from the state below */
	int32_t as_of;		/* D0 */
	long long l0;		/* the last committed load then */
	long long loans, payments;	/* in the mart (mart.build_info) */
	int32_t first_month;	/* mart.build_info's; POS_NODATE: none */
	long long clients;	/* in mart.client */
	int citus;		/* the warehouse is on a Citus cluster */
	char why[200];		/* why not usable, or what the build starts from */
};

/* Read it, in w's transaction, after the writer lock. */
void mart_base_read(PGconn *w, int32_t asof, struct mart_base *b);
/*
 * Record (or, core not versioned, clear) mart.build_state for asof, with
 * the clients of mart.client (-1: count them).
 */
void mart_base_write(PGconn *w, const struct mart_base *b, int32_t asof, long long clients);

/* by_attr.sql, or on a Citus cluster its variant by_attr_citus.sql */
const char *mart_by_attr_sql(int citus);

struct mart_inc {
	long long clients;		/* recomputed */
	struct mart_stats old, now;	/* their loans as built, and now */
	long long loans, payments;	/* in the mart afterwards */
	long long mart_clients;		/* in mart.client afterwards */
	int32_t first_month;		/* POS_NODATE: no loans */
};

/*
 * The incremental build from b (b->usable), in w's transaction (core read
 * on a connection of its own, conninfo as for w): returns 0
 * and writes nothing of the mart when a full build is the better one
 * (b->why then says why), else 1 with the mart updated but for build_info
 * and build_state.  step(what) is called after each step (-v's times).
 */
int mart_incremental(PGconn *w, const char *conninfo, struct mart_base *b, int32_t asof,
    void (*step)(const char *), struct mart_inc *r);

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
