/*
 * mart.h - build-mart's engine: stream current core one client at a time,
 * compute every loan's position and month-end snapshots (position.h) and
 * write the mart tables through COPY.
 *
 * Three connections: `w` holds the writer lock and the transaction that
 * fills mart.*_next; `rl` and `rp` stream core.loans_current (with the
 * client's attributes) and core.payments_current, both ordered by client_id.
 * They start after `w` holds the lock, so no load can commit in between and
 * all three see the same core.
 */
#ifndef OVERDUE_MART_H
#define OVERDUE_MART_H

#include <libpq-fe.h>
#include <stdint.h>

struct mart_stats {
	long long loans, payments, orphans, months;
	int32_t first_month;	/* POS_NODATE when there are no loans */
};

void mart_build(PGconn *w, PGconn *rl, PGconn *rp, int32_t asof,
    struct mart_stats *st);

/* Split a COPY text row in place at tabs; returns the number of fields. */
int mart_split(char *row, int len, char **f, int max);

#endif
