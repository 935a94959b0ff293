/* t_gen.c - the generator's pieces: annuity, schedule, formats, JSON output, invariants. */
#include <string.h>

#include "buf.h"
#include "date.h"
#include "gen/gen.h"
#include "json/jsonout.h"
#include "util.h"
#include "tap.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;

	date_parse(s, strlen(s), &d);
	return d;
}

/* the repayment rule of gen.h, written again here: balance after n payments */
static int64_t
balance_after(int64_t p, int bp, int n, int64_t a)
{
	for (int i = 0; i < n; i++) {
		int64_t x = p * bp + 60000;
		p += (x >= 0 ? x / 120000 : -((-x + 119999) / 120000)) - a;
	}
	return p;
}

static int
utf8_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void
test_annuity(void)
{
	/* textbook annuity P r / (1 - (1+r)^-n), rounded up to the kopeck */
	is_int(gen_annuity(1000000, 1200, 12), 88849, "10 000.00 at 12 %% for 12 months: 888.49 (textbook 888.4879)");
	is_int(gen_annuity(100000, 1200, 1), 101000, "one installment: principal + a month's interest");
	is_int(gen_annuity(1000000, 0, 3), 333334, "no interest: ceil(P / n)");
	is_int(gen_annuity(10000000, 2400, 36), 392329, "100 000.00 at 24 %% for 36 months: 3923.29 (textbook 3923.285)");
	is_int(gen_annuity(100000000, 6000, 60), 5282819, "1 000 000.00 at 60 %% for 60 months: 52828.19");
	is_int(gen_annuity(1000000, 1800, 3), 343383, "10 000.00 at 18 %% for 3 months: 3433.83 (textbook 3433.8296)");

	int exact = 1;
	uint64_t x = 12345;
	for (int i = 0; i < 3000; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		int64_t p = GEN_MIN_AMOUNT + (int64_t)((x >> 20) % (uint64_t)(GEN_MAX_AMOUNT - GEN_MIN_AMOUNT));
		int bp = (int)((x >> 8) % 6001), n = 3 + (int)((x >> 40) % 58);
		int64_t a = gen_annuity(p, bp, n);
		if (!(balance_after(p, bp, n, a) <= 0 && balance_after(p, bp, n, a - 1) > 0)) {
			exact = 0;
			printf("# P=%lld bp=%d n=%d a=%lld\n", (long long)p, bp, n, (long long)a);
			break;
		}
	}
	ok(exact, "3000 random loans: the smallest whole-kopeck installment that repays");
}

static void
test_schedule(void)
{
	int32_t s = D("2024-01-31");
	char b[DATE_BUFSZ];

	date_format(gen_due(s, 1), b);
	is_str(b, "2024-01-31", "installment 1 is due on the start date");
	date_format(gen_due(s, 2), b);
	is_str(b, "2024-02-29", "installment 2: Feb 29 (clamped)");
	date_format(gen_due(s, 3), b);
	is_str(b, "2024-03-31", "installment 3: Mar 31 (from the start, not from Feb 29)");
	date_format(gen_due(s, 4), b);
	is_str(b, "2024-04-30", "installment 4: Apr 30");
	date_format(gen_due(D("2023-12-15"), 14), b);
	is_str(b, "2025-01-15", "installment 14 across two year ends");
	is_int(date_age_years(D("2000-02-29"), D("2018-02-28")), 17, "not 18 the day before the birthday");
	is_int(date_age_years(D("2000-02-29"), D("2018-03-01")), 18, "18 on Mar 1 for a leap-day birth");
	is_int(gen_age_band(D("1990-06-30"), D("2024-06-30")), 1, "34 is in 26-35");
}

