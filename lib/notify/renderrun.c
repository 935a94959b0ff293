/* renderrun.c - notify-render: a plan in, SMS, e-mail, a call list and letters out (renderrun.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "json/jsonout.h"
#include "money.h"
#include "notify/law.h"
#include "notify/policy.h"
#include "notify/render.h"
#include "notify/renderrun.h"
#include "notify/tz.h"
#include "db/sql.h"
#include "tsv.h"
#include "util.h"
#include "slurp.h"

/* --- the plan ------------------------------------------------------------------*/

enum col {
	C_CLIENT, C_CHANNEL, C_STEP, C_WSTART, C_WEND, C_TZ, C_LOANS, C_ARREARS,
	C_MAXDPD, C_PRIORITY, C_CONTACT, C_FIO, C_PHONE, C_EMAIL, C_ADDRESS, NCOL
};

static const char *const colnames[NCOL] = {
	"client_id", "channel", "step", "window_start", "window_end", "tz", "loans",
	"arrears", "max_dpd", "priority", "contact_id", "fio", "phone", "email", "address",
};

#define NODAY INT32_MIN
#define NOCONTACT (-1)
/* the zone a window is written in when the client's is unknown */
#define ANYWHERE_ZONE "Europe/Moscow"

struct tmpl {
	char *file;		/* "sms-overdue.txt" */
	char *src;		/* where it came from, for messages */
	const char *text;	/* NULL: no such template */
	char *owned;		/* text read from a file */
};

struct row {
	long line;
	char *f[NCOL];
	int64_t contact, arrears, max_dpd;
	enum channel ch;
	int predue;
	int32_t sday, eday, due;
	int smin, emin;
	const char *zone;
	char phone[20];		/* E.164, for sms and call */
	const char *reject;	/* why it cannot go out, or NULL */
	const struct tmpl *t;
	size_t seq;		/* input order */
	int64_t nb, na;		/* the window as UTC instants */
};

struct ctx {
	const struct render_opts *o;
	struct policy pol;
	struct tmpl **tm;	/* each allocated on its own: rows point at them */
	size_t ntm;
	struct row *rows;
	size_t nrows;
	const char *from_domain;
	char **fields;		/* a plan line's, split */
};

__attribute__((format(printf, 2, 3))) noreturn static void
bad_line(long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	die(EX_DATAERR, "line %ld: %s", line, msg);
}

/* "YYYY-MM-DDTHH:MM" */
static int
parse_local(const char *s, int32_t *day, int *minute)
{
	int h, m;

	if (strlen(s) != 16 || s[10] != 'T' || s[13] != ':' || date_parse(s, 10, day) != 0)
		return -1;
	for (int i = 11; i < 16; i++)
		if (i != 13 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[11] - '0') * 10 + s[12] - '0';
	m = (s[14] - '0') * 10 + s[15] - '0';
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	*minute = h * 60 + m;
	return 0;
}

/* An IANA zone tzdata has a file for (tz.c dies on an unknown one, without
 * the line number). */
