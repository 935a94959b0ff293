/* t_position.c - SPEC section 5 rules for one loan, case by case. */
#include <stdlib.h>

#include "date.h"
#include "position.h"
#include "tap.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;

	date_parse(s, strlen(s), &d);
	return d;
}

static struct position
at(struct pos_loan *l, const char *s)
{
	struct position p;

	pos_prepare(l);
	pos_at(l, D(s), &p);
	return p;
}

static void
shares(int64_t n, int64_t d, int places, const char *want)
{
	char b[64];

	share_format(n, d, places, b, sizeof b);
	is_str(b, want, "share %lld/%lld (%d places) = %s", (long long)n, (long long)d, places, want);
}

int
main(void)
{
	struct pos_loan l = {0};
	struct pos_rec r[4];
	struct position p;
	struct pos_month *m = NULL;
	size_t cap = 0, n;
	int32_t first;

	/* schedule without records: from the start each time, clamped (leap year) */
	l.start = D("2024-01-31");
	l.n = 4;
	l.pa = 10000;
	pos_prepare(&l);
	is_int(l.due[1], D("2024-02-29"), "Jan 31 + 1 month = Feb 29 in a leap year");
	is_int(l.due[2], D("2024-03-31"), "Jan 31 + 2 months = Mar 31, not Mar 29");
	is_int(l.due[3], D("2024-04-30"), "Jan 31 + 3 months = Apr 30");

	/* an installment due on D is not overdue; the day after it is, dpd 1 */
	p = at(&l, "2024-01-31");
	is_int(p.status, POS_CURRENT, "due on D: current");
	is_int(p.arrears, 0, "due on D: no arrears");
	is_int(p.oldest_due, D("2024-01-31"), "oldest unpaid = the one due on D");
	p = at(&l, "2024-02-01");
	is_int(p.status, POS_OVERDUE, "day after due: overdue");
	is_int(p.dpd, 1, "day after due: dpd 1");
	is_int(p.arrears, 10000, "arrears = one installment");
	is_int(p.outstanding, 40000, "outstanding = total - paid");

	/* a payment made on D counts; partial payment leaves the rest overdue */
	r[0] = (struct pos_rec){1, D("2024-01-31"), D("2024-03-05"), 10000};
	r[1] = (struct pos_rec){2, D("2024-02-29"), D("2024-03-05"), 4000};
	l.rec = r;
	l.nrec = 2;
	p = at(&l, "2024-03-05");
	is_int(p.paid, 14000, "payments dated D are counted");
	is_int(p.arrears, 6000, "partial: 20000 due - 14000 paid");
	is_int(p.dpd, D("2024-03-05") - D("2024-02-29"), "dpd from the partly paid installment");
	p = at(&l, "2024-03-04");
	is_int(p.paid, 0, "payments after D are not counted");
	is_int(p.dpd, D("2024-03-04") - D("2024-01-31"), "dpd from the first unpaid installment");
	is_str(pos_dpd_bucket(p.dpd), "31-60", "33 days is bucket 31-60");

	/* early payoff closes; not started before the start date */
	r[2] = (struct pos_rec){3, D("2024-03-31"), D("2024-03-06"), 26000};
	l.nrec = 3;
	p = at(&l, "2024-03-06");
	is_int(p.status, POS_CLOSED, "paid in full before schedule: closed");
	is_int(p.oldest_due, POS_NODATE, "closed: no unpaid installment");
	p = at(&l, "2024-01-30");
	is_int(p.status, POS_NOT_STARTED, "before the start: not_started");
	is_int(p.outstanding, 0, "not_started: no outstanding (not disbursed)");
	is_int(p.arrears, 0, "not_started: no arrears");
	is_int(p.dpd, 0, "not_started: dpd 0");

	/* records' payment_date override the default schedule */
	r[0] = (struct pos_rec){2, D("2024-03-10"), POS_NODATE, 0};
	l.nrec = 1;
	pos_prepare(&l);
	is_int(l.due[1], D("2024-03-10"), "record's payment_date is installment 2's due date");

	/* seed flag */
	r[0] = (struct pos_rec){1, D("2024-01-31"), POS_NODATE, 0};
	ok(pos_flag(&r[0], 10000, D("2024-02-01")), "unpaid record due before D is flagged");
	ok(!pos_flag(&r[0], 10000, D("2024-01-31")), "record due on D is not flagged");
	r[0] = (struct pos_rec){1, D("2024-01-31"), D("2024-01-31"), 9999};
	ok(pos_flag(&r[0], 10000, D("2024-02-01")), "short by a kopeck is flagged");
	r[0].amount = 10000;
	ok(!pos_flag(&r[0], 10000, D("2024-02-01")), "on time and in full is not flagged");

	/* month series: a late payment cured before month end is current at month end */
	l.start = D("2024-01-15");
	l.n = 2;
	l.pa = 500;
	r[0] = (struct pos_rec){1, D("2024-01-15"), D("2024-01-20"), 500};
	r[1] = (struct pos_rec){2, D("2024-02-15"), D("2024-02-15"), 500};
	l.rec = r;
	l.nrec = 2;
	pos_prepare(&l);
	n = pos_months(&l, D("2024-05-10"), &first, &m, &cap);
	is_int(first, D("2024-01-01"), "series starts in the start month");
	is_int(n, 3, "Jan current (cured), Feb closed with a record, Mar closed, later trimmed");
	is_int(m[0].status, POS_CURRENT, "cured before month end: current");
	is_int(m[0].flow, 2, "but January's record is flagged late");
	is_int(m[0].late_paid, 500, "late record's paid amount");
	is_int(m[1].status, POS_CLOSED, "February: closed");
	n = pos_months(&l, D("2023-12-31"), &first, &m, &cap);
	is_int(n, 0, "a loan starting after D's month has no months");

	/* ages and bands */
	is_int(date_age_years(D("2000-02-29"), D("2018-02-28")), 17, "not 18 the day before a leap birthday");
	is_int(date_age_years(D("2000-02-29"), D("2018-03-01")), 18, "18 on March 1st");
	is_str(pos_age_band(D("1990-06-01"), D("2025-06-01")), "26-35", "35th birthday is band 26-35");
	is_str(pos_age_band(D("1990-06-01"), D("2026-06-01")), "36-45", "36 is band 36-45");
	is_str(pos_age_band(POS_NODATE, D("2026-06-01")), "other", "unknown birth date: other");

	/* shares: 6 decimals, half up, exact on huge kopeck sums */
	shares(1, 3, 6, "0.333333");
	shares(2, 3, 6, "0.666667");
	shares(1, 8, 2, "0.13");
	shares(1, 2000000, 6, "0.000001");
	shares(1, 2000001, 6, "0.000000");
	shares(5, 5, 6, "1.000000");
	shares(0, 7, 6, "0.000000");
	shares(INT64_C(99999999999999999), INT64_C(99999999999999998), 6, "1.000000");
	shares(1, 6, 2, "0.17");

	free(m);
	pos_free(&l);
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
