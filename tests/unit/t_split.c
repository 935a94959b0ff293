/* t_split.c - json-split's cut-off math, ranking, key index and record layout. */
#include <stdlib.h>

#include "buf.h"
#include "date.h"
#include "json/jtok.h"
#include "split/split.h"
#include "tap.h"

/* ceil(i*L/N) by the definition, with no shortcut */
static uint64_t
ceil_div(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static void
test_cuts(void)
{
	static const unsigned seed20[] = {0, 7, 14, 21, 28, 32};	/* the seed's n20 parts */
	static const unsigned seed1000[] = {0, 311, 622, 933, 1244, 1551};
	uint64_t L, r;
	unsigned N, i, p;
	int bad_cut = 0, bad_part = 0, bad_seed = 0;

	is_int(split_cut(32, 5, 1, 0), 7, "ceil(1*32/5) = 7");
	is_int(split_cut(32, 5, 2, 0), 13, "ceil(2*32/5) = 13");
	is_int(split_cut(32, 5, 4, 0), 26, "ceil(4*32/5) = 26");
	is_int(split_cut(32, 5, 5, 0), 32, "the last part holds every loan");
	is_int(split_cut(3, 5, 1, 0), 1, "-p larger than L: ceil(3/5) = 1");
	is_int(split_cut(3, 5, 3, 0), 2, "-p larger than L: ceil(9/5) = 2");
	is_int(split_cut(0, 5, 3, 0), 0, "no loans: empty parts");
	for (i = 0; i <= 5; i++) {
		is_int(split_cut(32, 5, i, 1), seed20[i], "seed sizes, n20, part %u", i);
		is_int(split_cut(1551, 5, i, 1), seed1000[i], "seed sizes, n1000, part %u", i);
	}
	/* exhaustively: cut(i) = ceil(iL/N), monotone; part_of(r) is the first i with r < cut(i) */
	for (L = 0; L <= 60; L++)
		for (N = 1; N <= 25; N++) {
			for (i = 0; i <= N; i++) {
				if (split_cut(L, N, i, 0) != ceil_div(i * L, N))
					bad_cut++;
				if (i > 0 && split_cut(L, N, i, 1) < split_cut(L, N, i - 1, 1))
					bad_seed++;
			}
			if (split_cut(L, N, N, 1) != L)
				bad_seed++;
			for (r = 0; r < L; r++)
				for (int seed = 0; seed <= 1; seed++) {
					for (p = 1; p <= N && !(r < split_cut(L, N, p, seed)); p++)
						;
					if (split_part_of(r, L, N, seed) != p)
						bad_part++;
				}
		}
	is_int(bad_cut, 0, "cut(i) = ceil(i*L/N) for L <= 60, N <= 25");
	is_int(bad_seed, 0, "seed cuts are monotone and end at L");
	is_int(bad_part, 0, "part_of(rank) is the first part whose cut exceeds rank (both modes)");
	is_int(split_cut(UINT32_MAX, SPLIT_MAX_PARTS, SPLIT_MAX_PARTS - 1, 0),
	    ceil_div((uint64_t)UINT32_MAX * (SPLIT_MAX_PARTS - 1), SPLIT_MAX_PARTS),
	    "no overflow at 2^32 loans and the most parts");
}

static void
test_order(void)
{
	static const int32_t day[] = {5, 3, 5, 1, 3, 5};
	static const uint32_t want[] = {3, 1, 4, 0, 2, 5};
	uint32_t idx[6], i, n = 5000, *big;
	int32_t *v;
	int ok_stable = 1, ok_sorted = 1, ok_perm = 1;
	char *seen;

	split_order_stable(day, 6, idx);
	for (i = 0; i < 6; i++)
		if (idx[i] != want[i])
			ok_stable = 0;
	ok(ok_stable, "stable order: by day, equal days in input order");

	/* the seed's order: a permutation, sorted by day, whatever the ties */
	v = malloc(n * sizeof *v);
	big = malloc(n * sizeof *big);
	seen = calloc(n, 1);
	for (i = 0; i < n; i++)
		v[i] = (int32_t)((i * 7919u) % 97u);	/* many ties */
	split_order_seed(v, n, big);
	for (i = 0; i < n; i++) {
		if (big[i] >= n || seen[big[i]]++)
			ok_perm = 0;
		if (i > 0 && v[big[i - 1]] > v[big[i]])
			ok_sorted = 0;
	}
	ok(ok_perm && ok_sorted, "seed order: a sorted permutation of 5000 keys with ties");

	/* numpy's introsort on 17 equal keys: the median-of-3 partition swaps some ties
	 * (a case small enough to follow by hand: first partition step of n = 18) */
	{
		int32_t eq[18];
		uint32_t o[18];
		int moved = 0;

		for (i = 0; i < 18; i++)
			eq[i] = 0;
		split_order_seed(eq, 18, o);
		for (i = 0; i < 18; i++)
			if (o[i] != i)
				moved = 1;
		ok(moved, "seed order is not stable for 18 equal keys (as numpy's quicksort)");
		/* below 17 elements numpy only insertion-sorts: stable */
		split_order_seed(eq, 16, o);
		for (i = 0, moved = 0; i < 16; i++)
			if (o[i] != i)
				moved = 1;
		ok(!moved, "16 equal keys keep their order (insertion sort only)");
	}
	/* sorted input without ties comes back unchanged, also through heapsort depth */
	for (i = 0; i < n; i++)
		v[i] = (int32_t)i;
	split_order_seed(v, n, big);
	for (i = 0, ok_sorted = 1; i < n; i++)
		if (big[i] != i)
			ok_sorted = 0;
	ok(ok_sorted, "sorted distinct keys keep their order");
	free(v);
	free(big);
	free(seen);
}

static void
test_keytab(void)
{
	struct keytab t;
	char k[32];
	uint32_t i, bad = 0;
	int isnew;

	keytab_init(&t);
	is_int(keytab_intern(&t, "a", 1, &isnew), 0, "first key gets id 0");
	ok(isnew, "and is new");
	is_int(keytab_intern(&t, "b", 1, &isnew), 1, "second key gets id 1");
	is_int(keytab_intern(&t, "a", 1, &isnew), 0, "a known key keeps its id");
	ok(!isnew, "and is not new");
	is_int(keytab_find(&t, "ab", 2), SPLIT_NONE, "an unknown key is not found");
	is_int(keytab_intern(&t, "", 0, NULL), 2, "the empty key is a key");
	for (i = 0; i < 100000; i++) {
		int n = snprintf(k, sizeof k, "n%u\x1fsLKH-%05u", i, i);

		if (keytab_intern(&t, k, (size_t)n, NULL) != i + 3)
			bad++;
	}
	for (i = 0; i < 100000; i++) {
		int n = snprintf(k, sizeof k, "n%u\x1fsLKH-%05u", i, i);

		if (keytab_find(&t, k, (size_t)n) != i + 3)
			bad++;
	}
	is_int(bad, 0, "100000 keys survive growing the table");
	ok(keytab_bytes(&t) < 100000 * 64, "index under 64 bytes a key (%zu bytes)", keytab_bytes(&t));
	keytab_free(&t);
}

static const char *
fmt(const char *rec, struct splitrec *r, int *rc)
{
	static struct buf out = BUF_INIT;
	static struct jtok j = JTOK_INIT;
	char err[200];

	buf_reset(&out);
	*rc = split_record(&j, rec, strlen(rec), &out, r, err, sizeof err);
	if (*rc != 0)
		return "ERR";
	return buf_cstr(&out);
}

static void
test_record(void)
{
	struct splitrec r = {0};
	int rc;
	int32_t d;

	is_str(fmt("{\"_entity\":\"loan\",\"client_id\":17,\"loan_name\":\"LKH-64497\","
	    "\"loan_amount\":93480.0, \"loan_start_date\" : \"2010-05-09\"}", &r, &rc),
	    "  {\n    \"client_id\":17,\n    \"loan_name\":\"LKH-64497\",\n"
	    "    \"loan_amount\":93480.0,\n    \"loan_start_date\":\"2010-05-09\"\n  }",
	    "seed layout, _entity dropped, 93480.0 kept as written");
	is_int(r.entity, SPLIT_LOAN, "_entity loan");
	ok(r.has_loan && r.cidlen == 3, "loan key found (client key n17)");
	date_parse("2010-05-09", 10, &d);
	ok(r.has_day && r.day == d, "start date read");

	fmt("{\"client_id\":17.0,\"loan_name\":\"X\",\"loan_start_date\":1273363200000}", &r, &rc);
	is_int(r.entity, -1, "no _entity");
	ok(r.has_day && r.day == d, "epoch milliseconds start date");
	is_str(buf_cstr(&r.key), "n17\x1fsX", "17.0 and 17 are the same client key");

	fmt("{\"client_id\":\"17\",\"loan_name\":\"X\",\"loan_start_date\":\"2010-02-30\"}", &r, &rc);
	ok(!r.has_day, "an impossible start date is not usable");
	is_str(buf_cstr(&r.key), "s17\x1fsX", "a string client_id is keyed as a string");

	fmt("{\"client_id\":null,\"x\":[1,{\"a\":2}]}", &r, &rc);
	ok(rc == 0 && r.cidlen == 0 && !r.has_loan, "null client_id: no key");
	is_str(fmt("{\"x\":[1, {\"a\":2}]}", &r, &rc), "  {\n    \"x\":[1, {\"a\":2}]\n  }",
	    "nested values copied as written");

	fmt("{\"_entity\":\"loan\",\"a\":tru}", &r, &rc);
	ok(rc != 0, "an invalid literal is an error");
	fmt("{\"_entity\":\"loan\",\"a\":01}", &r, &rc);
	ok(rc != 0, "a number with a leading zero is an error");
	fmt("{\"_entity\":\"borrower\"}", &r, &rc);
	ok(rc != 0, "an unknown _entity is an error");
	fmt("[1,2]", &r, &rc);
	ok(rc != 0, "a record must be an object");
	fmt("{\"a\":\"b\"", &r, &rc);
	ok(rc != 0, "a truncated record is an error");
	is_str(fmt("{}", &r, &rc), "  {\n  }", "an empty object");
	buf_free(&r.key);
}

int
main(void)
{
	test_cuts();
	test_order();
	test_keytab();
	test_record();
	return done_testing();
}
