/*
 * copyout.h - reading a COPY ... TO STDOUT stream of text rows one at a
 * time with one row of lookahead, its first column a client_id: the
 * streams that build-mart and notify-replay merge client by client.
 */
#ifndef OVERDUE_COPYOUT_H
#define OVERDUE_COPYOUT_H

#include <libpq-fe.h>
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
 * dropped, row[len] must be writable); returns the number of fields, at most max. */
int copyout_split(char *row, int len, char **f, int max);
/* Send sql (a COPY ... TO STDOUT) on c and read its first row. */
void copyout_start(struct copyout *r, PGconn *c, const char *what, const char *sql, int want);
/* The next row (r->row NULL at the end, once the COPY's result is checked). */
void copyout_next(struct copyout *r);

#endif
