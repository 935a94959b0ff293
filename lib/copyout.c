/* copyout.c - a COPY TO STDOUT stream, row by row (see copyout.h). */
#include <string.h>

#include "copyout.h"
#include "db.h"
#include "util.h"

int
copyout_split(char *row, int len, char **f, int max)
{
	int n = 0;
	char *p = row, *end = row + len;

	if (len > 0 && end[-1] == '\n')
		*--end = '\0';
	else
		*end = '\0';
	while (n < max) {
		char *t = memchr(p, '\t', (size_t)(end - p));

		f[n++] = p;
		if (t == NULL)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

void
copyout_next(struct copyout *r)
{
	char *p;
	int n = PQgetCopyData(r->c, &p, 0);

	r->row = NULL;
	if (n == -1) {
		PGresult *res;

		while ((res = PQgetResult(r->c)) != NULL) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
				db_die(r->c, res, r->what);
			PQclear(res);
		}
		return;
	}
	if (n < 0)
		db_die(r->c, NULL, r->what);
	/* PQgetCopyData's buffer has a NUL after the data: room to split */
	r->row = p;
	if (copyout_split(p, n, r->f, r->want) != r->want)
		die(EX_SOFTWARE, "%s: expected %d columns", r->what, r->want);
	if (parse_int64(r->f[0], INT64_MIN, INT64_MAX, &r->cid) != 0)
		die(EX_DATAERR, "%s: bad client_id '%s'", r->what, r->f[0]);
}

void
copyout_start(struct copyout *r, PGconn *c, const char *what, const char *sql, int want)
{
	PGresult *res = PQexec(c, sql);

	if (want < 1 || want > COPYOUT_MAXF)
		die(EX_SOFTWARE, "internal error: %s: %d columns", what, want);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_OUT)
		db_die(c, res, what);
	PQclear(res);
	r->c = c;
	r->what = what;
	r->want = want;
	copyout_next(r);
}
