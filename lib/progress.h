/*
 * progress.h - a one-line progress report on stderr for long steps.
 *
 * A loop calls progress_tick() per record (a counter decrement: no system
 * call); every PROGRESS_EVERY records it reads the clock, and once the step
 * has run PROGRESS_AFTER seconds it rewrites one line, at most every
 * PROGRESS_GAP seconds:
 *
 *     json2tsv payments: 1234567 records, 456789 records/s, 43% read
 *
 * with '\r', so the terminal keeps one line; progress_done() clears it.
 * Only when `on` (the caller's isatty(2)): through a pipe or into a file
 * nothing is written at all.  The clock is injectable for the unit test;
 * with the real clock, OVERDUE_PROGRESS_AFTER=SECONDS replaces PROGRESS_AFTER.
 */
#ifndef OVERDUE_PROGRESS_H
#define OVERDUE_PROGRESS_H

#include <stdio.h>

#define PROGRESS_EVERY 4096	/* records between two looks at the clock */
#define PROGRESS_AFTER 2.0	/* seconds of silence before the first line */
#define PROGRESS_GAP   0.5	/* seconds between two lines */

struct progress {
	const char *what;	/* "json2tsv payments" */
	FILE *out;
	int on;			/* 0: never write */
	long long total;	/* input bytes, or < 0: unknown (a pipe) */
	double (*clock)(void);	/* monotonic seconds */
	double start, next;
	long long countdown;
	int width;		/* of the last line written, to clear it */
};

/* The monotonic clock (CLOCK_MONOTONIC) in seconds. */
double progress_clock(void);

/* Start a report; total is the input's size in bytes (< 0: unknown). */
void progress_init(struct progress *p, const char *what, FILE *out, int on,
    long long total, double (*clock)(void));

/* recs records and bytes bytes of the input done so far. */
void progress_show(struct progress *p, long long recs, long long bytes);

static inline void
progress_tick(struct progress *p, long long recs, long long bytes)
{
	if (p->on && --p->countdown <= 0)
		progress_show(p, recs, bytes);
}

/*
 * For a step that counts no records (one long SQL statement): "what: doing,
 * 12.5 s", by the same rules (after PROGRESS_AFTER s, every PROGRESS_GAP s,
 * only when on).  The caller calls it while it waits, e.g. every 0.5 s.
 */
void progress_elapsed(struct progress *p, const char *doing);

/* Clear the line if one was written (the caller then prints its summary). */
void progress_done(struct progress *p);

/* The size of fd if it is a regular file, else -1. */
long long progress_size(int fd);

#endif
