/*
 * dash.h - overdue-report --format html: the dashboard as one
 * self-contained HTML file.  The page sources (web/dashboard.html, .css,
 * .js) are compiled in (sql.h's web_text); the data is read from the mart,
 * pre-aggregated per month and amount half-bin (web/README.md has its
 * shape), written as JSON, gzip-compressed and base64-encoded into the page,
 * which filters and draws it in the browser.
 */
#ifndef OVERDUE_DASH_H
#define OVERDUE_DASH_H

#include <libpq-fe.h>
#include <stdio.h>

#include "buf.h"

/* The initial filter, as given on the command line (checked), or NULL. */
struct dash_opts {
	const char *buckets;	/* "lt50k,50k-100k" */
	const char *min, *max;	/* amounts in roubles */
};

/* Every overdue loan goes into the page up to this many; past it, the
 * DASH_PER_BUCKET largest arrears of each seed amount bucket. */
#define DASH_ALL_LOANS 2000
#define DASH_PER_BUCKET 250

/* The page data (JSON) from the mart into b. */
void dash_data(PGconn *c, const struct dash_opts *o, struct buf *b);
/* The whole page: the template with the CSS, the JS and the data in it. */
void dash_write(PGconn *c, const struct dash_opts *o, FILE *out);
/*
 * The template's three markers replaced: css, js, and the data (json,
 * json_len bytes) gzip-compressed and base64-encoded; written to out.
 */
void dash_page(const char *tmpl, const char *css, const char *js,
    const char *json, size_t json_len, FILE *out);

#endif
