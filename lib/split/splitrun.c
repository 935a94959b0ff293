/*
 * splitrun.c - json-split's job: read the records once, spool them to
 * unlinked temporary files, rank the loans, write every part into a
 * temporary folder and rename the folders into place when all are complete.
 *
 * In memory: per loan a struct loanrec (28 bytes) plus its interned key
 * (client_id + loan_name, ~40 bytes with the hash table); per client its
 * interned key; per loan-slot its part.  With --seed-compat also 16 bytes per
 * payment (its spool position, to group payments by loan as pandas did).
 * Record text never stays in memory beyond the one being read or written.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json/jsonrec.h"
#include "split/split.h"
#include "util.h"

#define MAX_RECORD ((size_t)64 << 20)	/* one record may take 64 MiB */
#define BATCH 64			/* part files open at once */
#define ORPHAN UINT32_MAX		/* slot_part of a key no loan has */

static const char *const ent_file[SPLIT_NENT] = {"clients", "loans", "payments"};

struct loanrec {
	uint64_t off;		/* text in the loans spool */
	uint32_t len;
	uint32_t slot;		/* loan key id or SPLIT_NONE */
	uint32_t client;	/* client key id or SPLIT_NONE */
	int32_t day;
	uint32_t part;		/* first part holding it (1..N) */
	uint32_t dated;
};

struct payref {			/* --seed-compat only */
	uint64_t off;		/* header position in the payments spool */
	uint32_t group;		/* order of first appearance of its loan key */
	uint32_t seq;
};

struct spool {
	FILE *fp;
	uint64_t len;
};

struct split {
	const struct split_opts *o;
	struct keytab clients, loans;
	struct loanrec *lr;
	uint32_t nl, capl;
	uint32_t *slot_part;		/* loan key id -> first part */
	uint32_t *slot_group;		/* loan key id -> payment group + 1 (seed) */
	uint32_t ngroups, ngroupcap;
	struct payref *pr;
	uint32_t npr, cappr;
	uint32_t *cstart, *cparts;	/* client id -> parts (sorted, unique) */
	struct spool sp[SPLIT_NENT];
	uint64_t count[SPLIT_NENT];
	uint64_t undated, orphans, keyless_clients;
	struct jtok j;
	struct buf text;
	struct splitrec rec;
};

/* ---- temporary part folders, removed on any failure ---------------------- */

static char **tmpdirs;
static unsigned ntmpdirs;

static void
rmtree(const char *path)
{
	DIR *d;
	struct dirent *e;
	struct buf p = BUF_INIT;
	struct stat st;

	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			buf_reset(&p);
			buf_printf(&p, "%s/%s", path, e->d_name);
			if (lstat(buf_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode))
				rmtree(buf_cstr(&p));
			else if (unlink(buf_cstr(&p)) != 0)
				warnf("cannot remove %s:", buf_cstr(&p));
		}
		closedir(d);
	}
	if (rmdir(path) != 0 && errno != ENOENT)
		warnf("cannot remove %s:", path);
	buf_free(&p);
}

static void
cleanup(void)
{
	unsigned i;

	for (i = 0; i < ntmpdirs; i++)
		if (tmpdirs[i] != NULL) {
			rmtree(tmpdirs[i]);
			free(tmpdirs[i]);
			tmpdirs[i] = NULL;
		}
}

/* "part_<digits>.tmp.XXXXXX" or "part_<digits>.old.XXXXXX": ours, from an interrupted run. */
static int
stale_name(const char *s)
{
	size_t i = 5;

	if (strncmp(s, "part_", 5) != 0 || s[i] < '0' || s[i] > '9')
		return 0;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (strncmp(s + i, ".tmp.", 5) != 0 && strncmp(s + i, ".old.", 5) != 0)
		return 0;
	return strlen(s + i + 5) == 6;
}

