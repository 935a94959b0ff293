/* genout.c - the generator's output: NDJSON on stdout or three array files. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen/genout.h"
#include "util.h"

#define FLUSH_AT (1u << 20)	/* write in 1 MiB chunks */

static const char *const entity[GS_N] = {"client", "loan", "payment"};
static const char *const file_name[GS_N] = {"clients.json", "loans.json", "payments.json"};

/* Temporary files to remove if we exit (or are killed) before the rename. */
static char *pending[GS_N];

static void
remove_pending(void)
{
	for (int i = 0; i < GS_N; i++)
		if (pending[i] != NULL)
			unlink(pending[i]);
}

static void
on_signal(int sig)
{
	remove_pending();	/* unlink is async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

void
gen_sink_stdout(struct gen_sink *s)
{
	memset(s, 0, sizeof *s);
	s->style = JSON_NDJSON;
	for (int i = 0; i < GS_N; i++)
		s->fp[i] = stdout;
	buf_reserve(&s->b[0], FLUSH_AT + 4096);
}

/* mkdir -p */
static int
make_dirs(const char *dir)
{
	char *p = estrdup(dir), *q = p;
	int rc = 0;

	while (rc == 0) {
		while (*q == '/')
			q++;
		q = strchr(q, '/');
		if (q != NULL)
			*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		else if (q == NULL)
			break;
		else
			*q++ = '/';
	}
	if (rc == 0) {
		struct stat st;

		if (stat(dir, &st) != 0)
			rc = -1;
		else if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			rc = -1;
		}
	}
	free(p);
	return rc;
}

static char *
path_join(const char *dir, const char *a, const char *b)
{
	struct buf p = BUF_INIT;

	buf_puts(&p, dir);
	buf_putc(&p, '/');
	buf_puts(&p, a);
	buf_puts(&p, b);
	return (char *)buf_cstr(&p);
}

void
gen_sink_dir(struct gen_sink *s, const char *dir)
{
	static int hooked;
	mode_t mask;

	memset(s, 0, sizeof *s);
	s->style = JSON_ARRAY;
	if (make_dirs(dir) != 0)
		die(EX_CANTCREAT, "cannot create directory %s:", dir);
	if (!hooked) {
		atexit(remove_pending);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		hooked = 1;
	}
	mask = umask(0);
	umask(mask);
	for (int i = 0; i < GS_N; i++) {
		int fd;

		s->final[i] = path_join(dir, file_name[i], "");
		s->tmp[i] = path_join(dir, ".", file_name[i]);
		s->tmp[i] = erealloc(s->tmp[i], strlen(s->tmp[i]) + 8);
		strcat(s->tmp[i], ".XXXXXX");
		if ((fd = mkstemp(s->tmp[i])) < 0)
			die(EX_CANTCREAT, "cannot create a file in %s:", dir);
		pending[i] = s->tmp[i];
		if (fchmod(fd, 0666 & ~mask) != 0 || (s->fp[i] = fdopen(fd, "w")) == NULL)
			die(EX_CANTCREAT, "%s:", s->tmp[i]);
		buf_reserve(&s->b[i], FLUSH_AT + 4096);
	}
}

void
gen_sink_close(struct gen_sink *s)
{
	if (s->style == JSON_NDJSON) {
		buf_flush(&s->b[0], stdout);
		buf_free(&s->b[0]);
		return;
	}
	for (int i = 0; i < GS_N; i++) {
		json_array_end(&s->b[i], s->count[i]);
		buf_flush(&s->b[i], s->fp[i]);
		buf_free(&s->b[i]);
		if (fflush(s->fp[i]) != 0 || fsync(fileno(s->fp[i])) != 0)
			die(EX_IOERR, "%s: write error:", s->final[i]);
		if (fshut(s->fp[i], s->final[i]) != 0)
			exit(EX_IOERR);
	}
	/*
	 * All three complete: now replace the old files, clients.json last,
	 * since Make takes it as the sign that the set is done.
	 */
	for (int i = GS_N - 1; i >= 0; i--) {
		if (rename(s->tmp[i], s->final[i]) != 0)
			die(EX_CANTCREAT, "cannot rename %s to %s:", s->tmp[i], s->final[i]);
		pending[i] = NULL;
		free(s->tmp[i]);
		free(s->final[i]);
	}
}

/* The buffer for entity e, flushed when full. */
static struct buf *
begin(struct gen_sink *s, int e, struct json_rec *r)
{
	struct buf *b = &s->b[s->style == JSON_NDJSON ? 0 : e];

	if (b->len >= FLUSH_AT)
		buf_flush(b, s->fp[e]);
	if (s->style == JSON_ARRAY)
		json_array_next(b, s->count[e]);
	s->count[e]++;
	json_rec_begin(r, b, s->style, entity[e]);
	return b;
}

