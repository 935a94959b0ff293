/*
 * gen.h - the synthetic-data generator behind gen-clients(1).
 *
 * Every client is drawn from its own PRNG stream rng_seed(seed, client_id), so
 * a client's record, loans and payments depend only on (seed, client_id,
 * start date, as-of date) and never on how many clients come before it.
 * Money is int64 kopecks and dates are day numbers throughout: no floats.
 */
#ifndef OVERDUE_GEN_H
#define OVERDUE_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "gen/prng.h"

#define GEN_MAX_LOANS 5
#define GEN_MIN_TERM 3
#define GEN_MAX_TERM 60
#define GEN_MIN_AMOUNT INT64_C(1000000)		/* 10 000.00 in kopecks */
#define GEN_MAX_AMOUNT INT64_C(100000000)	/* 1 000 000.00 in kopecks */

/* Attribute values; the index is the position in gen_label()'s list. */
enum gen_attr {
	GA_GENDER, GA_AGE, GA_EDUCATION, GA_CHILDREN, GA_JOB, GA_FAMILY,
	GA_REGION, GA_INCOME, GA_COUNT
};
#define GEN_MAXVAL 8		/* values per attribute, incl. "null" */
#define GEN_NULL (-1)		/* a missing (JSON null) attribute */

enum { G_MALE, G_FEMALE };

struct gen_client {
	int64_t id;
	char fio[160];
	char passport[16];
	int gender;			/* G_MALE / G_FEMALE */
	int32_t birth;
	int education;			/* 0..3 */
	int children;			/* 0..4 or GEN_NULL */
	int job;			/* 0..3 */
	int region;			/* 0..5 or GEN_NULL */
	int family;			/* 0..1 or GEN_NULL */
	char address[200];		/* "" = null */
	char phone[32];			/* "" = null */
	int64_t income;			/* kopecks (whole roubles) */
	char email[64];			/* "" = null; written after income */
	int base_risk;			/* risk points of everything but age */
};

struct gen_loan {
	char name[12];			/* "ABC-12345" */
	int64_t amount;			/* kopecks */
	int32_t start, end;		/* end = due date of the last installment */
	int n;				/* payment_numbers, 3..60 */
	int64_t paid_amount;		/* the annuity installment, kopecks */
	int rate_bp;			/* annual interest, basis points */
	int risk;			/* client's points + age band at start */
};

struct gen_payment {
	int number;			/* 1..n */
	int32_t date;			/* scheduled due date */
	int32_t fact;			/* when paid, <= as-of */
	int64_t amount;			/* paid_fact_amount, kopecks */
};

struct gen_opts {
	uint64_t seed;
	int32_t start;			/* first possible loan start */
	int32_t as_of;			/* the export date */
};

/* Labels as written in the JSON ("Мужчина", "Высшее", ...); NULL if none. */
const char *gen_label(enum gen_attr a, int v);
const char *gen_attr_name(enum gen_attr a);
/* Risk points of value v (GEN_NULL allowed) of attribute a. */
int gen_points(enum gen_attr a, int v);
/* Age band index (0 = 18-25 ... 4 = 61-75) of someone born `birth` on `day`. */
int gen_age_band(int32_t birth, int32_t day);
/* Income band index of a monthly income in kopecks. */
int gen_income_band(int64_t income);

/*
 * Installment of an annuity: the smallest whole-kopeck amount A such that a
 * balance starting at `principal`, charged interest of round-half-up(balance *
 * rate_bp / 120000) each month and reduced by A, is <= 0 after n payments.
 * rate_bp = 0 gives ceil(principal / n).
 */
int64_t gen_annuity(int64_t principal, int rate_bp, int n);

/* Due date of installment k (1-based): add_months(start, k - 1), clamped. */
int32_t gen_due(int32_t start, int k);

/* Behaviour probabilities (per mille) for a loan of the given risk points. */
struct gen_behaviour {
	unsigned late, partial, missed;	/* per installment */
	unsigned catchup;		/* a full payment also clears arrears */
	unsigned dflt, recover;		/* per loan: stops paying; pays later */
	unsigned early;			/* per loan: pays off early */
};
void gen_behaviour(int risk, struct gen_behaviour *bh);
int gen_rate_bp(int risk);

/* Formats (exposed for tests). */
void gen_fio(struct rng *r, int gender, char *out, size_t size);
void gen_passport(struct rng *r, int region, int32_t birth, int32_t as_of, char *out);
void gen_phone(struct rng *r, char *out);
void gen_address(struct rng *r, int region, char *out, size_t size);
void gen_loan_name(struct rng *r, char *out);
/*
 * An e-mail address made from the client's name: the transliterated surname
 * (first word of fio), sometimes after the first name's initial, and digits
 * (the birth year or a small number), at one of a few reserved example
 * domains (RFC 2606 / 6761: example.com, example.org, example.net,
 * mail.example, inbox.example) -- never a real provider.  ASCII only.
 */
void gen_email(struct rng *r, const char *fio, int32_t birth, char *out, size_t size);

/*
 * Per mille of clients with an e-mail.  The address is drawn from a stream
 * of its own, rng_seed(seed, GEN_EMAIL_STREAM | id), so adding it left every
 * other field of every record byte for byte as it was.
 */
#define GEN_EMAIL_PERMILLE 700
#define GEN_EMAIL_STREAM (UINT64_C(1) << 63)

/*
 * Draw client `id` and its loans (1..5, sorted by start date).  The rng is
 * seeded here from (o->seed, id) and must then be passed to gen_payments for
 * each loan in order.  Returns the number of loans.
 */
int gen_client(struct rng *r, const struct gen_opts *o, int64_t id,
    struct gen_client *c, struct gen_loan *loans);

/*
 * The payments of one loan that were made on or before o->as_of, in
 * installment order; out has room for GEN_MAX_TERM entries.  Returns the count.
 */
int gen_payments(struct rng *r, const struct gen_opts *o, const struct gen_loan *l,
    struct gen_payment *out);

#endif
