/* t_stagechunk.c - pg-stage's chunks of whole lines, the keys of a line, the look-up choice. */
#include <stdio.h>
#include <string.h>

#include "load/stagechunk.h"
#include "tap.h"

/*
 * Feed `in` through a linechunk `step` bytes per read, taking every full
 * chunk as pg-stage does, then the rest; the chunks joined by '|' go to
 * out, each chunk's line count (and the rest's bytes) to counts.
 */
static void
chunks(const char *in, size_t step, long long max_lines, size_t max_bytes,
    char *out, char *counts)
{
	struct linechunk k;
	size_t n = strlen(in), i = 0, room;
	char *space;

	*out = *counts = '\0';
	linechunk_init(&k, max_lines, max_bytes);
	for (;;) {
		while (linechunk_ready(&k)) {
			strncat(out, k.p, k.end);
			strcat(out, "|");
			sprintf(counts + strlen(counts), "%lld ", k.lines);
			linechunk_next(&k);
		}
		if (i == n)
			break;
		space = linechunk_space(&k, &room);
		if (room > step)
			room = step;
		if (room > n - i)
			room = n - i;
		memcpy(space, in + i, room);
		i += room;
		linechunk_added(&k, room);
	}
	strncat(out, k.p, k.len);
	sprintf(counts + strlen(counts), "rest %zu", k.len);
	linechunk_free(&k);
}

static void
t_chunks(void)
{
	const char *in = "1\ta\n2\tb\n3\tc\n4\td\n5\te\n6\tf\n7\tg\n\\.\n";
	char out[512], counts[128], want[512];

	/* by lines: every read size gives the same chunks */
	for (size_t step = 1; step <= 40; step += 3) {
		chunks(in, step, 3, 1000, out, counts);
		is_str(out, "1\ta\n2\tb\n3\tc\n|4\td\n5\te\n6\tf\n|7\tg\n\\.\n",
		    "3 lines a chunk, reads of %zu bytes", step);
		is_str(counts, "3 3 rest 7", "line counts, reads of %zu bytes", step);
	}
	/* one line a chunk; the marker is a line too */
	chunks(in, 5, 1, 1000, out, counts);
	is_str(counts, "1 1 1 1 1 1 1 1 rest 0", "one line a chunk");
	/* no newline at the end: the rest holds the last line */
	chunks("1\ta\n2\tb\n\\.", 4, 2, 1000, out, counts);
	is_str(out, "1\ta\n2\tb\n|\\.", "a last line without newline stays in the rest");
	is_str(counts, "2 rest 2", "... counted as the rest's bytes");
	/* by bytes: once 9 bytes are buffered, their complete lines go */
	chunks(in, 5, 1000, 9, out, counts);
	is_str(out, "1\ta\n2\tb\n|3\tc\n4\td\n5\te\n|6\tf\n7\tg\n|\\.\n",
	    "a chunk ends at the last whole line once 9 bytes are read");
	is_str(counts, "2 3 2 rest 3", "... (reads of 5 bytes: 10, 12, 10 bytes buffered)");
	/* a line longer than the chunk's bytes: held whole */
	{
		char in2[512];

		memset(want, 'x', 300);
		want[300] = '\0';
		strcpy(in2, "1\t");
		strcat(in2, want);
		strcat(in2, "\n2\ty\n");
		chunks(in2, 1, 1000, 16, out, counts);
		is_int(strlen(out), strlen(in2) + 1, "a 300-byte line in 16-byte chunks: all kept");
		is_str(counts, "1 rest 4", "... a chunk of its own");
		ok(strncmp(out, in2, 303) == 0 && out[303] == '|', "... the long line whole");
	}
	/* nothing at all */
	chunks("", 4, 3, 100, out, counts);
	is_str(counts, "rest 0", "empty input: no chunk, an empty rest");
}

