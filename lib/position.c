/* position.c - SPEC section 5 for one loan: schedule, position, month series. */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "position.h"
#include "util.h"

__extension__ typedef unsigned __int128 u128;

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

struct fact_amt {
	int32_t fact;
	int64_t amount;
};

static int
cmp_fact(const void *a, const void *b)
{
	const struct fact_amt *x = a, *y = b;

	return (x->fact > y->fact) - (x->fact < y->fact);
}

void
pos_prepare(struct pos_loan *l)
{
	size_t n = l->n > 0 ? (size_t)l->n : 0;
	struct fact_amt *fa;
	size_t nf = 0;

	if (n > l->cap_due) {
		l->due = ereallocarray(l->due, n, sizeof *l->due);
		l->cap_due = n;
	}
	/* default schedule: from the start date each time, clamped to month end
	 * (date_add_months(start, k), one civil conversion per installment) */
	if (n > 0) {
		int y, m, d;

		date_to_civil(l->start, &y, &m, &d);
		for (size_t k = 0; k < n; k++) {
			int dim = date_days_in_month(y, m);

			l->due[k] = date_from_civil(y, m, d < dim ? d : dim);
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	/* a payment record's payment_date is the due date of its installment */
	for (size_t i = 0; i < l->nrec; i++)
		if (l->rec[i].number >= 1 && l->rec[i].number <= l->n)
			l->due[l->rec[i].number - 1] = l->rec[i].date;
	/* every installment is worth paid_amount, so "oldest first" only needs dates */
	qsort(l->due, n, sizeof *l->due, cmp_i32);

	if (l->nrec > l->cap_fact) {
		l->fact = ereallocarray(l->fact, l->nrec, sizeof *l->fact);
		l->cum = ereallocarray(l->cum, l->nrec, sizeof *l->cum);
		l->cap_fact = l->nrec;
	}
	fa = l->nrec ? emalloc(l->nrec * sizeof *fa) : NULL;
	for (size_t i = 0; i < l->nrec; i++)
		if (l->rec[i].fact != POS_NODATE) {
			fa[nf].fact = l->rec[i].fact;
			fa[nf].amount = l->rec[i].amount;
			nf++;
		}
	if (nf > 1)
		qsort(fa, nf, sizeof *fa, cmp_fact);
	for (size_t i = 0; i < nf; i++) {
		l->fact[i] = fa[i].fact;
		l->cum[i] = fa[i].amount + (i ? l->cum[i - 1] : 0);
	}
	l->nfact = nf;
	free(fa);
}

/* Number of elements of the ascending a[0..n) that are < x (strict) or <= x. */
static size_t
count_below(const int32_t *a, size_t n, int32_t x, int inclusive)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < x || (inclusive && a[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
pos_at(const struct pos_loan *l, int32_t s, struct position *p)
{
	size_t n = l->n > 0 ? (size_t)l->n : 0;
	size_t nd = count_below(l->due, n, s, 0);
	size_t np = count_below(l->fact, l->nfact, s, 1);
	int64_t total = (int64_t)n * l->pa;

	p->due = (int64_t)nd * l->pa;
	p->paid = np ? l->cum[np - 1] : 0;
	p->arrears = p->due > p->paid ? p->due - p->paid : 0;
	p->outstanding = total > p->paid ? total - p->paid : 0;
	p->oldest_due = POS_NODATE;
	p->dpd = 0;
	if (l->pa > 0 && p->paid >= 0) {
		int64_t j = p->paid / l->pa;	/* installments fully covered */

		if (j < (int64_t)n) {
			p->oldest_due = l->due[j];
			if (p->oldest_due < s)
				p->dpd = s - p->oldest_due;
		}
	}
	if (l->start > s) {
		/* not disbursed yet: no exposure, whatever the schedule says (SPEC 5) */
		p->status = POS_NOT_STARTED;
		p->dpd = 0;
		p->arrears = 0;
		p->outstanding = 0;
		p->oldest_due = POS_NODATE;
	} else if (p->outstanding == 0)
		p->status = POS_CLOSED;
	else if (p->arrears > 0)
		p->status = POS_OVERDUE;
	else
		p->status = POS_CURRENT;
}

int
pos_flag(const struct pos_rec *r, int64_t pa, int32_t d)
{
	return r->date < d &&
	    (r->fact == POS_NODATE || r->fact > r->date || r->amount < pa);
}

size_t
pos_months(const struct pos_loan *l, int32_t d, int32_t *first,
    struct pos_month **out, size_t *cap)
{
	int32_t fm = date_month_start(l->start), dm = date_month_start(d), ms;
	struct position p;
	size_t count, len;
	long last = -1;
	int fy, fmo, y, m, dd;

	for (size_t i = 0; i < l->nrec; i++)
		if (l->rec[i].date < d && l->rec[i].date < fm)
			fm = date_month_start(l->rec[i].date);
	*first = fm;
	if (fm > dm)
		return 0;
	count = (size_t)date_month_diff(fm, dm) + 1;
	if (count > *cap) {
		*out = ereallocarray(*out, count, sizeof **out);
		*cap = count;
	}
	/* month by month: the next month starts the day after this one ends */
	date_to_civil(fm, &fy, &fmo, &dd);
	y = fy;
	m = fmo;
	ms = fm;
	for (size_t i = 0; i < count; i++) {
		int32_t snap = ms + date_days_in_month(y, m) - 1;
		struct pos_month *mo = &(*out)[i];

		pos_at(l, snap < d ? snap : d, &p);
		mo->status = (uint8_t)p.status;
		mo->dpd = p.dpd;
		mo->outstanding = p.outstanding;
		mo->arrears = p.arrears;
		mo->flow = 0;
		mo->late_paid = 0;
		ms = snap + 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	for (size_t i = 0; i < l->nrec; i++) {
		const struct pos_rec *r = &l->rec[i];
		struct pos_month *mo;

		if (r->date >= d)
			continue;
		date_to_civil(r->date, &y, &m, &dd);
		mo = &(*out)[(y * 12 + m) - (fy * 12 + fmo)];
		if (pos_flag(r, l->pa, d)) {
			mo->flow = 2;
			mo->late_paid += r->amount;
		} else if (mo->flow == 0) {
			mo->flow = 1;
		}
	}
	/* keep months up to the last active or flow month, plus the one after */
	for (size_t i = 0; i < count; i++) {
		const struct pos_month *mo = &(*out)[i];

		if (mo->status == POS_CURRENT || mo->status == POS_OVERDUE || mo->flow)
			last = (long)i;
	}
	len = (size_t)(last + 2);
	return len < count ? len : count;
}

void
pos_free(struct pos_loan *l)
{
	free(l->due);
	free(l->fact);
	free(l->cum);
	l->due = l->fact = NULL;
	l->cum = NULL;
	l->cap_due = l->cap_fact = l->nfact = 0;
}

const char *
pos_status_name(enum pos_status s)
{
	switch (s) {
	case POS_NOT_STARTED: return "not_started";
	case POS_CURRENT: return "current";
	case POS_OVERDUE: return "overdue";
	case POS_CLOSED: return "closed";
	}
	return "?";
}

const char *
pos_dpd_bucket(int32_t dpd)
{
	if (dpd <= 0)
		return "0";
	if (dpd <= 30)
		return "1-30";
	if (dpd <= 60)
		return "31-60";
	if (dpd <= 90)
		return "61-90";
	return "91+";
}


const char *
pos_age_band(int32_t birth, int32_t d)
{
	int a;

	if (birth == POS_NODATE)
		return "other";
	a = date_age_years(birth, d);
	if (a >= 18 && a <= 25)
		return "18-25";
	if (a >= 26 && a <= 35)
		return "26-35";
	if (a >= 36 && a <= 45)
		return "36-45";
	if (a >= 46 && a <= 60)
		return "46-60";
	if (a >= 61 && a <= 75)
		return "61-75";
	return "other";
}

size_t
share_format(int64_t num, int64_t den, int places, char *buf, size_t size)
{
	u128 scale = 1, v, q, r;
	char digits[64];
	size_t nd = 0, len = 0;

	if (num < 0 || den <= 0 || places < 0 || places > 18 || size < 2)
		die(EX_SOFTWARE, "internal error: share_format(%lld, %lld)",
		    (long long)num, (long long)den);
	for (int i = 0; i < places; i++)
		scale *= 10;
	v = (u128)num * scale;
	q = v / (u128)den;
	r = v % (u128)den;
	if (2 * r >= (u128)den)		/* half up */
		q++;
	do {
		digits[nd++] = (char)('0' + (int)(q % 10));
		q /= 10;
	} while (q > 0 || nd <= (size_t)places);
	/* digits holds at least places+1 digits, least significant first */
	for (size_t i = nd; i-- > 0;) {
		if (len + 2 >= size)
			break;
		buf[len++] = digits[i];
		if (places > 0 && i == (size_t)places)
			buf[len++] = '.';
	}
	buf[len] = '\0';
	return len;
}
