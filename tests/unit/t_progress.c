/* t_progress.c - the progress line: when it appears, what it says, that it clears. */
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "tap.h"

static double fake_now;
static int clock_reads;

static double
fake_clock(void)
{
	clock_reads++;
	return fake_now;
}

/* what was written so far into the memory stream */
static const char *
got(FILE *f, char **buf)
{
	fflush(f);
	return *buf != NULL ? *buf : "";
}

int
main(void)
{
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long long r;

	fake_now = 100;
	progress_init(&p, "json2tsv payments", f, 1, 1000, fake_clock);
	clock_reads = 0;
	for (r = 1; r < PROGRESS_EVERY; r++)
		progress_tick(&p, r, r);
	is_int(clock_reads, 0, "no look at the clock before %d records", PROGRESS_EVERY);
	progress_tick(&p, r, r);
	is_int(clock_reads, 1, "one look at the clock per %d records", PROGRESS_EVERY);

	fake_now = 101.9;
	progress_show(&p, 5000, 100);
	is_str(got(f, &buf), "", "silent during the first %.0f s", PROGRESS_AFTER);

	fake_now = 102;
	progress_show(&p, 5000, 250);
	is_str(got(f, &buf), "\rjson2tsv payments: 5000 records, 2500 records/s, 25% read",
	    "after %.0f s: records, records/s, share of the input read", PROGRESS_AFTER);
	size_t was = len;

	fake_now = 102.4;
	progress_show(&p, 6000, 300);
	is_int((long long)len, (long long)was, "nothing new within %.1f s", PROGRESS_GAP);

	fake_now = 104;
	progress_show(&p, 8000, 2000);
	ok(strstr(got(f, &buf) + was, "8000 records, 2000 records/s, 100% read") != NULL,
	    "a later line, the share capped at 100%%");
	ok(strchr(buf + was, '\n') == NULL, "no newline: the line is rewritten with \\r");

	was = len;
	progress_done(&p);
	got(f, &buf);
	ok(len > was && buf[len - 1] == '\r' && strspn(buf + was + 1, " ") == len - was - 2,
	    "progress_done blanks the line and returns to its start");

	/* unknown size: no share */
	fclose(f);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	fake_now = 0;
	progress_init(&p, "pg-stage loans", f, 1, -1, fake_clock);
	fake_now = 3;
	progress_show(&p, 300, 12345);
	is_str(got(f, &buf), "\rpg-stage loans: 300 records, 100 records/s",
	    "a pipe: records and records/s, no share");
	fclose(f);
	free(buf);

	/* not a terminal: never a byte, never the clock */
	buf = NULL;
	f = open_memstream(&buf, &len);
	clock_reads = 0;
	fake_now = 0;
	progress_init(&p, "json2tsv clients", f, 0, 10, fake_clock);
	fake_now = 60;
	for (r = 1; r <= 3 * PROGRESS_EVERY; r++)
		progress_tick(&p, r, r);
	progress_show(&p, r, r);
	progress_done(&p);
	is_str(got(f, &buf), "", "off (stderr not a terminal): silent");
	is_int(clock_reads, 0, "off: the clock is never read");
	fclose(f);
	free(buf);

	/* a step without records: the elapsed time, same rules */
	buf = NULL;
	f = open_memstream(&buf, &len);
	fake_now = 10;
	progress_init(&p, "promote-core: load 7", f, 1, -1, fake_clock);
	fake_now = 11;
	progress_elapsed(&p, "promoting payments");
	is_str(got(f, &buf), "", "elapsed: silent during the first %.0f s", PROGRESS_AFTER);
	fake_now = 12.25;
	progress_elapsed(&p, "promoting payments");
	is_str(got(f, &buf), "\rpromote-core: load 7: promoting payments, 2.2 s",
	    "elapsed: what, doing, seconds");
	was = len;
	fake_now = 12.5;
	progress_elapsed(&p, "analyze");
	is_int((long long)len, (long long)was, "elapsed: nothing new within %.1f s", PROGRESS_GAP);
	fake_now = 13;
	progress_elapsed(&p, "analyze");
	is_str(got(f, &buf) + was, "\rpromote-core: load 7: analyze, 3.0 s           ",
	    "elapsed: a shorter line blanks the rest of the longer one");
	fclose(f);
	free(buf);

	ok(progress_size(0) >= -1, "progress_size answers for any fd");
	return done_testing();
}
