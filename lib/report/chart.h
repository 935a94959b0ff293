/*
 * chart.h - overdue-report's series in memory, and the standalone SVG
 * charts drawn from them (overdue-report --format svg --chart NAME).
 *
 * The rows are what the TSV prints, before formatting: counts, money in
 * kopecks, months as day numbers of their first day (date.h).  A share is
 * a numerator and a denominator (empty when the denominator is 0).
 */
#ifndef OVERDUE_CHART_H
#define OVERDUE_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* One month of the monthly series (overdue-report's default output). */
struct mrow {
	int32_t month;			/* first day of the month */
	int64_t active, overdue;
	int64_t out_k, oout_k, arr_k;	/* outstanding, overdue outstanding, arrears */
	int64_t dpd[4];			/* overdue loans with dpd 1-30, 31-60, 61-90, 91+ */
	int64_t par30_k, par90_k;	/* outstanding of active loans with dpd > 30, > 90 */
	int64_t flow, flow_late;	/* late_share = flow_late / flow */
	int64_t prev_overdue, cured;	/* cure_rate = cured / prev_overdue */
	int64_t issued_k;		/* loan_amount of loans started up to the snapshot */
};

/* One row of --roll-rates: loans in bucket `from` at M-1 by state at M. */
struct roll_row {
	int32_t month;
	int from;			/* 0 "0", 1 "1-30", 2 "31-60", 3 "61-90", 4 "91+" */
	int64_t loans;
	int64_t to[6];			/* the same five buckets, then closed */
};

/* One row of --vintage. */
struct vint_row {
	int32_t vintage;		/* start month */
	int mob;			/* months on book */
	int64_t loans, ever30;
};

enum chart {
	CHART_SHARE,	/* overdue share by month (bars), the headline */
	CHART_LATE,	/* the seed's flow measure late_share by month */
	CHART_BUCKETS,	/* overdue loans by DPD bucket, stacked, by month */
	CHART_PAR,	/* par30_share and par90_share lines */
	CHART_VINTAGE,	/* ever30 share by months on book, one line per start year */
	CHART_ROLL,	/* the roll matrix of the latest month, as a heat table */
	CHART_CURE	/* cure rate by month */
};

struct chart_data {
	const struct mrow *m;
	size_t nm;
	const struct roll_row *r;	/* every month's five rows, in order */
	size_t nr;
	const struct vint_row *v;	/* vintages in order, mob ascending */
	size_t nv;
};

struct chart_opts {
	const char *as_of;		/* "YYYY-MM-DD" */
	const char *filter;		/* e.g. "loan_amount 50 000.00 – 99 999.99", or NULL */
	int en;				/* English labels (default Russian) */
};

/* The chart's name ("share", "late", "buckets", "par", "vintage", "roll",
 * "cure") to its enum; 0 ok, -1 unknown. */
int chart_parse(const char *name, enum chart *c);

/* A standalone SVG document (with its XML declaration) into b. */
void chart_svg(struct buf *b, enum chart c, const struct chart_data *d,
    const struct chart_opts *o);

#endif
