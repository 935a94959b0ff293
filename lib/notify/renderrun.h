/*
 * renderrun.h - notify-render's work: read a plan (notify-plan's TSV), fill
 * each row's template, and write SMS, e-mail, the call list and letters to
 * standard output or into a new folder for pipelines/notify-send
 * (notify-render(1) describes the files).
 */
#ifndef OVERDUE_NOTIFY_RENDERRUN_H
#define OVERDUE_NOTIFY_RENDERRUN_H

#include <stdio.h>
#include <time.h>

#define RENDER_ALL (-1)

struct render_opts {
	const char *templates;	/* a folder whose files override the compiled-in ones, or NULL */
	const char *policy;	/* a policy file over the defaults, or NULL */
	int channel;		/* enum channel, or RENDER_ALL (only with outdir) */
	int json;		/* SMS on standard output as NDJSON, not TSV */
	const char *outdir;	/* a new folder for everything, or NULL: standard output */
	const char *from;	/* the e-mail sender's address */
	time_t now;		/* the Date of the messages, the time of the rejects */
};

/* The default sender when OVERDUE_MAIL_FROM is not set. */
#define RENDER_DEFAULT_FROM "noreply@localhost"

/* Render the plan read from in; dies with sysexits codes (65: a bad plan
 * line, naming it). */
void render_run(const struct render_opts *o, FILE *in);

#endif
