/*
 * gen.c - the generator's model: the risk table, the annuity, behaviour
 * probabilities, and the drawing of clients, loans and payments.
 * Integer arithmetic only (kopecks, day numbers, per-mille probabilities).
 */
#include <string.h>

#include "date.h"
#include "gen/gen.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const attr_names[GA_COUNT] = {
	"gender", "age_band", "education", "count_of_children", "job_type",
	"family_status", "region", "income",
};

static const char *const labels[GA_COUNT][GEN_MAXVAL] = {
	[GA_GENDER] = {"Мужчина", "Женщина"},
	[GA_AGE] = {"18-25", "26-35", "36-45", "46-60", "61-75"},
	[GA_EDUCATION] = {"Начальное", "Среднее", "Высшее", "Два высших"},
	[GA_CHILDREN] = {"0", "1", "2", "3", "4"},
	[GA_JOB] = {"Работает по найму", "ИП", "Самозанятый", "Безработный"},
	[GA_FAMILY] = {"В браке", "Не в браке"},
	[GA_REGION] = {"Москва", "Санкт-Петербург", "Нижний Новгород",
	    "Екатеринбург", "Новосибирск", "Казань"},
	[GA_INCOME] = {"< 40000", "40000-79999", "80000-149999", ">= 150000"},
};

/*
 * THE RISK TABLE (documented in gen-clients(1); `gen-clients --risk-table`
 * prints it).  Points per attribute value; a loan's risk R is the sum over
 * the client's attributes plus the age band at the loan's start.  Column 0 is
 * the value null (missing), column v+1 the value v of labels[][v].
 * Rationale: unemployment, low income, youth and little education raise
 * arrears in every retail book; marriage and higher education lower them;
 * the capitals default less than the regions; a missing field is mildly bad
 * (an incomplete application).
 */
static const int risk_points[GA_COUNT][GEN_MAXVAL + 1] = {
	/*              null  v0   v1   v2   v3   v4   v5 */
	[GA_GENDER]    = {0,   4,   0},			/* М, Ж */
	[GA_AGE]       = {0,  12,   5,   0,   1,   5},	/* 18-25 .. 61-75 */
	[GA_EDUCATION] = {0,  12,   6,   0,  -3},		/* Нач, Сред, Выс, Два */
	[GA_CHILDREN]  = {3,   0,   1,   3,   6,   9},	/* null, 0..4 */
	[GA_JOB]       = {0,   0,   6,   8,  20},		/* найм, ИП, самозан., безраб. */
	[GA_FAMILY]    = {2,  -3,   3},			/* null, в браке, не в браке */
	[GA_REGION]    = {3,  -2,  -1,   2,   1,   2,   0},	/* null, Мск .. Казань */
	[GA_INCOME]    = {0,  12,   5,   0,  -4},		/* <40k .. >=150k */
};

const char *
gen_attr_name(enum gen_attr a)
{
	return attr_names[a];
}

const char *
gen_label(enum gen_attr a, int v)
{
	if (v < 0 || v >= GEN_MAXVAL)
		return NULL;
	return labels[a][v];
}

int
gen_points(enum gen_attr a, int v)
{
	return risk_points[a][v == GEN_NULL ? 0 : v + 1];
}

int
gen_age_band(int32_t birth, int32_t day)
{
	int age = date_age_years(birth, day);

	return age <= 25 ? 0 : age <= 35 ? 1 : age <= 45 ? 2 : age <= 60 ? 3 : 4;
}

int
gen_income_band(int64_t income)
{
	return income < 4000000 ? 0 : income < 8000000 ? 1 : income < 15000000 ? 2 : 3;
}

/* Interest on a balance for one month: floor(b * bp / 120000 + 1/2). */
static int64_t
interest(int64_t b, int rate_bp)
{
	int64_t x = b * rate_bp + 60000;

	return x >= 0 ? x / 120000 : -((-x + 119999) / 120000);
}

/* Balance after n payments of a; non-increasing in a. */
static int64_t
final_balance(int64_t principal, int rate_bp, int n, int64_t a)
{
	int64_t b = principal;

	for (int i = 0; i < n; i++)
		b = b + interest(b, rate_bp) - a;
	return b;
}

