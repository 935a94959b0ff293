/*
 * series.h - overdue-report's series read from the mart for an amount
 * range: the monthly measures, the roll matrix and the vintage curves
 * (struct mrow, roll_row, vint_row of chart.h), and their TSV text.
 *
 * `bp` are the six parameters of sql/mart/report_*.sql: the whole amount
 * bins [bp[0], bp[1]] and the two edge amount ranges bp[2]..bp[3],
 * bp[4]..bp[5] (see report_bins() in report.h and series_params()).
 */
#ifndef OVERDUE_SERIES_H
#define OVERDUE_SERIES_H

#include <libpq-fe.h>
#include <stddef.h>

#include "report/chart.h"
#include "money.h"
#include "report/report.h"

struct series_params {
	char s[6][MONEY_BUFSZ];
	const char *p[6];
};

/* The query parameters of amount filter f. */
void series_params(const struct amount_filter *f, struct series_params *sp);

/* Each returns the number of rows in a malloc'd array (free it). */
size_t series_monthly(PGconn *c, const struct series_params *sp, struct mrow **out);
size_t series_roll(PGconn *c, const struct series_params *sp, struct roll_row **out);
size_t series_vintage(PGconn *c, const struct series_params *sp, struct vint_row **out);

/* Column names and the TSV text of one row ("" for an empty share). */
#define SERIES_MONTHLY_NCOL 17
#define SERIES_ROLL_NCOL 9
#define SERIES_VINTAGE_NCOL 5
#define SERIES_CELL 40
extern const char *const series_monthly_cols[SERIES_MONTHLY_NCOL];
extern const char *const series_roll_cols[SERIES_ROLL_NCOL];
extern const char *const series_vintage_cols[SERIES_VINTAGE_NCOL];
void series_monthly_text(const struct mrow *r, char v[SERIES_MONTHLY_NCOL][SERIES_CELL]);
void series_roll_text(const struct roll_row *r, char v[SERIES_ROLL_NCOL][SERIES_CELL]);
void series_vintage_text(const struct vint_row *r, char v[SERIES_VINTAGE_NCOL][SERIES_CELL]);

/* "YYYY-MM" of a month's first day into buf (SERIES_CELL bytes). */
void series_month(int32_t month, char *buf);
/* num/den as the TSV's share (6 decimals, half up), "" when den is 0. */
void series_share(int64_t num, int64_t den, char *buf);
/* The DPD bucket names by index 0..4. */
extern const char *const series_buckets[5];

#endif
