/*
 * t_jtok.c - jtok_parse_flat() against jsmn + jcheck: whenever the fast path
 * accepts a record, jtok_parse() must give the very same tokens and
 * jcheck_record_plain() must accept it; what it declines goes the general way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json/jcheck.h"
#include "json/jtok.h"
#include "gen/prng.h"
#include "tap.h"

static struct jtok fast = JTOK_INIT, slow = JTOK_INIT;
static const struct jcheck_limits lim = {64, 1 << 20};

/* -1: fast path declined; 0: accepted and agrees; 1: accepted but disagrees. */
static int
differs(const char *js, size_t len, size_t max_string)
{
	int n = jtok_parse_flat(&fast, js, len, max_string), m;
	const char *why;
	size_t at;
	struct jcheck_limits l = lim;

	if (n < 0)
		return -1;
	m = jtok_parse(&slow, js, len);
	if (m != n)
		return 1;
	for (int i = 0; i < n; i++) {
		const jsmntok_t *a = &fast.t[i], *b = &slow.t[i];

		if (a->type != b->type || a->start != b->start || a->end != b->end ||
		    a->size != b->size || a->parent != b->parent)
			return 1;
	}
	l.max_string = max_string;
	return jcheck_record_plain(&slow, len, &l, 1, &why, &at) != 0;
}

static int
accepts(const char *s)
{
	return differs(s, strlen(s), 1 << 20) == 0;
}

static int
declines(const char *s)
{
	return differs(s, strlen(s), 1 << 20) == -1;
}

int
main(void)
{
	static const char alpha[] = "{}[],:\" 0123456789.eE+-tfalsenuxyz";
	static const char *seeds[] = {
		"{\"client_id\":17,\"loan_name\":\"LKH-1\",\"payment_number\":3,\"payment_date\":\"2010-07-09\",\"payment_fact_date\":null,\"paid_fact_amount\":244.5}",
		"{ \"a\" : -0.5e+3 , \"b\":true,\"c\":false ,\"d\" :\"\"}  \n",
		"{\n  \"client_id\": 1,\n  \"fio\": \"X Y\"\n}",
		"{}",
		"{\n        \"client_id\": 1,\n        \"fio\": \"X\"          ,\n\n          \"n\":\n       null}",
	};
	struct rng r;
	struct buf b = BUF_INIT;
	long accepted = 0, declined = 0, wrong = 0;

	ok(accepts(seeds[0]) && accepts(seeds[1]) && accepts(seeds[2]) && accepts(seeds[3]) &&
	    accepts(seeds[4]),
	    "seed-shaped records take the fast path with jsmn's tokens");
	ok(accepts("{ }") && accepts("{\"a\":1}\r\n\t "), "empty object, trailing white space");
	ok(declines("{\"a\":{\"b\":1}}") && declines("{\"a\":[1]}"), "nested values go the general way");
	ok(declines("{\"a\":1,}") && declines("{\"a\" 1}") && declines("{\"a\":1 \"b\":2}") &&
	    declines("{\"a\":01}") && declines("{\"a\":tru}") && declines("{\"a\":1}x") &&
	    declines("{\"a\":1") && declines("{1:1}") && declines("{\"a\":}") &&
	    declines("{\"a\":1}{}") && declines("{\"a\":\"x}"), "broken records go the general way");
	ok(differs("{\"a\":\"12345\"}", 13, 4) == -1 && differs("{\"a\":\"1234\"}", 12, 4) == 0,
	    "a string over the limit goes the general way");
	ok(differs("{\"a\":1\0}", 8, 100) == -1, "a NUL byte goes the general way");

	/* mutate seed records a byte at a time: insert, delete, replace */
	rng_seed(&r, 20261124, 1);
	for (int iter = 0; iter < 200000; iter++) {
		const char *s = seeds[rng_below(&r, sizeof seeds / sizeof seeds[0])];
		int k = 1 + (int)rng_below(&r, 3), d;

		buf_reset(&b);
		buf_puts(&b, s);
		while (k-- > 0 && b.len > 0) {
			size_t at = rng_below(&r, b.len);
			char c = alpha[rng_below(&r, sizeof alpha - 1)];

			switch (rng_below(&r, 3)) {
			case 0:
				buf_putc(&b, 0);
				memmove(b.p + at + 1, b.p + at, b.len - at - 1);
				b.p[at] = c;
				break;
			case 1:
				memmove(b.p + at, b.p + at + 1, b.len - at - 1);
				b.len--;
				break;
			default:
				b.p[at] = c;
			}
		}
		d = differs(b.p, b.len, 1 << 20);
		if (d < 0)
			declined++;
		else if (d == 0)
			accepted++;
		else if (wrong++ < 5)
			printf("# fast path disagrees with jsmn/jcheck: %s\n", buf_cstr(&b));
	}
	ok(wrong == 0, "200 000 mutated records: the fast path never disagrees (%ld accepted, %ld declined)",
	    accepted, declined);
	ok(accepted > 10000 && declined > 10000, "both paths were exercised");
	buf_free(&b);
	jtok_free(&fast);
	jtok_free(&slow);
	return done_testing();
}