static void
test_json(void)
{
	struct buf b = BUF_INIT;
	struct json_rec r;

	json_cstr(&b, "a\"b\\c\n\t\x01\x1f/я");
	is_str(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/я\"", "strings: quote, backslash, controls escaped; UTF-8 kept");
	buf_reset(&b);
	json_str(&b, "x\0y", 3);
	is_str(buf_cstr(&b), "\"x\\u0000y\"", "an embedded NUL is escaped");
	buf_reset(&b);
	json_money(&b, 47000);
	buf_putc(&b, ' ');
	json_money(&b, 152646);
	buf_putc(&b, ' ');
	json_money(&b, 5);
	buf_putc(&b, ' ');
	json_money(&b, -1230);
	buf_putc(&b, ' ');
	json_money(&b, 0);
	buf_putc(&b, ' ');
	json_int(&b, INT64_MIN);
	is_str(buf_cstr(&b), "470 1526.46 0.05 -12.30 0 -9223372036854775808", "money: whole roubles bare, else 2 decimals");
	buf_reset(&b);
	json_rec_begin(&r, &b, JSON_NDJSON, "loan");
	json_rec_key(&r, "client_id");
	json_int(&b, 7);
	json_rec_key(&r, "d");
	json_date(&b, D("2024-02-29"));
	json_rec_key(&r, "x");
	json_null(&b);
	json_rec_end(&r);
	is_str(buf_cstr(&b), "{\"_entity\":\"loan\",\"client_id\":7,\"d\":\"2024-02-29\",\"x\":null}\n", "NDJSON record");
	buf_reset(&b);
	for (int i = 0; i < 2; i++) {
		json_array_next(&b, i);
		json_rec_begin(&r, &b, JSON_ARRAY, "loan");
		json_rec_key(&r, "a");
		json_int(&b, i);
		json_rec_key(&r, "b");
		json_cstr(&b, "x");
		json_rec_end(&r);
	}
	json_array_end(&b, 2);
	is_str(buf_cstr(&b), "[\n  {\n    \"a\":0,\n    \"b\":\"x\"\n  },\n  {\n    \"a\":1,\n    \"b\":\"x\"\n  }\n]",
	    "array layout of the seed");
	buf_reset(&b);
	json_array_end(&b, 0);
	is_str(buf_cstr(&b), "[]", "empty array");
	buf_free(&b);
}

static void
test_formats(void)
{
	struct rng r;
	char s[200];
	int fio_ok = 1, pass_ok = 1, phone_ok = 1, name_ok = 1, addr_ok = 1;

	rng_seed(&r, 9, 9);
	for (int i = 0; i < 2000; i++) {
		int g = i % 2 ? G_FEMALE : G_MALE, spaces = 0;

		gen_fio(&r, g, s, sizeof s);
		for (char *p = s; *p; p++)
			spaces += *p == ' ';
		if (spaces != 2 || !utf8_ends_with(s, g == G_MALE ? "вич" : "вна")) {
			fio_ok = 0;
			printf("# fio '%s'\n", s);
		}
		if (g == G_FEMALE && (strstr(s, "ов ") || strstr(s, "ев ") || strstr(s, "ин ") || strstr(s, "ий ")))
			fio_ok = 0, printf("# masculine surname for a woman: '%s'\n", s);

		gen_passport(&r, i % 7 == 6 ? GEN_NULL : i % 7, D("1975-05-05"), D("2024-06-30"), s);
		if (strlen(s) != 12 || !all_digits(s, 2) || s[2] != ' ' || !all_digits(s + 3, 2) ||
		    s[5] != ' ' || !all_digits(s + 6, 6) || strncmp(s + 3, "20", 2) != 0) {
			if (pass_ok)
				printf("# passport '%s'\n", s);
			pass_ok = 0;
		}

		gen_phone(&r, s);
		char d[16];
		int nd = 0;
		for (char *p = s; *p && nd < 15; p++)
			if (*p >= '0' && *p <= '9')
				d[nd++] = *p;
		if (strncmp(s, "+7 ", 3) != 0 || nd != 11 || d[1] != '9')
			phone_ok = 0, printf("# phone '%s'\n", s);

		gen_loan_name(&r, s);
		if (strlen(s) != 9 || s[0] < 'A' || s[0] > 'Z' || s[2] < 'A' || s[2] > 'Z' || s[3] != '-' || !all_digits(s + 4, 5))
			name_ok = 0, printf("# loan name '%s'\n", s);

		gen_address(&r, i % 7 == 6 ? GEN_NULL : i % 7, s, sizeof s);
		size_t n = strlen(s);
		if (n < 20 || !strstr(s, ", ул. ") || !strstr(s, ", д. ") || !all_digits(s + n - 6, 6))
			addr_ok = 0, printf("# address '%s'\n", s);
	}
	ok(fio_ok, "2000 names: three words, -вич for men, -вна and feminine surnames for women");
	ok(pass_ok, "passports are 'NN NN NNNNNN', issued in 2020 (at 45) for someone born in 1975");
	ok(phone_ok, "phones are Russian mobiles: +7 9XX, 11 digits");
	ok(name_ok, "loan names are 'ABC-12345'");
	ok(addr_ok, "addresses: street, house, 6-digit postcode last");
	gen_address(&r, 0, s, sizeof s);
	ok(1, "address sample: %s", s);
}

