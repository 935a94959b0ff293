/* copyout.c - a COPY TO STDOUT stream, row by row (see copyout.h). */
#include <stdlib.h>
#include <string.h>

#include "db/copyout.h"
#include "date.h"
#include "db/db.h"
#include "money.h"
#include "tsv.h"
#include "util.h"

int
copyout_split(char *row, int len, char **f, int max)
{
	/* PQgetCopyData's buffer has a NUL after the data: room to end the row */
	if (len > 0 && row[len - 1] == '\n')
		len--;
	row[len] = '\0';
	return tsv_split(row, f, max);
}

/* A date field of core (YYYY-MM-DD); what names it in the message. */
int32_t
copyout_date(const char *s, const char *what)
{
	int32_t d;

	if (date_parse(s, strlen(s), &d) != 0)
		die(EX_DATAERR, "core: bad %s '%s'", what, s);
	return d;
}

/* A money field of core in kopecks, NULL as 0. */
int64_t
copyout_money(const char *s, const char *what)
{
	int64_t v;

	if (tsv_is_null(s, strlen(s)))
		return 0;
	if (money_parse(s, strlen(s), &v) != MONEY_OK)
		die(EX_DATAERR, "core: bad %s '%s'", what, s);
	return v;
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

void
copyrows_take(struct copyrows *rs, struct copyout *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 16;
		rs->v = ereallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	rs->v[rs->n].mem = r->row;
	memcpy(rs->v[rs->n].f, r->f, sizeof r->f);
	rs->n++;
	copyout_next(r);
}

void
copyrows_clear(struct copyrows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		PQfreemem(rs->v[i].mem);
	rs->n = 0;
}

void
copyrows_free(struct copyrows *rs)
{
	copyrows_clear(rs);
	free(rs->v);
	rs->v = NULL;
	rs->cap = 0;
}
