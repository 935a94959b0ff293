/* series.c - the report's series from the mart (see series.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db/db.h"
#include "position.h"
#include "report/series.h"
#include "db/sql.h"
#include "util.h"

const char *const series_monthly_cols[SERIES_MONTHLY_NCOL] = {
	"month", "active_loans", "overdue_loans", "overdue_share", "outstanding",
	"overdue_outstanding", "par_share", "arrears", "dpd_1_30", "dpd_31_60",
	"dpd_61_90", "dpd_91_plus", "late_share", "par30_share", "par90_share",
	"cure_rate", "issued_amount"
};
const char *const series_roll_cols[SERIES_ROLL_NCOL] = {
	"month", "from_bucket", "loans", "to_0", "to_1_30", "to_31_60", "to_61_90",
	"to_91_plus", "to_closed"
};
const char *const series_vintage_cols[SERIES_VINTAGE_NCOL] = {
	"vintage", "months_on_book", "loans", "ever30_loans", "ever30_share"
};
const char *const series_buckets[5] = {"0", "1-30", "31-60", "61-90", "91+"};

void
series_params(const struct amount_filter *f, struct series_params *sp)
{
	int64_t blo, bhi, e[4];

	/* the whole amount bins of the range and its two edge ranges */
	report_bins(f, &blo, &bhi, e);
	snprintf(sp->s[0], sizeof sp->s[0], "%lld", (long long)(blo < 0 ? 0 : blo));
	snprintf(sp->s[1], sizeof sp->s[1], "%lld", (long long)(bhi > INT32_MAX ? INT32_MAX : bhi));
	for (int i = 0; i < 4; i++)
		money_format(e[i], sp->s[2 + i]);
	for (int i = 0; i < 6; i++)
		sp->p[i] = sp->s[i];
	if (blo > bhi) {	/* no whole bin: an empty bin range */
		snprintf(sp->s[0], sizeof sp->s[0], "1");
		snprintf(sp->s[1], sizeof sp->s[1], "0");
	}
}

static int64_t
num(PGresult *r, int row, int col)
{
	int64_t v;

	if (parse_int64(PQgetvalue(r, row, col), INT64_MIN, INT64_MAX, &v) != 0)
		die(EX_SOFTWARE, "unexpected number '%s' from the mart", PQgetvalue(r, row, col));
	return v;
}

static int32_t
month_of(PGresult *r, int row, int col)
{
	char d[DATE_BUFSZ];
	int32_t m;

	/* "YYYY-MM" -> its first day */
	snprintf(d, sizeof d, "%.7s-01", PQgetvalue(r, row, col));
	if (date_parse(d, strlen(d), &m) != 0)
		die(EX_SOFTWARE, "unexpected month '%s' from the mart", PQgetvalue(r, row, col));
	return m;
}

static PGresult *
query(PGconn *c, const char *file, const struct series_params *sp)
{
	PGresult *r = PQexecParams(c, sql_text(file), 6, NULL, sp->p, NULL, NULL, 0);

	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		db_die(c, r, "report");
	return r;
}

size_t
series_monthly(PGconn *c, const struct series_params *sp, struct mrow **out)
{
	PGresult *r = query(c, "mart/report_monthly.sql", sp);
	size_t n = (size_t)PQntuples(r);
	struct mrow *m = ecalloc(n ? n : 1, sizeof *m);

	for (size_t i = 0; i < n; i++) {
		int k = (int)i;

		m[i].month = month_of(r, k, 0);
		m[i].active = num(r, k, 1);
		m[i].overdue = num(r, k, 2);
		m[i].out_k = num(r, k, 3);
		m[i].oout_k = num(r, k, 4);
		m[i].arr_k = num(r, k, 5);
		for (int j = 0; j < 4; j++)
			m[i].dpd[j] = num(r, k, 6 + j);
		m[i].flow = num(r, k, 10);
		m[i].flow_late = num(r, k, 11);
		m[i].par30_k = num(r, k, 12);
		m[i].par90_k = num(r, k, 13);
		m[i].prev_overdue = num(r, k, 14);
		m[i].cured = num(r, k, 15);
		m[i].issued_k = num(r, k, 16);
	}
	PQclear(r);
	*out = m;
	return n;
}

