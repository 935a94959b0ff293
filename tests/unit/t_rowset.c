/* t_rowset.c - the 128-bit row hash and the hash set behind pg-stage's filter. */
#include <stdio.h>
#include <string.h>

#include "db/rowset.h"
#include "load/stage.h"
#include "tap.h"

/* run `in` through a filter over `set` in chunks of `step` bytes */
static int
filter(const struct rowset *set, const char *in, size_t step, char *out,
    long long *read, long long *unchanged)
{
	struct stagefilter f;
	size_t n = strlen(in);
	int m;

	sfilter_init(&f, set, "7\tsrc\tT\t");
	for (size_t i = 0; i < n; i += step)
		sfilter_feed(&f, in + i, n - i < step ? n - i : step);
	m = sfilter_end(&f);
	memcpy(out, f.out.p ? f.out.p : "", f.out.len);
	out[f.out.len] = '\0';
	*read = f.read;
	*unchanged = f.unchanged;
	sfilter_free(&f);
	return m;
}

int
main(void)
{
	struct rowset s;
	struct rowhash h1, h2;
	char buf[64], out[512];
	long long read, unch;
	int dup = 0, missing = 0, i;

	rowhash_seed(42);
	h1 = rowhash("abc", 3);
	h2 = rowhash("abc", 3);
	ok(h1.a == h2.a && h1.b == h2.b, "same bytes, same hash");
	h2 = rowhash("abd", 3);
	ok(h1.a != h2.a && h1.b != h2.b, "one byte differs: both lanes differ");
	h1 = rowhash("ab", 2);
	h2 = rowhash("ab\0", 3);
	ok(h1.a != h2.a || h1.b != h2.b, "a trailing NUL byte changes the hash");
	h1 = rowhash("1\tXSD-1\t3\t2024-01-01\t\\N\t10.00", 29);
	h2 = rowhash("1\tXSD-1\t3\t2024-01-01\t\\N\t10.01", 29);
	ok(h1.a != h2.a && h1.b != h2.b, "a kopeck differs: the hash differs");
	rowhash_seed(43);
	h2 = rowhash("1\tXSD-1\t3\t2024-01-01\t\\N\t10.00", 29);
	ok(h1.a != h2.a && h1.b != h2.b, "another seed, another hash");

	/* 200 000 distinct rows: all found after growing, none of 200 000 others */
	rowset_init(&s);
	for (i = 0; i < 200000; i++) {
		int n = snprintf(buf, sizeof buf, "%d\tL-%d\t%d", i, i % 97, i % 13);

		if (!rowset_add(&s, rowhash(buf, (size_t)n)))
			dup++;
	}
	is_int(dup, 0, "200000 distinct rows: no hash met twice");
	is_int(s.n, 200000, "the set holds them all");
	ok(s.n * 4 <= s.cap * 3, "the table is at most 3/4 full (%zu of %zu)", s.n, s.cap);
	ok(!rowset_add(&s, rowhash("5\tL-5\t5", 7)), "adding a row again says it was there");
	for (i = 0; i < 200000; i++) {
		int n = snprintf(buf, sizeof buf, "%d\tL-%d\t%d", i, i % 97, i % 13);

		if (!rowset_has(&s, rowhash(buf, (size_t)n)))
			missing++;
	}
	is_int(missing, 0, "every added row is found");
	missing = 0;
	for (i = 0; i < 200000; i++) {
		int n = snprintf(buf, sizeof buf, "%d\tL-%d\t%d", i, i % 97, i % 13 + 1);

		if (rowset_has(&s, rowhash(buf, (size_t)n)))
			missing++;
	}
	is_int(missing, 0, "no changed row is taken for a stored one");
	/* cleared for the next chunk: empty, the same memory, usable again */
	{
		size_t cap = s.cap;

		rowset_clear(&s);
		is_int(s.n, 0, "cleared: empty");
		is_int(s.cap, cap, "cleared: the slots kept");
		ok(!rowset_has(&s, rowhash("5\tL-5\t5", 7)), "cleared: a row added before is gone");
		ok(rowset_add(&s, rowhash("5\tL-5\t5", 7)), "cleared: it can be added again");
		ok(rowset_has(&s, rowhash("5\tL-5\t5", 7)), "... and is found");
	}
	rowset_free(&s);

	/* the filter: core holds rows 1 and 2 (values after recno) */
	rowset_init(&s);
	rowset_add(&s, rowhash("10\tA\t1.00", strlen("10\tA\t1.00")));
	rowset_add(&s, rowhash("11\tB\t\\N", strlen("11\tB\t\\N")));
	for (size_t step = 1; step <= 9; step += 4) {
		is_int(filter(&s, "1\t10\tA\t1.00\n2\t11\tB\t\\N\n3\t12\tC\t5.00\n\\.\n",
		    step, out, &read, &unch), 1, "marker seen (chunks of %zu)", step);
		is_str(out, "7\tsrc\tT\t3\t12\tC\t5.00\n", "only the new row goes, prefixed (chunks of %zu)", step);
		is_int(read, 3, "3 read (chunks of %zu)", step);
		is_int(unch, 2, "2 unchanged (chunks of %zu)", step);
	}
	filter(&s, "1\t10\tA\t1.01\n2\t11\tB\t0.00\n\\.", 5, out, &read, &unch);
	is_str(out, "7\tsrc\tT\t1\t10\tA\t1.01\n7\tsrc\tT\t2\t11\tB\t0.00\n",
	    "a changed amount and NULL -> 0.00 are both sent");
	is_int(unch, 0, "nothing unchanged");
	filter(&s, "9\t10\tA\t1.00\n4\t10\tA\t1.00\n\\.\n", 3, out, &read, &unch);
	is_int(unch, 2, "a row repeated in the file is unchanged twice (recno is not compared)");
	is_int(read, 2, "and read twice");
	is_int(filter(&s, "1\t10\tA\t1.00\n3\t12\tC\t5.00", 4, out, &read, &unch), 0,
	    "no marker: the producer died");
	is_str(out, "7\tsrc\tT\t3\t12\tC\t5.00\n", "a last line without newline still counts");
	is_int(filter(&s, "\\.\n3\t12\tC\t5.00\n", 4, out, &read, &unch), 0,
	    "data after the marker is an error");
	is_int(filter(&s, "\\.", 1, out, &read, &unch), 1, "the marker alone: an empty file");
	is_int(read, 0, "nothing read");
	is_int(filter(&s, "1\t10\tA\\.\n", 2, out, &read, &unch), 0, "backslash-dot inside a row is data");
	is_int(filter(NULL, "1\t10\tA\t1.00\n\\.\n", 2, out, &read, &unch), 1, "no set: keep all");
	is_int(unch, 0, "no set: nothing unchanged");
	rowset_free(&s);
	return done_testing();
}