/* local part [a-z] then [a-z._], digits last; one '@'; a reserved example domain */
static int
email_shape(const char *e)
{
	static const char *const dom[] = {"mail.example", "inbox.example", "example.com",
	    "example.org", "example.net"};
	const char *at = strchr(e, '@'), *p;
	int ok_dom = 0;

	if (at == NULL || strchr(at + 1, '@') != NULL || at == e || !(*e >= 'a' && *e <= 'z') ||
	    !(at[-1] >= '0' && at[-1] <= '9'))
		return 0;
	for (p = e; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_'))
			return 0;
	for (size_t i = 0; i < sizeof dom / sizeof dom[0]; i++)
		ok_dom |= strcmp(at + 1, dom[i]) == 0;
	return ok_dom;
}

static void
test_email(void)
{
	static const struct { const char *fio, *latin; } names[] = {
		{"Щербакова Юлия Сергеевна", "shcherbakova"}, {"Королёв Пётр Ильич", "korolev"},
		{"Соловьёв Иван Иванович", "solovev"}, {"Жуковский Глеб Олегович", "zhukovskiy"},
		{"Кудрявцева Яна Юрьевна", "kudryavtseva"}, {"Чернышёв Эдуард Ханович", "chernyshev"},
		{"Юдин Марк Петрович", "yudin"}, {"Черных Фёдор Ильич", "chernykh"},
	};
	struct gen_opts o = {.seed = 11, .start = D("2010-01-01"), .as_of = D("2024-06-30")};
	struct gen_client c;
	struct gen_loan l[GEN_MAX_LOANS];
	struct rng r;
	char e[64];
	int shape = 1, surname = 1, initial = 0, year = 0, with = 0, n = 0;

	rng_seed(&r, 5, 5);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (int k = 0; k < 200; k++) {
			gen_email(&r, names[i].fio, D("1987-03-04"), e, sizeof e);
			if (!email_shape(e))
				shape = 0, printf("# e-mail '%s'\n", e);
			if (strstr(e, names[i].latin) == NULL)
				surname = 0, printf("# '%s' for %s\n", e, names[i].fio);
			year += strstr(e, "1987@") != NULL;
			initial += e[1] == '.' || e[1] == '_' || e[2] == '.' || e[2] == '_';
		}
	ok(shape, "e-mails: [a-z][a-z0-9._]* ending in digits, at a reserved example domain");
	ok(surname, "the surname transliterated (щ shch, ё e, ь dropped, я ya, ю yu, х kh, ий iy)");
	ok(year > 200 && year < 1400, "some carry the birth year (%d of 1600)", year);
	ok(initial > 200 && initial < 700, "some begin with the first name's initial (%d of 1600)", initial);
	gen_email(&r, "Юдина Юлия Ивановна", D("1990-01-01"), e, 12);
	ok(strlen(e) == 11, "a short buffer is never overrun: '%s'", e);

	for (int64_t id = 1; id <= 4000; id++, n++) {
		gen_client(&r, &o, id, &c, l);
		if (c.email[0] != '\0') {
			with++;
			shape &= email_shape(c.email);
		}
	}
	ok(with > n * 66 / 100 && with < n * 74 / 100, "about 70 %% of clients have an e-mail (%d of %d)", with, n);
	ok(shape, "and every one has the shape");
}

static void
test_model(void)
{
	struct gen_behaviour lo, hi;

	gen_behaviour(0, &lo);
	gen_behaviour(50, &hi);
	ok(hi.late > lo.late && hi.missed > lo.missed && hi.partial > lo.partial && hi.dflt > lo.dflt,
	    "higher risk: more late, missed, partial payments and defaults");
	ok(hi.early < lo.early && hi.recover < lo.recover && hi.catchup < lo.catchup,
	    "higher risk: fewer early payoffs, recoveries and catch-ups");
	ok(gen_rate_bp(0) == 1200 && gen_rate_bp(20) == 2400 && gen_rate_bp(1000) == 6000, "rate 12 %% + 0.6 %%/point, capped at 60 %%");
	is_int(gen_points(GA_JOB, 3), 20, "table: unemployed");
	is_int(gen_points(GA_REGION, GEN_NULL), 3, "table: unknown region");
	is_str(gen_label(GA_JOB, 3), "Безработный", "labels are the seed's words");
	ok(gen_label(GA_GENDER, 2) == NULL && gen_label(GA_GENDER, -1) == NULL, "no label beyond the list");
}

static void
test_clients(void)
{
	struct gen_opts o = {.seed = 3, .start = D("2010-01-01"), .as_of = D("2024-06-30")};
	struct rng r, r2;
	struct gen_client c, c2;
	struct gen_loan l[GEN_MAX_LOANS], l2[GEN_MAX_LOANS];
	struct gen_payment p[GEN_MAX_TERM];
	int loans_ok = 1, ages_ok = 1, pays_ok = 1, same = 1, nloans[GEN_MAX_LOANS + 1] = {0};
	long npay = 0, late = 0;

	for (int64_t id = 1; id <= 3000; id++) {
		int nl = gen_client(&r, &o, id, &c, l);

		nloans[nl]++;
		if (c.id != id)
			loans_ok = 0;
		for (int i = 0; i < nl; i++) {
			const struct gen_loan *x = &l[i];
			int age = date_age_years(c.birth, x->start);

			if (x->n < GEN_MIN_TERM || x->n > GEN_MAX_TERM || x->amount < GEN_MIN_AMOUNT ||
			    x->amount > GEN_MAX_AMOUNT || x->start < o.start || x->start > o.as_of ||
			    x->end != gen_due(x->start, x->n) || (i > 0 && l[i - 1].start > x->start) ||
			    x->paid_amount * x->n < x->amount)
				loans_ok = 0;
			if (age < 18 || age > 75)
				ages_ok = 0, printf("# client %lld age %d\n", (long long)id, age);
			int np = gen_payments(&r, &o, x, p);
			for (int k = 0; k < np; k++) {
				if (p[k].number < 1 || p[k].number > x->n || (k > 0 && p[k].number <= p[k - 1].number) ||
				    p[k].date != gen_due(x->start, p[k].number) || p[k].fact > o.as_of ||
				    p[k].date > o.as_of || p[k].fact < x->start || p[k].amount <= 0)
					pays_ok = 0;
				late += p[k].fact > p[k].date;
			}
			npay += np;
		}
		/* the same client again, after others: identical */
		if (id % 97 == 0) {
			int nl2 = gen_client(&r2, &o, id, &c2, l2);
			same &= nl2 == nl && memcmp(&c, &c2, sizeof c) == 0;
			for (int i = 0; same && i < nl; i++)
				same &= strcmp(l[i].name, l2[i].name) == 0 && l[i].amount == l2[i].amount &&
				    l[i].start == l2[i].start && l[i].n == l2[i].n &&
				    l[i].paid_amount == l2[i].paid_amount && l[i].risk == l2[i].risk;
		}
	}
	ok(loans_ok, "loans: term 3..60, amount 10 000..1 000 000, within the dates, sorted, end = last due date");
	ok(ages_ok, "clients are 18..75 at every loan start");
	ok(pays_ok, "payments: numbers increasing in 1..n, due date = schedule, nothing after the as-of date");
	ok(nloans[1] > nloans[2] && nloans[2] > nloans[5] && nloans[5] > 0, "1..5 loans, mostly one (%d/%d/%d/%d/%d)",
	    nloans[1], nloans[2], nloans[3], nloans[4], nloans[5]);
	ok(late * 100 > npay * 3 && late * 100 < npay * 30, "some payments are late (%ld of %ld)", late, npay);
	ok(same, "a client is the same whatever was generated before it");
}

int
main(void)
{
	test_annuity();
	test_schedule();
	test_json();
	test_formats();
	test_email();
	test_model();
	test_clients();
	return done_testing();
}
