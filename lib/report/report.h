/*
 * report.h - overdue-report's pieces that need no database: the amount
 * filter (bounds in kopecks, amount bins) and the table/TSV/CSV/JSON writer.
 */
#ifndef OVERDUE_REPORT_H
#define OVERDUE_REPORT_H

#include <stddef.h>
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

/*
 * "1234567.89" (an optional '-', digits, an optional fraction) with a space
 * between groups of three digits of the whole part: "1 234 567.89".  Text
 * of any other shape is copied as it is.  out holds size bytes (>= 1).
 */
void report_thousands(const char *num, char *out, size_t size);

/* The display width of UTF-8 text: its code points (right for our data: no wide characters). */
size_t report_width(const char *s);

enum fmt { FMT_TABLE, FMT_TSV, FMT_CSV, FMT_JSON };

/*
 * What a column holds: the values are the TSV text, whatever the format.
 * TSV/CSV print every value as it is, JSON quotes COL_TEXT only (an empty
 * other value is null).  The table format, made for people, shows
 *   COL_TEXT  left-aligned, as it is;
 *   COL_NUM   right-aligned, as it is (ids and counts);
 *   COL_SHARE "0.127450" as a percentage with one decimal, "12.7%";
 *   COL_MONEY "1234567.89" with thousands separators, "1 234 567.89", or,
 *             when the table would not fit its width otherwise, compact:
 *             one decimal of k (10^3), M (10^6), B (10^9) or T (10^12),
 *             rounded half up ("345.6k", "1.2M"; below 1 000 as it is).
 * An empty value stays empty.
 */
enum coltype { COL_TEXT, COL_NUM, COL_SHARE, COL_MONEY };

/*
 * The table format fits `width` columns (0 = unlimited), trying in turn:
 *   1. every column in full form, the bar from 30 cells down to 10;
 *   2. money columns compact (the bar again 30 down to 10);
 *   3. leaving out columns in the order of `drop`, one at a time, compact
 *      money only when the full form does not fit;
 *   4. with nothing (more) to leave out: one space between columns, not two.
 * Column 0 and the bar's column are never left out.  When columns were left
 * out, a line after the table names them and says that --format tsv has
 * every column.  Only an impossible fit (every column in `drop` gone) is
 * wider than `width`.  The bar's full length stands for the smallest of
 * 1, 2, 5, 10, 20, 50 and 100 % at or above 95 % of the bar column's shares
 * (its heading says "0%  ...  20%"); a longer one is cut and ends in '>'.
 */
struct table {
	enum fmt fmt;
	int ncol;
	const char *const *names;
	const enum coltype *types;
	int bar;		/* table: add a bar drawn from column `bar` (a share), -1 none */
	int utf8;		/* table: draw the bar with block characters */
	int width;		/* table: the width to fit in columns, 0 = unlimited */
	const int *drop;	/* table: column indexes in the order they are left out, then -1; NULL none */
	const char *const *heads;	/* table: the column headings (NULL: names) */
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