size_t
series_roll(PGconn *c, const struct series_params *sp, struct roll_row **out)
{
	PGresult *r = query(c, "mart/report_roll.sql", sp);
	size_t n = (size_t)PQntuples(r);
	struct roll_row *m = ecalloc(n ? n : 1, sizeof *m);

	for (size_t i = 0; i < n; i++) {
		int k = (int)i;

		m[i].month = month_of(r, k, 0);
		m[i].from = (int)num(r, k, 1);
		if (m[i].from < 0 || m[i].from > 4)
			die(EX_SOFTWARE, "unexpected from_bucket %d from the mart", m[i].from);
		m[i].loans = num(r, k, 2);
		for (int j = 0; j < 6; j++)
			m[i].to[j] = num(r, k, 3 + j);
	}
	PQclear(r);
	*out = m;
	return n;
}

size_t
series_vintage(PGconn *c, const struct series_params *sp, struct vint_row **out)
{
	PGresult *r = query(c, "mart/report_vintage.sql", sp);
	size_t n = (size_t)PQntuples(r);
	struct vint_row *m = ecalloc(n ? n : 1, sizeof *m);

	for (size_t i = 0; i < n; i++) {
		int k = (int)i;

		m[i].vintage = month_of(r, k, 0);
		m[i].mob = (int)num(r, k, 1);
		m[i].loans = num(r, k, 2);
		m[i].ever30 = num(r, k, 3);
	}
	PQclear(r);
	*out = m;
	return n;
}

void
series_month(int32_t month, char *buf)
{
	int y, m, d;

	date_to_civil(month, &y, &m, &d);
	snprintf(buf, SERIES_CELL, "%04d-%02d", y, m);
}

void
series_share(int64_t num, int64_t den, char *buf)
{
	if (den == 0)
		*buf = '\0';
	else
		share_format(num, den, 6, buf, SERIES_CELL);
}

void
series_monthly_text(const struct mrow *r, char v[SERIES_MONTHLY_NCOL][SERIES_CELL])
{
	series_month(r->month, v[0]);
	snprintf(v[1], SERIES_CELL, "%lld", (long long)r->active);
	snprintf(v[2], SERIES_CELL, "%lld", (long long)r->overdue);
	series_share(r->overdue, r->active, v[3]);
	money_format(r->out_k, v[4]);
	money_format(r->oout_k, v[5]);
	series_share(r->oout_k, r->out_k, v[6]);
	money_format(r->arr_k, v[7]);
	for (int i = 0; i < 4; i++)
		snprintf(v[8 + i], SERIES_CELL, "%lld", (long long)r->dpd[i]);
	series_share(r->flow_late, r->flow, v[12]);
	series_share(r->par30_k, r->out_k, v[13]);
	series_share(r->par90_k, r->out_k, v[14]);
	series_share(r->cured, r->prev_overdue, v[15]);
	money_format(r->issued_k, v[16]);
}

void
series_roll_text(const struct roll_row *r, char v[SERIES_ROLL_NCOL][SERIES_CELL])
{
	series_month(r->month, v[0]);
	snprintf(v[1], SERIES_CELL, "%s", series_buckets[r->from]);
	snprintf(v[2], SERIES_CELL, "%lld", (long long)r->loans);
	for (int i = 0; i < 6; i++)
		snprintf(v[3 + i], SERIES_CELL, "%lld", (long long)r->to[i]);
}

void
series_vintage_text(const struct vint_row *r, char v[SERIES_VINTAGE_NCOL][SERIES_CELL])
{
	series_month(r->vintage, v[0]);
	snprintf(v[1], SERIES_CELL, "%d", r->mob);
	snprintf(v[2], SERIES_CELL, "%lld", (long long)r->loans);
	snprintf(v[3], SERIES_CELL, "%lld", (long long)r->ever30);
	series_share(r->ever30, r->loans, v[4]);
}