static void
opt_str(struct buf *b, const char *s)
{
	if (*s == '\0')
		json_null(b);
	else
		json_cstr(b, s);
}

static void
opt_label(struct buf *b, enum gen_attr a, int v)
{
	if (v == GEN_NULL)
		json_null(b);
	else
		json_cstr(b, gen_label(a, v));
}

void
gen_write_client(struct gen_sink *s, const struct gen_client *c)
{
	struct json_rec r;
	struct buf *b = begin(s, GS_CLIENTS, &r);

	json_rec_key(&r, "client_id");
	json_int(b, c->id);
	json_rec_key(&r, "fio");
	json_cstr(b, c->fio);
	json_rec_key(&r, "passport");
	json_cstr(b, c->passport);
	json_rec_key(&r, "gender");
	json_cstr(b, gen_label(GA_GENDER, c->gender));
	json_rec_key(&r, "birth_date");
	json_date(b, c->birth);
	json_rec_key(&r, "education");
	json_cstr(b, gen_label(GA_EDUCATION, c->education));
	json_rec_key(&r, "count_of_children");
	if (c->children == GEN_NULL)
		json_null(b);
	else
		json_int(b, c->children);
	json_rec_key(&r, "job_type");
	json_cstr(b, gen_label(GA_JOB, c->job));
	json_rec_key(&r, "region");
	opt_label(b, GA_REGION, c->region);
	json_rec_key(&r, "family_status");
	opt_label(b, GA_FAMILY, c->family);
	json_rec_key(&r, "address");
	opt_str(b, c->address);
	json_rec_key(&r, "phone");
	opt_str(b, c->phone);
	json_rec_key(&r, "income");
	json_money(b, c->income);
	json_rec_key(&r, "email");	/* not in the seed's data: after its fields */
	opt_str(b, c->email);
	json_rec_end(&r);
}

void
gen_write_loan(struct gen_sink *s, int64_t client_id, const struct gen_loan *l)
{
	struct json_rec r;
	struct buf *b = begin(s, GS_LOANS, &r);

	json_rec_key(&r, "client_id");
	json_int(b, client_id);
	json_rec_key(&r, "loan_name");
	json_cstr(b, l->name);
	json_rec_key(&r, "loan_amount");
	json_money(b, l->amount);
	json_rec_key(&r, "loan_start_date");
	json_date(b, l->start);
	json_rec_key(&r, "loan_end_date");
	json_date(b, l->end);
	json_rec_key(&r, "payment_numbers");
	json_int(b, l->n);
	json_rec_key(&r, "paid_amount");
	json_money(b, l->paid_amount);
	json_rec_end(&r);
}

void
gen_write_payment(struct gen_sink *s, int64_t client_id, const char *loan_name,
    const struct gen_payment *p)
{
	struct json_rec r;
	struct buf *b = begin(s, GS_PAYMENTS, &r);

	json_rec_key(&r, "client_id");
	json_int(b, client_id);
	json_rec_key(&r, "loan_name");
	json_cstr(b, loan_name);
	json_rec_key(&r, "payment_number");
	json_int(b, p->number);
	json_rec_key(&r, "payment_date");
	json_date(b, p->date);
	json_rec_key(&r, "payment_fact_date");
	json_date(b, p->fact);
	json_rec_key(&r, "paid_fact_amount");
	json_money(b, p->amount);
	json_rec_end(&r);
}

void
gen_run(const struct gen_opts *o, int64_t n, struct gen_sink *s)
{
	struct rng r;
	struct gen_client c;
	struct gen_loan loans[GEN_MAX_LOANS];
	struct gen_payment pay[GEN_MAX_TERM];

	for (int64_t id = 1; id <= n; id++) {
		int nl = gen_client(&r, o, id, &c, loans);

		gen_write_client(s, &c);
		for (int i = 0; i < nl; i++) {
			int np = gen_payments(&r, o, &loans[i], pay);

			gen_write_loan(s, id, &loans[i]);
			for (int k = 0; k < np; k++)
				gen_write_payment(s, id, loans[i].name, &pay[k]);
		}
	}
}

void
gen_print_risk_table(FILE *fp)
{
	static const int nvals[GA_COUNT] = {2, 5, 4, 5, 4, 2, 6, 4};
	static const int nullable[GA_COUNT] = {0, 0, 0, 1, 0, 1, 1, 0};

	fprintf(fp, "attribute\tvalue\tpoints\n");
	for (int a = 0; a < GA_COUNT; a++) {
		for (int v = 0; v < nvals[a]; v++)
			fprintf(fp, "%s\t%s\t%d\n", gen_attr_name((enum gen_attr)a),
			    gen_label((enum gen_attr)a, v), gen_points((enum gen_attr)a, v));
		if (nullable[a])
			fprintf(fp, "%s\tnull\t%d\n", gen_attr_name((enum gen_attr)a),
			    gen_points((enum gen_attr)a, GEN_NULL));
	}
}
