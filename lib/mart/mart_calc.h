/*
 * mart_calc.h - build-mart's one computation per client: every loan's
 * position and month-end snapshots (position.h), its mart.loan row and its
 * contribution to the monthly aggregates (measures and roll matrix per month
 * and amount half-bin, vintages).
 *
 * Every aggregate of the mart is a sum of per-loan contributions, computed
 * here and nowhere else: the full build (mart.c) adds every client's once;
 * the incremental build (mart_inc.c) takes away the contributions a client
 * had when the mart was built (sign -1) and adds the ones it has now
 * (sign +1).  Integers only, so the result is the full build's exactly.
 */
#ifndef OVERDUE_MART_CALC_H
#define OVERDUE_MART_CALC_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db/copyout.h"
#include "mart/mart.h"
#include "position.h"

/* Column order of a loan row (sql/mart/read_loans.sql, read_at.sql). */
enum { L_CID, L_NAME, L_AMOUNT, L_START, L_END, L_N, L_PA, L_GENDER, L_BIRTH,
	L_EDU, L_KIDS, L_JOB, L_FAMILY, L_REGION, L_NF };
/* ... and of a payment record (read_payments.sql, read_at.sql). */
enum { P_CID, P_NAME, P_NUM, P_DATE, P_FACT, P_AMOUNT, P_NF };

/* The signed sums per (month, amount half-bin) and per vintage. */
struct aggmap;

/* shared: several threads add to it (mart_calc_client; mart_calc_flush) */
struct aggmap *agg_new(int shared);
void agg_free(struct aggmap *a);
/*
 * COPY the cells into the tables named month_bin, roll_bin and vintage_bin
 * (fixed names: mart.*_next, or the incremental build's deltas), in the
 * column order of sql/mart/copy_*.sql; cells whose values are all 0 are
 * left out (a full build never writes one; a delta of 0 changes nothing).
 */
void agg_copy(PGconn *w, const struct aggmap *a, const char *month_bin,
    const char *roll_bin, const char *vintage_bin);
/* The same rows appended to three buffers (the unit tests), in map order. */
void agg_text(const struct aggmap *a, struct buf *month_bin, struct buf *roll_bin,
    struct buf *vintage_bin);

/* One pass over clients: its sign, its as-of date, where its sums go. */
struct mart_calc {
	int32_t asof;
	int sign;		/* +1 add the clients, -1 take them away */
	struct aggmap *agg;
	struct buf *rows;	/* mart.loan rows (copy_loan.sql order); NULL: none */
	struct mart_stats st;	/* loans, payments, orphans, months, first_month */
	/* work areas, reused from loan to loan */
	struct pos_rec *rec;
	size_t cap_rec;
	struct pos_loan l;
	struct pos_month *m;
	size_t cap_m;
	char *used;
	size_t cap_used;
	struct pending *pend;	/* contributions held for a shared map */
};

void mart_calc_init(struct mart_calc *x, int32_t asof, int sign, struct aggmap *agg,
    struct buf *rows);
/* One client's loans and payment records (rows as read, any order). */
void mart_calc_client(struct mart_calc *x, const struct copyrows *loans,
    const struct copyrows *pays);
/* Add what is held for a shared map to it (before agg_copy). */
void mart_calc_flush(struct mart_calc *x);
void mart_calc_free(struct mart_calc *x);

void mart_stats_init(struct mart_stats *st);
/* Add the counts of b to a (first_month: the earlier). */
void mart_stats_add(struct mart_stats *a, const struct mart_stats *b);

#endif
