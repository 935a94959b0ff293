/*
 * report.h - overdue-report's pieces that need no database: the amount
 * filter (bounds in kopecks, amount bins) and the table/TSV/CSV/JSON writer.
 */
#ifndef OVERDUE_REPORT_H
#define OVERDUE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"

#define BIN_K INT64_C(100000)	/* one amount bin = 1 000 roubles */

/* Inclusive bounds in kopecks; [-MONEY_MAX, MONEY_MAX] means "any". */
struct amount_filter {
	int64_t lo, hi;
};

/* Parse an amount ("50000", "49999.99"); 0 ok, -1 not an amount. */
int report_amount(const char *s, int64_t *out);
/* A seed bucket name to its bounds; 0 ok, -1 unknown name. */
int report_bucket(const char *name, struct amount_filter *f);
/*
 * The bins wholly inside f ([*blo, *bhi], empty when blo > bhi) and the two
 * edge ranges of amounts whose loans must be read one by one
 * (e[0]..e[1] and e[2]..e[3], each empty when its start > its end).
 */
void report_bins(const struct amount_filter *f, int64_t *blo, int64_t *bhi, int64_t e[4]);

enum fmt { FMT_TABLE, FMT_TSV, FMT_CSV, FMT_JSON };
enum coltype { COL_TEXT, COL_NUM, COL_SHARE };

struct table {
	enum fmt fmt;
	int ncol;
	const char *const *names;
	const enum coltype *types;
	int bar;		/* table: add a bar drawn from column `bar` (a share), -1 none */
	int utf8;		/* table: draw the bar with block characters */
	FILE *out;
	/* table format buffers rows to align them */
	char **cells;
	size_t nrows, cap;
	long nout;		/* rows written (json: for commas) */
	struct buf b;
};

void table_begin(struct table *t);
/* One row of ncol formatted values ("" = empty/NULL). */
void table_row(struct table *t, const char *const *v);
void table_end(struct table *t);

#endif