int64_t
gen_annuity(int64_t principal, int rate_bp, int n)
{
	int64_t a0, a1, f0, f1, est, lo, hi, step;

	if (n <= 0 || principal <= 0)
		return 0;
	a0 = (principal + n - 1) / n;		/* enough without interest */
	if (rate_bp <= 0)
		return a0;
	/*
	 * The final balance is, but for the kopeck rounding, linear in the
	 * installment: estimate the root from two points, bracket it, and
	 * bisect to the smallest installment that repays the loan.
	 */
	a1 = a0 + a0 / 2 + 1;
	f0 = final_balance(principal, rate_bp, n, a0);
	f1 = final_balance(principal, rate_bp, n, a1);
	est = f0 > f1 ? a0 + f0 * (a1 - a0) / (f0 - f1) : a0;
	lo = est - 2, hi = est + 2;
	for (step = 4; final_balance(principal, rate_bp, n, hi) > 0; step *= 2)
		hi += step;
	for (step = 4; lo > 0 && final_balance(principal, rate_bp, n, lo) <= 0; step *= 2)
		lo = lo > step ? lo - step : 0;
	/* invariant: F(lo) > 0 (or lo = 0), F(hi) <= 0 */
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (final_balance(principal, rate_bp, n, mid) <= 0)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int32_t
gen_due(int32_t start, int k)
{
	return date_add_months(start, k - 1);
}

static unsigned
clampu(long v, long lo, long hi)
{
	return (unsigned)(v < lo ? lo : v > hi ? hi : v);
}

/*
 * Risk points R -> behaviour, per mille (R is about 20 for a typical client,
 * 0 for the best, 60+ for the worst):
 *   late     30 + 4R        an installment paid 1..45 days after its due date
 *   partial   5 + R         paid on time but 20-90 % of it (whole roubles)
 *   missed    2 + R/2       not paid at all (no payment record)
 *   catchup 900 - 6R        a later full payment also pays the arrears
 *   default   5 + R*R/20    the loan stops being paid from some installment
 *   recover 850 - 6R        ...and the debt is paid in one sum 2-24 months later
 *   early   250 - 4R        the loan is paid off early in one sum
 */
void
gen_behaviour(int risk, struct gen_behaviour *bh)
{
	long r = risk < 0 ? 0 : risk > 100 ? 100 : risk;

	bh->late = clampu(30 + 4 * r, 0, 500);
	bh->partial = clampu(5 + r, 0, 200);
	bh->missed = clampu(2 + r / 2, 0, 150);
	bh->catchup = clampu(900 - 6 * r, 300, 1000);
	bh->dflt = clampu(5 + r * r / 20, 0, 600);
	bh->recover = clampu(850 - 6 * r, 100, 1000);
	bh->early = clampu(250 - 4 * r, 20, 1000);
}

/* Annual interest in basis points: 12 % plus 0.6 % per risk point, at most 60 %. */
int
gen_rate_bp(int risk)
{
	int r = risk < 0 ? 0 : risk;
	int bp = 1200 + 60 * r;

	return bp > 6000 ? 6000 : bp;
}

/* ---- drawing ------------------------------------------------------------ */

static const unsigned w_education[] = {60, 380, 465, 95};
static const unsigned w_job[] = {600, 145, 155, 100};
static const unsigned w_region[] = {200, 180, 290, 105, 130, 95};
static const unsigned w_children_married[] = {250, 330, 260, 110, 50};
static const unsigned w_children_single[] = {650, 200, 90, 40, 20};
static const unsigned w_nloans[] = {600, 200, 110, 60, 30};
static const unsigned w_ageband[] = {180, 300, 250, 200, 70};
static const int ageband_lo[] = {18, 26, 36, 46, 61};
static const int ageband_hi[] = {25, 35, 45, 60, 70};
/* loan amounts in roubles: the seed's buckets */
static const unsigned w_amount[] = {330, 250, 340, 80};
static const int64_t amount_lo[] = {10000, 50000, 100000, 500000};
static const int64_t amount_hi[] = {49999, 99999, 499999, 1000000};
static const unsigned w_term[] = {20, 80, 30, 200, 100, 200, 180, 80, 60, 50};
static const int terms[] = {3, 6, 9, 12, 18, 24, 36, 48, 60, 0 /* any */};
/* monthly income in roubles by job; % factors by education and region */
static const int64_t income_lo[] = {25000, 30000, 20000, 10000};
static const int64_t income_hi[] = {180000, 300000, 150000, 35000};
static const int64_t income_edu[] = {85, 95, 110, 125};
static const int64_t income_region[] = {135, 120, 100, 105, 100, 100};

static int32_t
max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static void
draw_loan(struct rng *r, const struct gen_opts *o, struct gen_loan *l)
{
	unsigned b;
	int64_t rub;

	/* later starts are likelier: the book grows (max of two uniforms) */
	l->start = max32((int32_t)rng_range(r, o->start, o->as_of),
	    (int32_t)rng_range(r, o->start, o->as_of));
	b = rng_weighted(r, w_amount, NELEM(w_amount));
	rub = rng_range(r, amount_lo[b], amount_hi[b]);
	rub -= rub % (rub >= 100000 ? 1000 : 500);
	if (rub < 10000)
		rub = 10000;
	l->amount = rub * 100;
	b = rng_weighted(r, w_term, NELEM(w_term));
	l->n = terms[b] ? terms[b] : (int)rng_range(r, GEN_MIN_TERM, GEN_MAX_TERM);
	if (rub >= 300000 && l->n < 12)
		l->n = 12;
	if (rub < 30000 && l->n > 24)
		l->n = 24;
	l->end = gen_due(l->start, l->n);
}

/* Is loans[i]'s name used by one of loans[0..i)?  (The key is per client.) */
static int
name_taken(const struct gen_loan *loans, int i)
{
	for (int j = 0; j < i; j++)
		if (strcmp(loans[j].name, loans[i].name) == 0)
			return 1;
	return 0;
}

int
gen_client(struct rng *r, const struct gen_opts *o, int64_t id,
    struct gen_client *c, struct gen_loan *loans)
{
	int nl, i, j, band, age;
	int32_t first, last, lo, hi, span;
	int64_t rub;

	rng_seed(r, o->seed, (uint64_t)id);
	memset(c, 0, sizeof *c);
	c->id = id;
	c->gender = rng_permille(r, 520) ? G_FEMALE : G_MALE;
	c->education = (int)rng_weighted(r, w_education, NELEM(w_education));
	c->job = (int)rng_weighted(r, w_job, NELEM(w_job));
	c->family = rng_permille(r, 200) ? GEN_NULL : rng_permille(r, 580) ? 0 : 1;
	if (rng_permille(r, 170))
		c->children = GEN_NULL;
	else if (c->family == 0)
		c->children = (int)rng_weighted(r, w_children_married, 5);
	else
		c->children = (int)rng_weighted(r, w_children_single, 5);
	c->region = rng_permille(r, 190) ? GEN_NULL :
	    (int)rng_weighted(r, w_region, NELEM(w_region));

	rub = rng_range(r, income_lo[c->job], rng_range(r, income_lo[c->job], income_hi[c->job]));
	rub = rub * income_edu[c->education] *
	    (c->region == GEN_NULL ? 95 : income_region[c->region]) / 10000;
	c->income = rub * 100;

	/* loans, by start date */
	nl = 1 + (int)rng_weighted(r, w_nloans, NELEM(w_nloans));
	for (i = 0; i < nl; i++) {
		draw_loan(r, o, &loans[i]);
		do
			gen_loan_name(r, loans[i].name);
		while (name_taken(loans, i));
	}
	for (i = 1; i < nl; i++) {		/* insertion sort, at most 5 */
		struct gen_loan t = loans[i];
		for (j = i; j > 0 && loans[j - 1].start > t.start; j--)
			loans[j] = loans[j - 1];
		loans[j] = t;
	}

	/* birth date: 18..75 years old at every loan start */
	first = loans[0].start;
	last = loans[nl - 1].start;
	band = (int)rng_weighted(r, w_ageband, NELEM(w_ageband));
	age = (int)rng_range(r, ageband_lo[band], ageband_hi[band]);
	c->birth = date_add_months(first, -12 * age) - (int32_t)rng_range(r, 0, 364);
	lo = date_add_months(last, -12 * 76) + 1;
	hi = date_add_months(first, -12 * 18);
	span = hi - lo < 364 ? hi - lo : 364;
	if (c->birth < lo)
		c->birth = lo + (int32_t)rng_range(r, 0, span);
	if (c->birth > hi)
		c->birth = hi - (int32_t)rng_range(r, 0, span);

	gen_fio(r, c->gender, c->fio, sizeof c->fio);
	gen_passport(r, c->region, c->birth, o->as_of, c->passport);
	if (!rng_permille(r, 150))
		gen_address(r, c->region, c->address, sizeof c->address);
	if (!rng_permille(r, 150))
		gen_phone(r, c->phone);
	{
		/* its own stream: r's draws, hence loans and payments, are unchanged */
		struct rng er;

		rng_seed(&er, o->seed, GEN_EMAIL_STREAM | (uint64_t)id);
		if (rng_permille(&er, GEN_EMAIL_PERMILLE))
			gen_email(&er, c->fio, c->birth, c->email, sizeof c->email);
	}

	c->base_risk = gen_points(GA_GENDER, c->gender) +
	    gen_points(GA_EDUCATION, c->education) +
	    gen_points(GA_CHILDREN, c->children) +
	    gen_points(GA_JOB, c->job) +
	    gen_points(GA_FAMILY, c->family) +
	    gen_points(GA_REGION, c->region) +
	    gen_points(GA_INCOME, gen_income_band(c->income));
	for (i = 0; i < nl; i++) {
		struct gen_loan *l = &loans[i];

		l->risk = c->base_risk + gen_points(GA_AGE, gen_age_band(c->birth, l->start));
		l->rate_bp = gen_rate_bp(l->risk);
		l->paid_amount = gen_annuity(l->amount, l->rate_bp, l->n);
	}
	return nl;
}

/* Days after the due date of a late payment: mostly a few, sometimes weeks. */
static int32_t
late_days(struct rng *r)
{
	unsigned u = (unsigned)rng_below(r, 100);

	if (u < 60)
		return (int32_t)rng_range(r, 1, 5);
	if (u < 85)
		return (int32_t)rng_range(r, 6, 15);
	return (int32_t)rng_range(r, 16, 45);
}

/* On time: on the due date or up to 5 days before (never before the start). */
static int32_t
on_time(struct rng *r, const struct gen_loan *l, int32_t due)
{
	return max32(due - (rng_permille(r, 400) ? 0 : (int32_t)rng_range(r, 1, 5)), l->start);
}

int
gen_payments(struct rng *r, const struct gen_opts *o, const struct gen_loan *l,
    struct gen_payment *out)
{
	struct gen_behaviour bh;
	int n = l->n, np = 0, kd = 0, ke = 0, recovered = 0, k;
	int64_t a = l->paid_amount, carry = 0;
	int32_t recover_after = 0;

	gen_behaviour(l->risk, &bh);
	if (rng_permille(r, bh.dflt)) {
		/* earlier installments likelier: min of two uniforms */
		int k1 = (int)rng_range(r, 1, n), k2 = (int)rng_range(r, 1, n);

		kd = k1 < k2 ? k1 : k2;
		recovered = rng_permille(r, bh.recover);
		recover_after = (int32_t)rng_range(r, 60, 730);
	}
	if (rng_permille(r, bh.early))
		ke = (int)rng_range(r, 2, n - 1);

	for (k = 1; k <= n; k++) {
		int32_t due = gen_due(l->start, k), fact;
		int64_t amt;
		unsigned u;

		if (due > o->as_of)
			break;
		if (k == kd) {
			/* default: nothing from here on, unless collections recover it */
			fact = due + recover_after;
			if (recovered && fact <= o->as_of)
				out[np++] = (struct gen_payment){k, due, fact,
				    carry + (int64_t)(n - k + 1) * a};
			break;
		}
		if (k == ke) {
			/* early payoff: the rest of the schedule (and any arrears) at once */
			out[np++] = (struct gen_payment){k, due, on_time(r, l, due),
			    carry + (int64_t)(n - k + 1) * a};
			break;
		}
		/* missed | partial | late | on time; the last one is always paid */
		u = (unsigned)rng_below(r, 1000);
		if (k < n && u < bh.missed) {
			carry += a;
			continue;
		}
		if (k < n && u < bh.missed + bh.partial) {
			amt = a * rng_range(r, 20, 90) / 100;
			amt -= amt % 100;	/* people pay whole roubles */
			if (amt < 100)
				amt = 100;
			carry += a - amt;
			fact = on_time(r, l, due);
		} else {
			u = (unsigned)rng_below(r, 1000);
			fact = u < bh.late ? due + late_days(r) : on_time(r, l, due);
			amt = a;
			if (carry > 0 && (k == n || rng_permille(r, bh.catchup))) {
				amt += carry;
				carry = 0;
			}
		}
		if (fact <= o->as_of)
			out[np++] = (struct gen_payment){k, due, fact, amt};
	}
	return np;
}