static int
zone_known(const char *z)
{
	const char *dir = getenv("TZDIR");
	char path[1024];
	struct stat st;

	if (*z == '\0' || *z == '/' || strstr(z, "..") != NULL)
		return 0;
	for (const char *p = z; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_-+", *p) != NULL))
			return 0;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (snprintf(path, sizeof path, "%s/%s", dir, z) >= (int)sizeof path)
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
parse_row(struct row *r, const size_t *idx, size_t due_idx, char **f)
{
	int64_t v;
	enum money_err me;
	long line = r->line;

	for (int k = 0; k < NCOL; k++)
		r->f[k] = f[idx[k]];
	/* none in a plan made with --dry-run: it can be looked at, not sent */
	if (r->f[C_CONTACT][0] == '\0')
		r->contact = NOCONTACT;
	else if (parse_int64(r->f[C_CONTACT], 0, INT64_MAX, &r->contact) != 0)
		bad_line(line, "contact_id '%s' is not a number", r->f[C_CONTACT]);
	if (parse_int64(r->f[C_CLIENT], INT64_MIN, INT64_MAX, &v) != 0)
		bad_line(line, "client_id '%s' is not a number", r->f[C_CLIENT]);
	if (channel_parse(r->f[C_CHANNEL], &r->ch) != 0)
		bad_line(line, "unknown channel '%s' (sms, email, call or letter)", r->f[C_CHANNEL]);
	if (strcmp(r->f[C_STEP], "predue") == 0)
		r->predue = 1;
	else if (strncmp(r->f[C_STEP], "dpd", 3) != 0 ||
	    parse_int64(r->f[C_STEP] + 3, 0, 1000000, &v) != 0)
		bad_line(line, "step '%s' is neither predue nor dpd<N>", r->f[C_STEP]);
	if (parse_local(r->f[C_WSTART], &r->sday, &r->smin) != 0)
		bad_line(line, "window_start '%s' is not YYYY-MM-DDTHH:MM", r->f[C_WSTART]);
	if (parse_local(r->f[C_WEND], &r->eday, &r->emin) != 0)
		bad_line(line, "window_end '%s' is not YYYY-MM-DDTHH:MM", r->f[C_WEND]);
	if (strcmp(r->f[C_TZ], "unknown") == 0)
		r->zone = ANYWHERE_ZONE;
	else if (zone_known(r->f[C_TZ]))
		r->zone = r->f[C_TZ];
	else
		bad_line(line, "tz '%s' is not a time zone tzdata knows (or 'unknown')", r->f[C_TZ]);
	me = money_parse(r->f[C_ARREARS], strlen(r->f[C_ARREARS]), &r->arrears);
	if (me != MONEY_OK || r->f[C_ARREARS][0] == '\0')
		bad_line(line, "arrears '%s': %s", r->f[C_ARREARS],
		    r->f[C_ARREARS][0] == '\0' ? "empty" : money_strerror(me));
	if (parse_int64(r->f[C_MAXDPD], 0, 1000000, &r->max_dpd) != 0)
		bad_line(line, "max_dpd '%s' is not a number of days", r->f[C_MAXDPD]);
	if (parse_int64(r->f[C_PRIORITY], INT64_MIN, INT64_MAX, &v) != 0)
		bad_line(line, "priority '%s' is not a number", r->f[C_PRIORITY]);
	r->due = NODAY;
	if (due_idx != (size_t)-1 && f[due_idx][0] != '\0' &&
	    (strlen(f[due_idx]) != 10 || date_parse(f[due_idx], 10, &r->due) != 0))
		bad_line(line, "due_date '%s' is not YYYY-MM-DD", f[due_idx]);
	/* what the channel needs of the contact data */
	r->reject = NULL;
	switch (r->ch) {
	case CH_SMS:
	case CH_CALL:
		if (phone_e164(r->f[C_PHONE], r->phone) != 0)
			r->reject = "no usable phone number";
		break;
	case CH_EMAIL:
		if (!mail_addr_ok(r->f[C_EMAIL]))
			r->reject = "no usable e-mail address";
		break;
	default:
		if (r->f[C_ADDRESS][0] == '\0')
			r->reject = "no postal address";
		break;
	}
}

struct idline {
	int64_t id;
	long line;
};

static int
by_contact(const void *a, const void *b)
{
	const struct idline *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->line > y->line) - (x->line < y->line);
}

static void
read_plan(struct ctx *c, FILE *in, struct buf *text)
{
	char *hdr[64], **f;
	size_t nh, idx[NCOL], due_idx = (size_t)-1, cap = 0, nids;
	char *p, *nl;
	long line = 1;
	struct idline *ids;

	for (;;) {
		size_t n;

		buf_reserve(text, 65536);
		n = fread(text->p + text->len, 1, text->cap - text->len, in);
		text->len += n;
		if (n == 0)
			break;
	}
	if (ferror(in))
		die(EX_IOERR, "cannot read the plan:");
	if (memchr(text->p, '\0', text->len) != NULL)
		die(EX_DATAERR, "the plan holds a NUL byte");
	if (text->len == 0)
		die(EX_DATAERR, "line 1: no header line (an empty plan is just its header)");
	if (text->p[text->len - 1] != '\n')
		buf_putc(text, '\n');
	buf_cstr(text);
	p = text->p;
	nl = strchr(p, '\n');
	*nl = '\0';
	nh = (size_t)tsv_split(p, hdr, 64);
	if (nh > 64)
		die(EX_DATAERR, "line 1: more than 64 columns");
	for (int k = 0; k < NCOL; k++) {
		idx[k] = (size_t)-1;
		for (size_t i = 0; i < nh; i++)
			if (strcmp(hdr[i], colnames[k]) == 0) {
				if (idx[k] != (size_t)-1)
					die(EX_DATAERR, "line 1: column %s named twice", colnames[k]);
				idx[k] = i;
			}
		if (idx[k] == (size_t)-1)
			die(EX_DATAERR, "line 1: no column %s (is this notify-plan's TSV?)", colnames[k]);
	}
	for (size_t i = 0; i < nh; i++)
		if (strcmp(hdr[i], "due_date") == 0)
			due_idx = i;
	f = c->fields = emalloc(nh * sizeof *f);
	for (p = nl + 1; *p != '\0'; p = nl + 1) {
		size_t n;

		line++;
		nl = strchr(p, '\n');
		*nl = '\0';
		n = (size_t)tsv_split(p, f, (int)nh);
		if (n != nh)
			die(EX_DATAERR, "line %ld: %zu fields, the header has %zu", line, n, nh);
		for (size_t i = 0; i < nh; i++) {
			long len;

			if (tsv_is_null(f[i], strlen(f[i]))) {
				f[i][0] = '\0';
				continue;
			}
			len = tsv_unescape(f[i], strlen(f[i]));
			if (len < 0)
				die(EX_DATAERR, "line %ld: a bad backslash escape in column %s", line, hdr[i]);
			f[i][len] = '\0';
		}
		if (c->nrows == cap) {
			cap = cap ? 2 * cap : 256;
			c->rows = ereallocarray(c->rows, cap, sizeof *c->rows);
		}
		struct row *r = &c->rows[c->nrows];

		memset(r, 0, sizeof *r);
		r->line = line;
		r->seq = c->nrows;
		parse_row(r, idx, due_idx, f);
		c->nrows++;
	}
	free(f);
	c->fields = NULL;
	/* a contact is one message: its id names its files */
	ids = emalloc((c->nrows + 1) * sizeof *ids);
	nids = 0;
	for (size_t i = 0; i < c->nrows; i++)
		if (c->rows[i].contact != NOCONTACT)
			ids[nids].id = c->rows[i].contact, ids[nids++].line = c->rows[i].line;
	qsort(ids, nids, sizeof *ids, by_contact);
	for (size_t i = 1; i < nids; i++)
		if (ids[i].id == ids[i - 1].id) {
			struct idline a = ids[i - 1], b = ids[i];

			free(ids);
			die(EX_DATAERR, "line %ld: contact_id %lld again (line %ld)", b.line,
			    (long long)b.id, a.line);
		}
	free(ids);
}

/* --- templates ---------------------------------------------------------------*/

static const char *const varnames[] = {
	"client_id", "contact_id", "channel", "step", "fio", "given_names", "phone", "email",
	"address", "loans", "loans_count", "loans_phrase", "arrears", "arrears_plain", "max_dpd",
	"max_dpd_days", "window_start", "window_end", "tz", "contact_date", "due_date",
	"creditor_name", "creditor_phone",
};
#define NVARS (sizeof varnames / sizeof varnames[0])

/* A template file (NULL when there is none), CRLF line ends (an editor's) as
 * LF: a call script's lines stay inside its CSV row. */
static char *
read_template(const char *path, int *missing)
{
	char *s = slurp(path, 1);
	size_t o = 0;

	*missing = s == NULL;
	if (s == NULL)
		return NULL;
	for (size_t i = 0; s[i] != '\0'; i++)
		if (!(s[i] == '\r' && s[i + 1] == '\n'))
			s[o++] = s[i];
	s[o] = '\0';
	return s;
}

/* Check a template by filling it with every variable. */
static void
check_tmpl(const struct tmpl *t, enum channel ch)
{
	struct rvar v[NVARS];
	struct buf out = BUF_INIT;
	char err[RENDER_ERRSZ];

	for (size_t i = 0; i < NVARS; i++)
		v[i].name = varnames[i], v[i].value = "x";
	if (render_fill(t->text, v, NVARS, &out, err) != 0)
		die(EX_DATAERR, "%s: %s", t->src, err);
	if (ch == CH_EMAIL) {
		const char *s = buf_cstr(&out), *nl = strchr(s, '\n');

		if (nl == NULL || nl == s || nl[1] != '\n')
			die(EX_DATAERR, "%s: an e-mail template is the Subject line, an empty line, "
			    "then the body", t->src);
	}
	buf_free(&out);
}

/* The template file `file`: from the --templates folder, else compiled in, else NULL. */
static const struct tmpl *
tmpl_file(struct ctx *c, const char *file, enum channel ch)
{
	struct tmpl *t;
	char path[4096];
	int missing = 1;

	for (size_t i = 0; i < c->ntm; i++)
		if (strcmp(c->tm[i]->file, file) == 0)
			return c->tm[i];
	c->tm = ereallocarray(c->tm, c->ntm + 1, sizeof *c->tm);
	t = c->tm[c->ntm++] = emalloc(sizeof *t);
	t->file = estrdup(file);
	t->text = NULL;
	t->src = NULL;
	t->owned = NULL;
	if (c->o->templates != NULL) {
		if (snprintf(path, sizeof path, "%s/%s", c->o->templates, file) >= (int)sizeof path)
			die(EX_USAGE, "--templates: folder name too long");
		t->text = t->owned = read_template(path, &missing);
		if (!missing)
			t->src = estrdup(path);
	}
	if (missing) {
		snprintf(path, sizeof path, "etc/templates/%s", file);
		for (size_t i = 0; i < sql_nfiles; i++)
			if (strcmp(sql_files[i].name, path) == 0) {
				t->text = sql_files[i].text;
				t->src = estrdup(path);
			}
	}
	if (t->text != NULL)
		check_tmpl(t, ch);
	return t;
}

/* A row's template: CHANNEL-STEP.txt, CHANNEL-predue.txt or CHANNEL-overdue.txt,
 * and for calls call-script.txt. */
static const struct tmpl *
tmpl_for(struct ctx *c, const struct row *r)
{
	char f[3][64];
	int n = 0;
	const struct tmpl *t;

	snprintf(f[n++], sizeof f[0], "%s-%s.txt", channel_name(r->ch), r->f[C_STEP]);
	if (!r->predue)
		snprintf(f[n++], sizeof f[0], "%s-overdue.txt", channel_name(r->ch));
	if (r->ch == CH_CALL)
		snprintf(f[n++], sizeof f[0], "call-script.txt");
	for (int i = 0; i < n; i++) {
		t = tmpl_file(c, f[i], r->ch);
		if (t->text != NULL)
			return t;
	}
	die(EX_DATAERR, "line %ld: no template for %s step %s (%s%s%s)", r->line,
	    channel_name(r->ch), r->f[C_STEP], f[0], n > 1 ? ", " : "", n > 1 ? f[1] : "");
}

/* --- filling a row's template --------------------------------------------------*/

struct vals {
	struct buf given, loans, count, phrase, arrears, plain, dpd, days, cdate, due;
	struct rvar v[NVARS];
};

static void
set_vars(const struct ctx *c, const struct row *r, struct vals *x)
{
	const char *fio = r->f[C_FIO], *sp;
	char m[MONEY_BUFSZ];
	int nloans = 0;

	buf_reset(&x->given), buf_reset(&x->loans), buf_reset(&x->count), buf_reset(&x->phrase);
	buf_reset(&x->arrears), buf_reset(&x->plain), buf_reset(&x->dpd), buf_reset(&x->days);
	buf_reset(&x->cdate), buf_reset(&x->due);
	/* "Фамилия Имя Отчество" -> "Имя Отчество", the polite address */
	sp = strchr(fio, ' ');
	while (sp != NULL && *sp == ' ')
		sp++;
	buf_puts(&x->given, sp != NULL && *sp != '\0' ? sp : fio);
	for (const char *p = r->f[C_LOANS]; *p != '\0';) {
		const char *e = strchr(p, ',');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		while (len > 0 && *p == ' ')
			p++, len--;
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len > 0) {
			if (nloans++ > 0)
				buf_puts(&x->loans, ", ");
			buf_put(&x->loans, p, len);
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	buf_printf(&x->count, "%d", nloans);
	if (nloans > 0)
		buf_printf(&x->phrase, "по %s %s", nloans == 1 ? "договору" : "договорам",
		    buf_cstr(&x->loans));
	ru_money(&x->arrears, r->arrears);
	money_format(r->arrears, m);
	buf_puts(&x->plain, m);
	buf_printf(&x->dpd, "%lld", (long long)r->max_dpd);
	buf_printf(&x->days, "%lld %s", (long long)r->max_dpd,
	    ru_plural(r->max_dpd, "день", "дня", "дней"));
	ru_date(&x->cdate, r->sday);
	if (r->due != NODAY)
		ru_date(&x->due, r->due);
	else if (r->predue)	/* the plan did not say: the policy's horizon */
		buf_printf(&x->due, "в ближайшие %d %s", c->pol.predue_days,
		    ru_plural(c->pol.predue_days, "день", "дня", "дней"));
	const char *val[NVARS] = {
		r->f[C_CLIENT], r->f[C_CONTACT], r->f[C_CHANNEL], r->f[C_STEP], fio,
		buf_cstr(&x->given), r->f[C_PHONE], r->f[C_EMAIL], r->f[C_ADDRESS],
		buf_cstr(&x->loans), buf_cstr(&x->count), buf_cstr(&x->phrase),
		buf_cstr(&x->arrears), buf_cstr(&x->plain), buf_cstr(&x->dpd), buf_cstr(&x->days),
		r->f[C_WSTART], r->f[C_WEND], r->f[C_TZ], buf_cstr(&x->cdate), buf_cstr(&x->due),
		c->pol.creditor_name, c->pol.creditor_phone,
	};
	for (size_t i = 0; i < NVARS; i++)
		x->v[i].name = varnames[i], x->v[i].value = val[i];
}

static void
vals_free(struct vals *x)
{
	buf_free(&x->given), buf_free(&x->loans), buf_free(&x->count), buf_free(&x->phrase);
	buf_free(&x->arrears), buf_free(&x->plain), buf_free(&x->dpd), buf_free(&x->days);
	buf_free(&x->cdate), buf_free(&x->due);
}

/* Fill r's template into out, trailing white space removed. */
static void
fill(const struct ctx *c, const struct row *r, struct vals *x, struct buf *out)
{
	char err[RENDER_ERRSZ];

	set_vars(c, r, x);
	buf_reset(out);
	if (render_fill(r->t->text, x->v, NVARS, out, err) != 0)	/* checked on load */
		die(EX_SOFTWARE, "internal error: %s: %s", r->t->src, err);
	while (out->len > 0 && strchr(" \t\r\n", out->p[out->len - 1]) != NULL)
		out->len--;
	buf_cstr(out);
}

/* --- the four outputs ----------------------------------------------------------------*/

static void
utc_iso(struct buf *b, int64_t t)
{
	char s[DATE_UTC_BUFSZ];

	buf_put(b, s, date_utc_format(t, 'T', s));
	buf_putc(b, 'Z');
}

/* SMS: the listing line (TSV) or the gateway's JSON body. */
static void
sms_out(const struct row *r, const char *text, struct buf *tsv, struct buf *json)
{
	struct sms_count n;

	if (sms_count(text, strlen(text), &n) != 0)
		die(EX_DATAERR, "line %ld: the SMS text is not valid UTF-8", r->line);
	if (tsv != NULL) {
		buf_printf(tsv, "%s\t%s\t%d\t%s\t", r->f[C_CONTACT], r->phone, n.segments,
		    sms_enc_name(n.enc));
		tsv_escape(tsv, text, strlen(text));
		buf_putc(tsv, '\n');
	}
	if (json != NULL) {
		buf_printf(json, "{\"contact_id\":%s,\"phone\":",
		    r->contact != NOCONTACT ? r->f[C_CONTACT] : "null");
		json_cstr(json, r->phone);
		buf_puts(json, ",\"text\":");
		json_cstr(json, text);
		buf_printf(json, ",\"segments\":%d,\"encoding\":\"%s\"}\n", n.segments,
		    sms_enc_name(n.enc));
	}
}

static void
email_out(const struct ctx *c, const struct row *r, const char *text, struct buf *b)
{
	const char *nl = strchr(text, '\n');
	char *subject = estrdup(text);
	char mid[256];
	const char *body = nl != NULL ? nl + 1 : "";
	struct buf bb = BUF_INIT;
	int y, m, d;

	subject[nl != NULL ? (size_t)(nl - text) : strlen(text)] = '\0';
	while (*body == '\n')
		body++;
	buf_puts(&bb, body);
	buf_putc(&bb, '\n');
	date_to_civil(r->sday, &y, &m, &d);
	if (r->contact != NOCONTACT)
		snprintf(mid, sizeof mid, "notify.%lld.%04d%02d%02d@%s", (long long)r->contact, y, m, d,
		    c->from_domain);
	else
		snprintf(mid, sizeof mid, "notify.c%s.%04d%02d%02d@%s", r->f[C_CLIENT], y, m, d,
		    c->from_domain);
	struct mail ml = {
		.from_name = c->pol.creditor_name, .from_addr = c->o->from,
		.to_name = r->f[C_FIO], .to_addr = r->f[C_EMAIL],
		.subject = subject, .message_id = mid,
		.contact = r->contact != NOCONTACT ? r->f[C_CONTACT] : NULL,
		.date = c->o->now, .body = bb.p, .body_len = bb.len,
	};
	mail_message(b, &ml);
	buf_free(&bb);
	free(subject);
}

static void
call_header(struct buf *b)
{
	buf_puts(b, "contact_id,client_id,priority,window_start,window_end,tz,fio,phone,"
	    "loans,arrears,max_dpd,step,script\r\n");
}

static void
call_out(const struct row *r, const char *script, struct buf *b)
{
	char m[MONEY_BUFSZ];

	money_format(r->arrears, m);
	buf_printf(b, "%s,%s,%s,%s,%s,%s,", r->f[C_CONTACT], r->f[C_CLIENT],
	    r->f[C_PRIORITY], r->f[C_WSTART], r->f[C_WEND], r->f[C_TZ]);
	csv_field(b, r->f[C_FIO], 1);
	buf_printf(b, ",%s,", r->phone);
	csv_field(b, r->f[C_LOANS], 1);
	buf_printf(b, ",%s,%lld,%s,", m, (long long)r->max_dpd, r->f[C_STEP]);
	csv_field(b, script, 1);
	buf_puts(b, "\r\n");
}

/* "From SENDER Thu Nov 30 11:00:00 2025": an mbox separator line */
static void
mbox_from(struct buf *b, const char *from, time_t t)
{
	static const char wd[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		die(EX_SOFTWARE, "internal error: a time gmtime_r cannot convert");
	buf_printf(b, "From %s %s %s %2d %02d:%02d:%02d %04d\n", from, wd[tm.tm_wday],
	    mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

static int
wanted(const struct ctx *c, const struct row *r)
{
	return c->o->channel == RENDER_ALL || (int)r->ch == c->o->channel;
}

static void
to_stdout(struct ctx *c)
{
	struct buf out = BUF_INIT, text = BUF_INIT;
	struct vals x = {0};
	int nletters = 0;

	if (c->o->channel == CH_SMS && !c->o->json)
		buf_puts(&out, "contact_id\tphone\tsegments\tencoding\ttext\n");
	if (c->o->channel == CH_CALL)
		call_header(&out);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct row *r = &c->rows[i];

		if (!wanted(c, r))
			continue;
		if (r->reject != NULL) {
			warnf("line %ld: contact %s: %s for %s; not rendered", r->line,
			    r->f[C_CONTACT], r->reject, channel_name(r->ch));
			continue;
		}
		fill(c, r, &x, &text);
		switch (r->ch) {
		case CH_SMS:
			sms_out(r, text.p, c->o->json ? NULL : &out, c->o->json ? &out : NULL);
			break;
		case CH_EMAIL:
			mbox_from(&out, c->o->from, c->o->now);
			email_out(c, r, text.p, &out);
			buf_putc(&out, '\n');
			break;
		case CH_CALL:
			call_out(r, text.p, &out);
			break;
		default:
			if (nletters++ > 0)
				buf_putc(&out, '\f');
			buf_puts(&out, text.p);
			buf_putc(&out, '\n');
			break;
		}
		if (out.len > 65536)
			buf_flush(&out, stdout);
	}
	buf_flush(&out, stdout);
	buf_free(&out);
	buf_free(&text);
	vals_free(&x);
}

/* --- a folder for notify-send ----------------------------------------------------*/

static char *tmpdir;		/* being written; removed when we die */

/* Remove a folder we made: its files and one level of sub-folders. */
static void
rm_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		if (unlink(path) != 0 && (errno == EISDIR || errno == EPERM) && depth > 0)
			rm_tree(path, depth - 1);
	}
	closedir(d);
	rmdir(dir);
}

static void
rm_tmpdir(void)
{
	if (tmpdir != NULL)
		rm_tree(tmpdir, 1);
}

static void
write_file(const char *dir, const char *name, const struct buf *b)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		die(EX_CANTCREAT, "%s: path too long", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		die(EX_CANTCREAT, "cannot create %s:", path);
	for (size_t off = 0; off < b->len;) {
		ssize_t w = write(fd, b->p + off, b->len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(EX_IOERR, "cannot write %s:", path);
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		die(EX_IOERR, "cannot write %s:", path);
}

static void
make_dir(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (mkdir(path, 0700) != 0)
		die(EX_CANTCREAT, "cannot create %s:", path);
}

/* Refuse a folder that holds anything: what was rendered once is sent once. */
static void
check_outdir(const char *dir)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(dir, &st) != 0) {
		if (errno == ENOENT)
			return;
		die(EX_CANTCREAT, "%s:", dir);
	}
	if (!S_ISDIR(st.st_mode))
		die(EX_CANTCREAT, "%s exists and is not a folder", dir);
	d = opendir(dir);
	if (d == NULL)
		die(EX_CANTCREAT, "%s:", dir);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			die(EX_CANTCREAT, "%s is not empty: render into a new folder "
			    "(what is rendered once is sent once)", dir);
	closedir(d);
}

static int
by_window(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;

	if (x->nb != y->nb)
		return x->nb < y->nb ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void
to_folder(struct ctx *c)
{
	const char *dir = c->o->outdir;
	size_t dl = strlen(dir);
	struct buf sms = BUF_INIT, calls = BUF_INIT, queue = BUF_INIT, rejects = BUF_INIT;
	struct buf text = BUF_INIT, msg = BUF_INIT;
	struct vals x = {0};
	const struct row **q;
	size_t nq = 0;
	char name[64];
	int all = c->o->channel == RENDER_ALL;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (size_t i = 0; i < c->nrows; i++)
		if (wanted(c, &c->rows[i]) && c->rows[i].contact == NOCONTACT)
			die(EX_DATAERR, "line %ld: no contact_id: a plan made with --dry-run is not in the "
			    "contact log, so it cannot be sent", c->rows[i].line);
	check_outdir(dir);
	tmpdir = emalloc(dl + 16);
	snprintf(tmpdir, dl + 16, "%.*s.tmpXXXXXX", (int)dl, dir);
	if (mkdtemp(tmpdir) == NULL)
		die(EX_CANTCREAT, "cannot create a folder beside %s:", dir);
	atexit(rm_tmpdir);
	if (all || c->o->channel == CH_SMS) {
		make_dir(tmpdir, "sms");
		buf_puts(&sms, "contact_id\tphone\tsegments\tencoding\ttext\n");
	}
	if (all || c->o->channel == CH_EMAIL)
		make_dir(tmpdir, "email");
	if (all || c->o->channel == CH_LETTER)
		make_dir(tmpdir, "letters");
	if (all || c->o->channel == CH_CALL)
		call_header(&calls);
	q = emalloc((c->nrows + 1) * sizeof *q);
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];

		if (!wanted(c, r))
			continue;
		if (r->reject != NULL) {
			warnf("line %ld: contact %s: %s for %s; not rendered", r->line,
			    r->f[C_CONTACT], r->reject, channel_name(r->ch));
			buf_printf(&rejects, "%lld\tfailed\t", (long long)r->contact);
			utc_iso(&rejects, c->o->now);
			buf_printf(&rejects, "\t%s for %s\n", r->reject, channel_name(r->ch));
			continue;
		}
		fill(c, r, &x, &text);
		buf_reset(&msg);
		switch (r->ch) {
		case CH_SMS:
			sms_out(r, text.p, &sms, &msg);
			snprintf(name, sizeof name, "sms/%lld.json", (long long)r->contact);
			write_file(tmpdir, name, &msg);
			break;
		case CH_EMAIL:
			email_out(c, r, text.p, &msg);
			snprintf(name, sizeof name, "email/%lld.eml", (long long)r->contact);
			write_file(tmpdir, name, &msg);
			break;
		case CH_CALL:
			call_out(r, text.p, &calls);
			break;
		default:
			buf_puts(&msg, text.p);
			buf_putc(&msg, '\n');
			snprintf(name, sizeof name, "letters/%lld.txt", (long long)r->contact);
			write_file(tmpdir, name, &msg);
			break;
		}
		if (r->ch == CH_SMS || r->ch == CH_EMAIL) {
			r->nb = tz_to_utc(r->zone, r->sday, r->smin);
			r->na = tz_to_utc(r->zone, r->eday, r->emin);
			q[nq++] = r;
		}
	}
	/* the send queue, by the opening of the window */
	qsort(q, nq, sizeof *q, by_window);
	buf_puts(&queue, "contact_id\tchannel\tnot_before\tnot_after\tfile\n");
	for (size_t i = 0; i < nq; i++) {
		buf_printf(&queue, "%lld\t%s\t", (long long)q[i]->contact, channel_name(q[i]->ch));
		utc_iso(&queue, q[i]->nb);
		buf_putc(&queue, '\t');
		utc_iso(&queue, q[i]->na);
		buf_printf(&queue, "\t%s/%lld.%s\n", q[i]->ch == CH_SMS ? "sms" : "email",
		    (long long)q[i]->contact, q[i]->ch == CH_SMS ? "json" : "eml");
	}
	if (all || c->o->channel == CH_SMS)
		write_file(tmpdir, "sms.tsv", &sms);
	if (all || c->o->channel == CH_CALL)
		write_file(tmpdir, "calls.csv", &calls);
	write_file(tmpdir, "queue.tsv", &queue);
	write_file(tmpdir, "rejects.tsv", &rejects);
	{
		char *final = emalloc(dl + 1);

		memcpy(final, dir, dl);
		final[dl] = '\0';
		check_outdir(final);	/* nobody made it meanwhile */
		if (rename(tmpdir, final) != 0)
			die(EX_CANTCREAT, "cannot rename %s to %s:", tmpdir, final);
		free(tmpdir);
		tmpdir = NULL;
		free(final);
	}
	free(q);
	buf_free(&sms), buf_free(&calls), buf_free(&queue), buf_free(&rejects);
	buf_free(&text), buf_free(&msg);
	vals_free(&x);
}

void
render_run(const struct render_opts *o, FILE *in)
{
	struct ctx c = {.o = o};
	struct buf text = BUF_INIT;
	const char *at;

	policy_load(o->policy, &c.pol);
	if (!mail_addr_ok(o->from))
		die(EX_USAGE, "OVERDUE_MAIL_FROM: '%s' is not an e-mail address", o->from);
	at = strchr(o->from, '@');
	c.from_domain = at + 1;
	read_plan(&c, in, &text);
	/* every template the plan needs, checked before anything is written */
	for (size_t i = 0; i < c.nrows; i++)
		if (wanted(&c, &c.rows[i]))
			c.rows[i].t = tmpl_for(&c, &c.rows[i]);
	if (o->outdir != NULL)
		to_folder(&c);
	else
		to_stdout(&c);
	for (size_t i = 0; i < c.ntm; i++) {
		free(c.tm[i]->file);
		free(c.tm[i]->src);
		free(c.tm[i]->owned);
		free(c.tm[i]);
	}
	free(c.tm);
	free(c.rows);
	buf_free(&text);
}
