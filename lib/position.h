/*
 * position.h - the overdue rules of SPEC section 5 for one loan, in integer
 * kopecks and day numbers.  build-mart streams core one client at a time and
 * calls these per loan; nothing here touches the database.
 *
 *   due(S)   = paid_amount x #installments with due date < S
 *   paid(S)  = sum of paid_fact_amount with payment_fact_date <= S
 *   arrears  = max(0, due - paid); outstanding = max(0, total - paid)
 *   oldest unpaid = installment j (in due-date order) with j*pa <= paid < (j+1)*pa
 *   dpd      = S - its due date when that is < S, else 0
 *   status   = not_started (start > S), closed (outstanding 0),
 *              overdue (arrears > 0), current
 *   a not_started loan has dpd, arrears and outstanding 0 (no exposure)
 */
#ifndef OVERDUE_POSITION_H
#define OVERDUE_POSITION_H

#include <stddef.h>
#include <stdint.h>

#define POS_NODATE INT32_MIN	/* a NULL date */

enum pos_status { POS_NOT_STARTED = 0, POS_CURRENT = 1, POS_OVERDUE = 2, POS_CLOSED = 3 };

/* One payment record of core.payments_current. */
struct pos_rec {
	int32_t number;		/* payment_number */
	int32_t date;		/* payment_date (scheduled) */
	int32_t fact;		/* payment_fact_date or POS_NODATE */
	int64_t amount;		/* paid_fact_amount in kopecks; NULL = 0 */
};

/* One loan and its records; the work arrays are owned and reused. */
struct pos_loan {
	int32_t start;		/* loan_start_date */
	int32_t n;		/* payment_numbers */
	int64_t pa;		/* paid_amount, kopecks */
	const struct pos_rec *rec;
	size_t nrec;
	/* filled by pos_prepare() */
	int32_t *due;		/* n due dates, ascending */
	int32_t *fact;		/* nfact payment dates, ascending */
	int64_t *cum;		/* cum[i] = sum of amounts of fact[0..i] */
	size_t nfact, cap_due, cap_fact;
};

struct position {
	enum pos_status status;
	int32_t dpd;
	int32_t oldest_due;	/* due date of the oldest unpaid one, or POS_NODATE */
	int64_t due, paid, arrears, outstanding;
};

/* Per-month snapshot of a loan (index 0 = the loan's first month). */
struct pos_month {
	uint8_t status;		/* enum pos_status */
	uint8_t flow;		/* 0 no record due in M before D, 1 such records, 2 one flagged */
	int32_t dpd;
	int64_t outstanding, arrears;
	int64_t late_paid;	/* sum of paid_fact_amount of the flagged records */
};

/* Build the schedule and the payment index of l (records may be in any order). */
void pos_prepare(struct pos_loan *l);
/* The position at the end of day s.  pos_prepare() first. */
void pos_at(const struct pos_loan *l, int32_t s, struct position *p);
/* The seed's flag: record due before D paid late, never, or short. */
int pos_flag(const struct pos_rec *r, int64_t pa, int32_t d);
/*
 * Month-end snapshots from the loan's first month (the earlier of its start
 * month and its first record's month) to D's month, the last one taken at D.
 * Trailing months after the loan closed (keeping the first closed one) and
 * without records are dropped.  Writes *first (first day of the first month)
 * and returns the number of months (0 when the loan starts after D's month);
 * *out is grown as needed.
 */
size_t pos_months(const struct pos_loan *l, int32_t d, int32_t *first,
    struct pos_month **out, size_t *cap);
void pos_free(struct pos_loan *l);

const char *pos_status_name(enum pos_status s);
/* "0", "1-30", "31-60", "61-90", "91+" */
const char *pos_dpd_bucket(int32_t dpd);
/* The age band at d (date_age_years): 18-25 26-35 36-45 46-60 61-75 other. */
const char *pos_age_band(int32_t birth, int32_t d);

/*
 * num/den as a decimal with `places` digits, rounded half up (num, den >= 0,
 * den > 0), exactly, without overflow.  Returns the length written.
 */
size_t share_format(int64_t num, int64_t den, int places, char *buf, size_t size);

#endif