/* part_K holding nothing but our three files for K: safe to remove. */
static int
our_part(const char *dir, const char *name, unsigned *k)
{
	DIR *d;
	struct dirent *e;
	struct buf p = BUF_INIT, want = BUF_INIT;
	char *end;
	unsigned long v;
	int ok = 1, e2;

	if (strncmp(name, "part_", 5) != 0 || name[5] < '1' || name[5] > '9')
		return 0;
	v = strtoul(name + 5, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return 0;
	*k = (unsigned)v;
	buf_printf(&p, "%s/%s", dir, name);
	if ((d = opendir(buf_cstr(&p))) == NULL) {
		buf_free(&p);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		for (e2 = 0; e2 < SPLIT_NENT; e2++) {
			buf_reset(&want);
			buf_printf(&want, "%s_%lu.json", ent_file[e2], v);
			if (strcmp(e->d_name, buf_cstr(&want)) == 0)
				break;
		}
		if (e2 == SPLIT_NENT)
			ok = 0;
	}
	closedir(d);
	buf_free(&p);
	buf_free(&want);
	return ok;
}

/* Remove leftovers of interrupted runs (before) or parts beyond N (after). */
static void
tidy(const char *dir, unsigned parts, int after)
{
	DIR *d;
	struct dirent *e;
	struct buf p = BUF_INIT;
	unsigned k;

	if ((d = opendir(dir)) == NULL)
		die(EX_CANTCREAT, "%s:", dir);
	while ((e = readdir(d)) != NULL) {
		buf_reset(&p);
		buf_printf(&p, "%s/%s", dir, e->d_name);
		if (!after && stale_name(e->d_name))
			rmtree(buf_cstr(&p));
		else if (after && our_part(dir, e->d_name, &k) && k > parts)
			rmtree(buf_cstr(&p));
	}
	closedir(d);
	buf_free(&p);
}

static void
mkdirs(const char *path)
{
	char *p = estrdup(path), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				die(EX_CANTCREAT, "cannot create %s:", p);
			*s = c;
			if (c == '\0')
				break;
		}
	}
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		die(EX_CANTCREAT, "%s: not a folder", path);
	free(p);
}

/* ---- spools ------------------------------------------------------------ */

static void
spool_open(struct spool *s, const char *dir)
{
	struct buf p = BUF_INIT;
	int fd;

	buf_printf(&p, "%s/.json-split.XXXXXX", dir);
	if ((fd = (buf_cstr(&p), mkstemp(p.p))) < 0)
		die(EX_CANTCREAT, "cannot create a temporary file in %s:", dir);
	/* unlinked at once: nothing is left behind, whatever happens */
	if (unlink(p.p) != 0)
		die(EX_CANTCREAT, "%s:", p.p);
	if ((s->fp = fdopen(fd, "w+")) == NULL)
		die(EX_OSERR, "fdopen:");
	setvbuf(s->fp, NULL, _IOFBF, 1 << 20);
	s->len = 0;
	buf_free(&p);
}

static void
spool_put(struct spool *s, const void *p, size_t n)
{
	if (n > 0 && fwrite(p, 1, n, s->fp) != n)
		die(EX_IOERR, "temporary file: write error:");
	s->len += n;
}

static void
spool_rewind(struct spool *s)
{
	if (fflush(s->fp) == EOF || fseeko(s->fp, 0, SEEK_SET) != 0)
		die(EX_IOERR, "temporary file:");
}

static void
spool_read(struct spool *s, void *p, size_t n)
{
	if (n > 0 && fread(p, 1, n, s->fp) != n)
		die(EX_IOERR, "temporary file: read error:");
}