static void
t_keys(void)
{
	struct stagekey k;
	struct buf b = BUF_INIT;
	const char *p = "17\t42\tLN\\t2\t3\t2020-01-01\t\\N\t\\N";

	is_int(stage_nkeys(0), 1, "clients: client_id");
	is_int(stage_nkeys(2), 3, "payments: client_id, loan_name, payment_number");
	is_int(stage_key(p, strlen(p), 3, &k), 0, "a payment's key");
	is_int(k.client_id, 42, "client_id");
	is_int(k.number, 3, "payment_number");
	ok(k.loan_len == 5 && memcmp(k.loan, "LN\\t2", 5) == 0, "loan_name as escaped text");
	is_int(stagekey_tuple(&b, &k, 3), 0, "the key as a binary tuple");
	{
		/* 3 fields: int8 42, text "LN<tab>2" (unescaped), int4 3 */
		static const char want[] =
		    "\0\3" "\0\0\0\10" "\0\0\0\0\0\0\0\52"
		    "\0\0\0\4" "LN\t2" "\0\0\0\4" "\0\0\0\3";
		is_int(b.len, sizeof want - 1, "tuple length");
		ok(memcmp(b.p, want, sizeof want - 1) == 0, "tuple bytes");
	}
	buf_reset(&b);
	is_int(stage_key(p, strlen(p), 1, &k), 0, "a client's key: the first field after recno");
	is_int(k.client_id, 42, "... client_id");
	is_int(stagekey_tuple(&b, &k, 1), 0, "... one field");
	is_int(b.len, 2 + 4 + 8, "... int8 only");
	buf_reset(&b);
	p = "1\t-9223372036854775808\tL";
	is_int(stage_key(p, strlen(p), 2, &k), 0, "the smallest bigint");
	ok(k.client_id == INT64_MIN, "... parsed");
	p = "1\t9223372036854775808\tL";
	is_int(stage_key(p, strlen(p), 2, &k), -1, "bigint overflow: no key");
	p = "1\t\\N\tL\t1";
	is_int(stage_key(p, strlen(p), 3, &k), -1, "NULL client_id: no key");
	p = "1\t42\t\\N\t1";
	is_int(stage_key(p, strlen(p), 3, &k), -1, "NULL loan_name: no key");
	p = "1\t42\tL\t2147483648";
	is_int(stage_key(p, strlen(p), 3, &k), -1, "payment_number overflow: no key");
	p = "1\t42\tL\tx";
	is_int(stage_key(p, strlen(p), 3, &k), -1, "payment_number not a number: no key");
	p = "1\t42\tL";
	is_int(stage_key(p, strlen(p), 3, &k), -1, "payment_number missing: no key");
	is_int(stage_key(p, strlen(p), 2, &k), 0, "... but a loan key");
	p = "1\t4 2";
	is_int(stage_key(p, strlen(p), 1, &k), -1, "a space in client_id: no key");
	p = "1\t\t";
	is_int(stage_key(p, strlen(p), 1, &k), -1, "empty client_id: no key");
	p = "17";
	is_int(stage_key(p, strlen(p), 1, &k), -1, "recno only: no key");
	p = "1\t5\tL\\";
	is_int(stage_key(p, strlen(p), 2, &k), 0, "a lone backslash parses as a key ...");
	is_int(stagekey_tuple(&b, &k, 2), -1, "... but is not sent");
	is_int(b.len, 0, "... and leaves nothing behind");
	buf_free(&b);
}

static void
t_choose(void)
{
	/* 1000 version rows over client ids 1..100: 10 a client */
	struct stage_core core = {0, 1, 100, 1000.0}, none = {1, 0, 0, 0};
	int64_t lo = 0, hi = 0;

	is_int(stage_choose(&none, STAGE_AUTO, 5, 1, 3, 10, &lo, &hi), STAGE_NONE,
	    "empty core: nothing to look up");
	is_int(stage_choose(&core, STAGE_AUTO, 0, 0, 0, 10, &lo, &hi), STAGE_NONE,
	    "no key in the chunk: nothing to look up");
	is_int(stage_choose(&core, STAGE_AUTO, 5, 101, 200, 10, &lo, &hi), STAGE_NONE,
	    "all new clients above core's: nothing to look up");
	is_int(stage_choose(&core, STAGE_PROBE, 5, -9, 0, 10, &lo, &hi), STAGE_NONE,
	    "below core's, even when forced: nothing to look up");
	is_int(stage_choose(&core, STAGE_AUTO, 10, 1, 4, 10, &lo, &hi), STAGE_RANGE,
	    "4 clients, 40 rows for 10 lines: a range");
	ok(lo == 1 && hi == 4, "... over the chunk's span");
	is_int(stage_choose(&core, STAGE_AUTO, 10, 1, 5, 10, &lo, &hi), STAGE_PROBE,
	    "5 clients, 50 rows for 10 lines: probes");
	is_int(stage_choose(&core, STAGE_AUTO, 10, 97, 150, 10, &lo, &hi), STAGE_RANGE,
	    "a span reaching past core's end counts only core's part");
	ok(lo == 97 && hi == 100, "... clipped to 97..100");
	is_int(stage_choose(&core, STAGE_AUTO, 2, INT64_MIN, INT64_MAX, 10, &lo, &hi),
	    STAGE_PROBE, "a span of all bigint: probes");
	ok(lo == 1 && hi == 100, "... clipped to core");
	is_int(stage_choose(&core, STAGE_RANGE, 10, 1, 100, 1, &lo, &hi), STAGE_RANGE,
	    "forced range");
	is_int(stage_choose(&core, STAGE_PROBE, 10, 1, 2, 10, &lo, &hi), STAGE_PROBE,
	    "forced probes");
	{
		/* ids spread over all of bigint: no overflow in the estimate */
		struct stage_core wide = {0, INT64_MIN, INT64_MAX, 1e6};

		is_int(stage_choose(&wide, STAGE_AUTO, 3, -5, 5, 10, &lo, &hi), STAGE_RANGE,
		    "a narrow span of a core over all of bigint: a range");
	}
}

int
main(void)
{
	t_chunks();
	t_keys();
	t_choose();
	return done_testing();
}
