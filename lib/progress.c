/* progress.c - a one-line progress report on stderr for long steps. */
#include <sys/stat.h>
#include <stdlib.h>
#include <time.h>

#include "progress.h"

double
progress_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
progress_init(struct progress *p, const char *what, FILE *out, int on,
    long long total, double (*clock)(void))
{
	p->what = what;
	p->out = out;
	p->on = on;
	p->total = total;
	p->clock = clock != NULL ? clock : progress_clock;
	p->start = on ? p->clock() : 0;
	p->next = p->start + PROGRESS_AFTER;
	/* the tests' way to see a short step's line: OVERDUE_PROGRESS_AFTER=0 */
	if (clock == NULL && getenv("OVERDUE_PROGRESS_AFTER") != NULL)
		p->next = p->start + strtod(getenv("OVERDUE_PROGRESS_AFTER"), NULL);
	p->countdown = PROGRESS_EVERY;
	p->width = 0;
}

/* write line (n bytes) over the last one, blanking what it leaves */
static void
rewrite(struct progress *p, int n)
{
	if (n > 0 && n < p->width)
		fprintf(p->out, "%*s", p->width - n, "");
	if (n > p->width)
		p->width = n;
	fflush(p->out);
}

/* 1 (and the time in *now) when a line is due: on, and the gap since the last one passed */
static int
due(struct progress *p, double *now)
{
	if (!p->on)
		return 0;
	*now = p->clock();
	if (*now < p->next)
		return 0;
	p->next = *now + PROGRESS_GAP;
	return 1;
}

void
progress_show(struct progress *p, long long recs, long long bytes)
{
	double now, secs;
	int n;

	p->countdown = PROGRESS_EVERY;
	if (!due(p, &now))
		return;
	secs = now - p->start;
	n = fprintf(p->out, "\r%s: %lld records, %.0f records/s", p->what, recs,
	    secs > 0 ? (double)recs / secs : 0.0);
	if (p->total > 0 && bytes >= 0)
		n += fprintf(p->out, ", %d%% read",
		    (int)(100 * (bytes > p->total ? p->total : bytes) / p->total));
	/* a shorter line than the last one: blank the rest */
	rewrite(p, n);
}

void
progress_elapsed(struct progress *p, const char *doing)
{
	double now;

	if (!due(p, &now))
		return;
	rewrite(p, fprintf(p->out, "\r%s: %s, %.1f s", p->what, doing, now - p->start));
}

void
progress_done(struct progress *p)
{
	if (p->on && p->width > 0) {
		fprintf(p->out, "\r%*s\r", p->width - 1, "");
		fflush(p->out);
	}
	p->width = 0;
}

long long
progress_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return (long long)st.st_size;
	return -1;
}
