/*
 * copyout.h - reading a COPY ... TO STDOUT stream of text rows one at a
 * time with one row of lookahead, its first column a client_id: the
 * streams that build-mart and notify-replay merge client by client.
 */
#ifndef OVERDUE_COPYOUT_H
#define OVERDUE_COPYOUT_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#define COPYOUT_MAXF 16

struct copyout {
	PGconn *c;
	const char *what;	/* for messages */
	char *row;		/* the current row (free with PQfreemem), NULL at the end */
	char *f[COPYOUT_MAXF];	/* its fields, split in place at tabs */
	int want;		/* columns every row has */
	int64_t cid;		/* the current row's client_id (column 1) */
};

/* Split a COPY text row of len bytes in place at tabs (a trailing newline
 * dropped, row[len] must be writable); returns its number of fields (tsv_split). */
int copyout_split(char *row, int len, char **f, int max);
/* Core's fields: a date (dies naming `what` when it is not one), money in
 * kopecks (NULL = 0). */
int32_t copyout_date(const char *s, const char *what);
int64_t copyout_money(const char *s, const char *what);
/* Send sql (a COPY ... TO STDOUT) on c and read its first row. */
void copyout_start(struct copyout *r, PGconn *c, const char *what, const char *sql, int want);
/* The next row (r->row NULL at the end, once the COPY's result is checked). */
void copyout_next(struct copyout *r);

/* A client's rows, kept until the client is done: copyrows_take() keeps the
 * reader's current row (and its fields) and reads the next one. */
struct copyrow {
	char *mem;
	char *f[COPYOUT_MAXF];
};

struct copyrows {
	struct copyrow *v;
	size_t n, cap;
};

void copyrows_take(struct copyrows *rs, struct copyout *r);
void copyrows_clear(struct copyrows *rs);	/* frees the rows, keeps the array */
void copyrows_free(struct copyrows *rs);

#endif