/* Random access: pread, so the stdio buffer is not refilled for every record. */
static void
spool_pread(struct spool *s, void *p, size_t n, uint64_t off)
{
	char *q = p;
	ssize_t k;

	while (n > 0) {
		k = pread(fileno(s->fp), q, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die(EX_IOERR, "temporary file: read error:");
		q += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
}

/* ---- pass 1: read ------------------------------------------------------ */

static void
add_record(struct split *s, int ent)
{
	struct splitrec *r = &s->rec;
	struct spool *sp = &s->sp[ent];
	uint32_t hdr[2], cslot = SPLIT_NONE, lslot = SPLIT_NONE;

	if (s->text.len > UINT32_MAX)
		die(EX_DATAERR, "a record is larger than 4 GiB");
	if (r->cidlen > 0 && ent != SPLIT_PAYMENT)
		cslot = keytab_intern(&s->clients, r->key.p, r->cidlen, NULL);
	if (r->has_loan && ent != SPLIT_CLIENT)
		lslot = keytab_intern(&s->loans, r->key.p, r->key.len, NULL);
	s->count[ent]++;

	switch (ent) {
	case SPLIT_CLIENT:
		if (cslot == SPLIT_NONE)
			s->keyless_clients++;
		hdr[0] = cslot;
		hdr[1] = (uint32_t)s->text.len;
		spool_put(sp, hdr, sizeof hdr);
		break;
	case SPLIT_LOAN:
		if (s->nl == UINT32_MAX - 1)
			die(EX_DATAERR, "more than 4 billion loans");
		if (s->nl == s->capl) {
			s->capl = s->capl ? s->capl * 2 : 4096;
			s->lr = ereallocarray(s->lr, s->capl, sizeof *s->lr);
		}
		s->lr[s->nl++] = (struct loanrec){
			.off = sp->len, .len = (uint32_t)s->text.len, .slot = lslot,
			.client = cslot, .day = r->day, .dated = r->has_day != 0,
		};
		if (!r->has_day)
			s->undated++;
		break;
	case SPLIT_PAYMENT:
		if (s->o->seed) {
			/* pandas grouped payments by loan in order of first appearance */
			uint32_t g = UINT32_MAX;

			if (lslot != SPLIT_NONE) {
				if (lslot >= s->ngroupcap) {
					uint32_t n = s->loans.cap;

					s->slot_group = ereallocarray(s->slot_group, n, sizeof *s->slot_group);
					memset(s->slot_group + s->ngroupcap, 0,
					    (size_t)(n - s->ngroupcap) * sizeof *s->slot_group);
					s->ngroupcap = n;
				}
				if (s->slot_group[lslot] == 0)
					s->slot_group[lslot] = ++s->ngroups;
				g = s->slot_group[lslot] - 1;
			}
			if (s->npr == s->cappr) {
				s->cappr = s->cappr ? s->cappr * 2 : 4096;
				s->pr = ereallocarray(s->pr, s->cappr, sizeof *s->pr);
			}
			s->pr[s->npr] = (struct payref){ .off = sp->len, .group = g, .seq = s->npr };
			s->npr++;
		}
		hdr[0] = lslot;
		hdr[1] = (uint32_t)s->text.len;
		spool_put(sp, hdr, sizeof hdr);
		break;
	}
	spool_put(sp, s->text.p, s->text.len);
}

static void
read_input(struct split *s, FILE *fp, const char *name, int ent)
{
	struct jrec_reader r;
	const char *rec;
	size_t len;
	char err[200];
	int k, e;

	jrec_open(&r, fp, MAX_RECORD);
	while ((k = jrec_next(&r, &rec, &len)) == 1) {
		if (r.truncated)
			die(EX_DATAERR, "%s: record %lld (line %llu): larger than %zu bytes",
			    name, r.recno, (unsigned long long)r.line, MAX_RECORD);
		buf_reset(&s->text);
		if (split_record(&s->j, rec, len, &s->text, &s->rec, err, sizeof err) != 0)
			die(EX_DATAERR, "%s: record %lld (line %llu): %s",
			    name, r.recno, (unsigned long long)r.line, err);
		e = ent;
		if (e < 0 && (e = s->rec.entity) < 0)
			die(EX_DATAERR, "%s: record %lld (line %llu): no \"_entity\" member "
			    "(stdin must be the tagged stream of gen-clients; give a folder for the three files)",
			    name, r.recno, (unsigned long long)r.line);
		add_record(s, e);
	}
	if (k < 0) {
		if (ferror(fp))
			die(EX_IOERR, "%s: %s", name, r.err);
		die(EX_DATAERR, "%s: %s", name, r.err);
	}
	jrec_close(&r);
}

/* ---- ranking ----------------------------------------------------------- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_payref(const void *a, const void *b)
{
	const struct payref *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rank the loans; returns the order to write them in (dated by rank, then undated). */
static uint32_t *
rank_loans(struct split *s)
{
	unsigned N = s->o->parts;
	uint32_t *dpos, *idx, *order, nd = 0, i, k, c, nc = s->clients.n;
	int32_t *day;

	dpos = ereallocarray(NULL, s->nl ? s->nl : 1, sizeof *dpos);
	day = ereallocarray(NULL, s->nl ? s->nl : 1, sizeof *day);
	idx = ereallocarray(NULL, s->nl ? s->nl : 1, sizeof *idx);
	order = ereallocarray(NULL, s->nl ? s->nl : 1, sizeof *order);
	for (i = 0; i < s->nl; i++)
		if (s->lr[i].dated) {
			dpos[nd] = i;
			day[nd++] = s->lr[i].day;
		}
	if (s->o->seed)
		split_order_seed(day, nd, idx);
	else
		split_order_stable(day, nd, idx);
	for (k = 0; k < nd; k++) {
		order[k] = dpos[idx[k]];
		s->lr[order[k]].part = split_part_of(k, nd, N, s->o->seed);
	}
	for (i = 0; i < s->nl; i++)
		if (!s->lr[i].dated) {
			order[k++] = i;
			s->lr[i].part = N;	/* no usable start date: the last part */
		}
	free(dpos);
	free(day);
	free(idx);

	/* a loan key's payments follow its earliest copy; keys without a loan: last part */
	s->slot_part = ereallocarray(NULL, s->loans.n ? s->loans.n : 1, sizeof *s->slot_part);
	for (i = 0; i < s->loans.n; i++)
		s->slot_part[i] = ORPHAN;
	for (i = 0; i < s->nl; i++)
		if (s->lr[i].slot != SPLIT_NONE && s->lr[i].part < s->slot_part[s->lr[i].slot])
			s->slot_part[s->lr[i].slot] = s->lr[i].part;

	/* clients: the parts of their loans (counting sort by client id) */
	s->cstart = ecalloc((size_t)nc + 2, sizeof *s->cstart);
	for (i = 0; i < s->nl; i++)
		if (s->lr[i].client != SPLIT_NONE)
			s->cstart[s->lr[i].client + 2]++;
	for (c = 0; c < nc; c++)
		s->cstart[c + 2] += s->cstart[c + 1];
	s->cparts = ereallocarray(NULL, s->nl ? s->nl : 1, sizeof *s->cparts);
	for (i = 0; i < s->nl; i++)
		if (s->lr[i].client != SPLIT_NONE)
			s->cparts[s->cstart[s->lr[i].client + 1]++] = s->lr[i].part;
	/* now cstart[c] .. cstart[c+1] is client c's range; sort each */
	for (c = 0; c < nc; c++)
		qsort(s->cparts + s->cstart[c], s->cstart[c + 1] - s->cstart[c],
		    sizeof *s->cparts, cmp_u32);

	if (s->o->seed && s->npr > 0)
		qsort(s->pr, s->npr, sizeof *s->pr, cmp_payref);
	return order;
}

/* ---- pass 2: write ----------------------------------------------------- */

struct out {
	FILE *fp;
	int first;
	char *path;
};

static void
out_put(struct out *o, const char *text, size_t len)
{
	if (fputs(o->first ? "\n" : ",\n", o->fp) == EOF ||
	    (len > 0 && fwrite(text, 1, len, o->fp) != len))
		die(EX_IOERR, "%s: write error:", o->path);
	o->first = 0;
}

/* Send one record to the parts it belongs to within [a, b]. */
static void
route(struct out *outs, unsigned a, unsigned b, unsigned N, int delta,
    const uint32_t *parts, size_t nparts, const char *text, size_t len)
{
	unsigned p, prev = 0;
	size_t i;

	if (!delta) {
		/* cumulative: every part from the first one on */
		for (p = parts[0] > a ? parts[0] : a; p <= b && p <= N; p++)
			out_put(&outs[p - a], text, len);
		return;
	}
	for (i = 0; i < nparts; i++) {
		p = parts[i];
		if (p == prev || p < a || p > b)
			continue;
		out_put(&outs[p - a], text, len);
		prev = p;
	}
}

/* The first part of a payment of loan key `slot`; counts orphans once. */
static uint32_t
payment_part(struct split *s, uint32_t slot, unsigned a)
{
	if (slot != SPLIT_NONE && s->slot_part[slot] != ORPHAN)
		return s->slot_part[slot];
	if (a == 1)
		s->orphans++;
	return s->o->parts;	/* its loan is not in the input: the last part */
}

static void
write_entity(struct split *s, int ent, const uint32_t *order, unsigned a, unsigned b)
{
	struct spool *sp = &s->sp[ent];
	struct out *outs = ecalloc(b - a + 1, sizeof *outs);
	unsigned N = s->o->parts, p;
	uint32_t hdr[2], one, i, part, last = N;
	uint64_t n;

	for (p = a; p <= b; p++) {
		struct out *o = &outs[p - a];
		struct buf path = BUF_INIT;

		buf_printf(&path, "%s/%s_%u.json", tmpdirs[p - 1], ent_file[ent], p);
		o->path = estrdup(buf_cstr(&path));
		buf_free(&path);
		if ((o->fp = fopen(o->path, "w")) == NULL)
			die(EX_CANTCREAT, "cannot create %s:", o->path);
		setvbuf(o->fp, NULL, _IOFBF, 1 << 16);
		o->first = 1;
		if (fputc('[', o->fp) == EOF)
			die(EX_IOERR, "%s: write error:", o->path);
	}

	spool_rewind(sp);
	if (ent == SPLIT_LOAN) {
		for (i = 0; i < s->nl; i++) {
			const struct loanrec *l = &s->lr[order[i]];

			buf_reset(&s->text);
			buf_reserve(&s->text, l->len);
			spool_pread(sp, s->text.p, l->len, l->off);
			one = l->part;
			route(outs, a, b, N, s->o->delta, &one, 1, s->text.p, l->len);
		}
	} else if (ent == SPLIT_PAYMENT && s->o->seed) {
		for (i = 0; i < s->npr; i++) {
			spool_pread(sp, hdr, sizeof hdr, s->pr[i].off);
			buf_reset(&s->text);
			buf_reserve(&s->text, hdr[1]);
			spool_pread(sp, s->text.p, hdr[1], s->pr[i].off + sizeof hdr);
			one = payment_part(s, hdr[0], a);
			route(outs, a, b, N, s->o->delta, &one, 1, s->text.p, hdr[1]);
		}
	} else {
		for (n = 0; n < s->count[ent]; n++) {
			spool_read(sp, hdr, sizeof hdr);
			buf_reset(&s->text);
			buf_reserve(&s->text, hdr[1]);
			spool_read(sp, s->text.p, hdr[1]);
			if (ent == SPLIT_PAYMENT) {
				one = payment_part(s, hdr[0], a);
				route(outs, a, b, N, s->o->delta, &one, 1, s->text.p, hdr[1]);
			} else if (hdr[0] == SPLIT_NONE ||
			    s->cstart[hdr[0]] == s->cstart[hdr[0] + 1]) {
				/* a client without loans (or without a client_id): the last part */
				route(outs, a, b, N, s->o->delta, &last, 1, s->text.p, hdr[1]);
			} else {
				part = s->cstart[hdr[0]];
				route(outs, a, b, N, s->o->delta, s->cparts + part,
				    s->cstart[hdr[0] + 1] - part, s->text.p, hdr[1]);
			}
		}
	}

	for (p = a; p <= b; p++) {
		struct out *o = &outs[p - a];

		if (fputs(o->first ? "]" : "\n]", o->fp) == EOF)
			die(EX_IOERR, "%s: write error:", o->path);
		if (fshut(o->fp, o->path) != 0)
			die(EX_IOERR, "%s: cannot write the part", o->path);
		free(o->path);
	}
	free(outs);
}

/* ---- publish ----------------------------------------------------------- */

static void
publish(const struct split_opts *o)
{
	struct buf final = BUF_INIT, old = BUF_INIT;
	struct stat st;
	unsigned i;

	for (i = 0; i < o->parts; i++) {
		buf_reset(&final);
		buf_printf(&final, "%s/part_%u", o->outdir, i + 1);
		if (lstat(buf_cstr(&final), &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				die(EX_CANTCREAT, "%s exists and is not a folder", final.p);
			/* move the old part aside (onto an empty folder), then replace it */
			buf_reset(&old);
			buf_printf(&old, "%s/part_%u.old.XXXXXX", o->outdir, i + 1);
			if ((buf_cstr(&old), mkdtemp(old.p)) == NULL)
				die(EX_CANTCREAT, "cannot create %s:", old.p);
			if (rename(final.p, old.p) != 0)
				die(EX_CANTCREAT, "cannot move %s aside:", final.p);
		} else
			buf_reset(&old);
		if (rename(tmpdirs[i], final.p) != 0)
			die(EX_CANTCREAT, "cannot rename %s to %s:", tmpdirs[i], final.p);
		free(tmpdirs[i]);
		tmpdirs[i] = NULL;
		if (old.len > 0)
			rmtree(old.p);
	}
	buf_free(&final);
	buf_free(&old);
}

static FILE *
open_input(const char *path)
{
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		die(EX_NOINPUT, "%s:", path);
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

int
split_run(const struct split_opts *o)
{
	struct split s;
	FILE *in[SPLIT_NENT] = {NULL, NULL, NULL}, *stream = NULL;
	const char *sname = "<stdin>";
	struct buf path = BUF_INIT;
	struct stat st;
	uint32_t *order;
	unsigned i, a, b;
	mode_t mask;
	int e;

	memset(&s, 0, sizeof s);
	s.o = o;
	keytab_init(&s.clients);
	keytab_init(&s.loans);

	/* inputs first (66), then the output folder (73), before reading a byte */
	if (o->input == NULL || strcmp(o->input, "-") == 0)
		stream = stdin;
	else if (stat(o->input, &st) != 0)
		die(EX_NOINPUT, "%s:", o->input);
	else if (S_ISDIR(st.st_mode)) {
		for (e = 0; e < SPLIT_NENT; e++) {
			buf_reset(&path);
			buf_printf(&path, "%s/%s.json", o->input, ent_file[e]);
			in[e] = open_input(buf_cstr(&path));
		}
	} else {
		stream = open_input(o->input);
		sname = o->input;
	}
	mkdirs(o->outdir);
	tidy(o->outdir, o->parts, 0);
	for (e = 0; e < SPLIT_NENT; e++)
		spool_open(&s.sp[e], o->outdir);

	/* pass 1 */
	if (stream != NULL) {
		read_input(&s, stream, sname, -1);
		if (stream != stdin)
			fclose(stream);
	} else {
		for (e = 0; e < SPLIT_NENT; e++) {
			buf_reset(&path);
			buf_printf(&path, "%s/%s.json", o->input, ent_file[e]);
			read_input(&s, in[e], buf_cstr(&path), e);
			fclose(in[e]);
		}
	}
	order = rank_loans(&s);

	/* pass 2: every part into its own temporary folder */
	tmpdirs = ecalloc(o->parts, sizeof *tmpdirs);
	atexit(cleanup);
	mask = umask(0);
	umask(mask);
	for (i = 0; i < o->parts; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/part_%u.tmp.XXXXXX", o->outdir, i + 1);
		if ((buf_cstr(&path), mkdtemp(path.p)) == NULL)
			die(EX_CANTCREAT, "cannot create %s:", path.p);
		tmpdirs[i] = estrdup(path.p);
		ntmpdirs = i + 1;
		if (chmod(tmpdirs[i], 0777 & ~mask) != 0)
			die(EX_CANTCREAT, "%s:", tmpdirs[i]);
	}
	for (a = 1; a <= o->parts; a += BATCH) {
		b = a + BATCH - 1 < o->parts ? a + BATCH - 1 : o->parts;
		for (e = 0; e < SPLIT_NENT; e++)
			write_entity(&s, e, order, a, b);
	}
	publish(o);
	tidy(o->outdir, o->parts, 1);

	if (s.undated > 0)
		warnf("%llu loan(s) without a usable loan_start_date: put in the last part",
		    (unsigned long long)s.undated);
	if (s.orphans > 0)
		warnf("%llu payment(s) of loans not in the input: put in the last part",
		    (unsigned long long)s.orphans);
	if (o->verbose)
		fprintf(stderr, "%s: %u parts in %s: %llu clients, %llu loans, %llu payments; "
		    "index %zu KiB\n", progname, o->parts, o->outdir,
		    (unsigned long long)s.count[SPLIT_CLIENT], (unsigned long long)s.count[SPLIT_LOAN],
		    (unsigned long long)s.count[SPLIT_PAYMENT],
		    (keytab_bytes(&s.clients) + keytab_bytes(&s.loans) +
		    (size_t)s.capl * sizeof *s.lr) / 1024);

	for (e = 0; e < SPLIT_NENT; e++)
		fclose(s.sp[e].fp);
	free(order);
	free(s.lr);
	free(s.slot_part);
	free(s.slot_group);
	free(s.pr);
	free(s.cstart);
	free(s.cparts);
	free(tmpdirs);
	tmpdirs = NULL;
	ntmpdirs = 0;
	keytab_free(&s.clients);
	keytab_free(&s.loans);
	jtok_free(&s.j);
	buf_free(&s.text);
	buf_free(&s.rec.key);
	buf_free(&path);
	return 0;
}
