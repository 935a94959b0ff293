/*
 * genout.h - where gen-clients writes: one tagged NDJSON stream on stdout, or
 * the seed's three JSON array files in a directory, written to temporary
 * names and renamed into place only when complete.
 */
#ifndef OVERDUE_GENOUT_H
#define OVERDUE_GENOUT_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "gen/gen.h"
#include "json/jsonout.h"

enum { GS_CLIENTS, GS_LOANS, GS_PAYMENTS, GS_N };

struct gen_sink {
	enum json_style style;
	FILE *fp[GS_N];			/* NDJSON: all three are stdout */
	struct buf b[GS_N];		/* NDJSON: only b[0] is used */
	int64_t count[GS_N];		/* records written per entity */
	char *tmp[GS_N], *final[GS_N];	/* JSON_ARRAY only */
};

/* Tagged NDJSON on stdout. */
void gen_sink_stdout(struct gen_sink *s);
/*
 * DIR/clients.json, loans.json, payments.json: creates DIR (and parents) if
 * missing and opens temporary files in it; dies with EX_CANTCREAT on failure.
 * Until gen_sink_close, an exit removes the temporary files.
 */
void gen_sink_dir(struct gen_sink *s, const char *dir);
/* Flush, close, and (for a directory) rename the files into place. */
void gen_sink_close(struct gen_sink *s);

void gen_write_client(struct gen_sink *s, const struct gen_client *c);
void gen_write_loan(struct gen_sink *s, int64_t client_id, const struct gen_loan *l);
void gen_write_payment(struct gen_sink *s, int64_t client_id, const char *loan_name,
    const struct gen_payment *p);

/* Generate clients 1..n with their loans and payments into s. */
void gen_run(const struct gen_opts *o, int64_t n, struct gen_sink *s);

/* Print the risk table (attribute, value, points) as TSV to fp. */
void gen_print_risk_table(FILE *fp);

#endif
