/*
 * policy.c - the notification policy file (notify-plan(5)): `key = value`
 * lines over the compiled-in etc/notify-policy.conf.  Every error names
 * file:line; the law's caps are a ceiling that a file cannot raise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/policy.h"
#include "db/sql.h"
#include "util.h"
#include "slurp.h"

#define DEFAULTS "etc/notify-policy.conf"

enum key {
	K_PREDUE_DAYS, K_PREDUE_LOOKBACK, K_LADDER, K_FIRST_CONTACT, K_CALLS_PER_DAY,
	K_CALL_CAPS, K_MESSAGE_CAPS, K_SEND_AT, K_DPD_WEIGHT, K_CREDITOR_NAME,
	K_CREDITOR_PHONE, K_N
};

static const char *const keys[K_N] = {
	"predue_days", "predue_lookback_months", "ladder", "first_contact_days",
	"calls_per_day", "call_caps", "message_caps", "send_at", "dpd_weight",
	"creditor_name", "creditor_phone",
};

/* where a message points: the file and line being parsed */
struct at {
	const char *name;
	int line;
};

static int
find_key(const char *s, size_t n)
{
	for (int k = 0; k < K_N; k++)
		if (strlen(keys[k]) == n && memcmp(keys[k], s, n) == 0)
			return k;
	return -1;
}

/* A whole-token integer in [min, max] of the text s[0..n). */
static int
num(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	char buf[32];

	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_int64(buf, min, max, out);
}

/* The next blank-separated token of *s (advanced past it); 0 at the end. */
static int
token(const char **s, const char **tok, size_t *n)
{
	const char *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	*tok = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	*n = (size_t)(p - *tok);
	*s = p;
	return 1;
}

static int
int_value(const struct at *a, const char *key, const char *v, int64_t min, int64_t max)
{
	int64_t x;

	if (parse_int64(v, min, max, &x) != 0)
		die(EX_DATAERR, "%s:%d: %s: '%s' is not an integer from %lld to %lld",
		    a->name, a->line, key, v, (long long)min, (long long)max);
	return (int)x;
}

/* "dpd:channel ..." with dpd ascending */
static void
ladder_value(const struct at *a, const char *v, struct policy *p)
{
	const char *s = v, *t, *colon;
	size_t n;
	int64_t dpd;
	int ns = 0;
	char ch[16];

	while (token(&s, &t, &n)) {
		colon = memchr(t, ':', n);
		if (colon == NULL)
			die(EX_DATAERR, "%s:%d: ladder: step '%.*s' is not dpd:channel",
			    a->name, a->line, (int)n, t);
		if (num(t, (size_t)(colon - t), 1, 36500, &dpd) != 0)
			die(EX_DATAERR, "%s:%d: ladder: step '%.*s': the dpd is not an integer from 1 to 36500",
			    a->name, a->line, (int)n, t);
		if (n - (size_t)(colon + 1 - t) >= sizeof ch)
			die(EX_DATAERR, "%s:%d: ladder: step '%.*s': unknown channel",
			    a->name, a->line, (int)n, t);
		memcpy(ch, colon + 1, n - (size_t)(colon + 1 - t));
		ch[n - (size_t)(colon + 1 - t)] = '\0';
		if (ns == POLICY_MAX_STEPS)
			die(EX_DATAERR, "%s:%d: ladder: more than %d steps",
			    a->name, a->line, POLICY_MAX_STEPS);
		if (channel_parse(ch, &p->steps[ns].channel) != 0)
			die(EX_DATAERR, "%s:%d: ladder: step '%.*s': unknown channel '%s' (sms, email, call, letter)",
			    a->name, a->line, (int)n, t, ch);
		if (ns > 0 && dpd <= p->steps[ns - 1].dpd)
			die(EX_DATAERR, "%s:%d: ladder: step '%.*s' is not after dpd %d (steps ascend)",
			    a->name, a->line, (int)n, t, (int)p->steps[ns - 1].dpd);
		p->steps[ns++].dpd = (int32_t)dpd;
	}
	if (ns == 0)
		die(EX_DATAERR, "%s:%d: ladder: no step", a->name, a->line);
	p->nsteps = ns;
}

/* "dpd:percent ..." with dpd ascending */
static void
weight_value(const struct at *a, const char *v, struct policy *p)
{
	const char *s = v, *t, *colon;
	size_t n;
	int64_t dpd, pct;
	int nw = 0;

	while (token(&s, &t, &n)) {
		colon = memchr(t, ':', n);
		if (colon == NULL)
			die(EX_DATAERR, "%s:%d: dpd_weight: '%.*s' is not dpd:percent",
			    a->name, a->line, (int)n, t);
		if (num(t, (size_t)(colon - t), 0, 36500, &dpd) != 0)
			die(EX_DATAERR, "%s:%d: dpd_weight: '%.*s': the dpd is not an integer from 0 to 36500",
			    a->name, a->line, (int)n, t);
		if (num(colon + 1, n - (size_t)(colon + 1 - t), 0, 100, &pct) != 0)
			die(EX_DATAERR, "%s:%d: dpd_weight: '%.*s': the percent is not an integer from 0 to 100",
			    a->name, a->line, (int)n, t);
		if (nw == POLICY_MAX_WEIGHTS)
			die(EX_DATAERR, "%s:%d: dpd_weight: more than %d weights",
			    a->name, a->line, POLICY_MAX_WEIGHTS);
		if (nw > 0 && dpd <= p->weights[nw - 1].dpd)
			die(EX_DATAERR, "%s:%d: dpd_weight: '%.*s' is not after dpd %d (weights ascend)",
			    a->name, a->line, (int)n, t, (int)p->weights[nw - 1].dpd);
		p->weights[nw].dpd = (int32_t)dpd;
		p->weights[nw++].percent = (int)pct;
	}
	if (nw == 0)
		die(EX_DATAERR, "%s:%d: dpd_weight: no weight", a->name, a->line);
	p->nweights = nw;
}

/* "day week month", each at most the law's */
static void
caps_value(const struct at *a, const char *key, const char *v, const struct caps *law,
    struct caps *out)
{
	const char *s = v, *t;
	size_t n;
	int64_t x[3];
	const int lim[3] = {law->day, law->week, law->month};
	static const char *const per[3] = {"a day", "a week", "a month"};
	int i;

	for (i = 0; i < 3 && token(&s, &t, &n); i++)
		if (num(t, n, 0, 1000000, &x[i]) != 0)
			die(EX_DATAERR, "%s:%d: %s: '%.*s' is not a count",
			    a->name, a->line, key, (int)n, t);
	if (i < 3 || token(&s, &t, &n))
		die(EX_DATAERR, "%s:%d: %s: expected three counts: a day, a week, a month",
		    a->name, a->line, key);
	for (i = 0; i < 3; i++)
		if (x[i] > lim[i])
			die(EX_DATAERR, "%s:%d: %s: %lld %s is above the law's %d (230-FZ art. 7); caps can only be lowered",
			    a->name, a->line, key, (long long)x[i], per[i], lim[i]);
	out->day = (int)x[0];
	out->week = (int)x[1];
	out->month = (int)x[2];
}

static void
text_value(const struct at *a, const char *key, const char *v, char *dst, size_t sz)
{
	if (*v == '\0')
		die(EX_DATAERR, "%s:%d: %s: empty", a->name, a->line, key);
	if (strlen(v) >= sz)
		die(EX_DATAERR, "%s:%d: %s: longer than %zu bytes", a->name, a->line, key, sz - 1);
	memcpy(dst, v, strlen(v) + 1);
}

static void
set(const struct at *a, int k, const char *v, struct policy *p)
{
	int h, m;
	char extra;

	switch (k) {
	case K_PREDUE_DAYS:
		p->predue_days = int_value(a, keys[k], v, 0, 366);
		break;
	case K_PREDUE_LOOKBACK:
		p->predue_lookback_months = int_value(a, keys[k], v, 0, 1200);
		break;
	case K_LADDER:
		ladder_value(a, v, p);
		break;
	case K_FIRST_CONTACT:
		p->first_contact_days = int_value(a, keys[k], v, 1, 366);
		break;
	case K_CALLS_PER_DAY:
		p->calls_per_day = int_value(a, keys[k], v, 0, 100000000);
		break;
	case K_CALL_CAPS:
		caps_value(a, keys[k], v, &law_calls, &p->call_caps);
		break;
	case K_MESSAGE_CAPS:
		caps_value(a, keys[k], v, &law_messages, &p->message_caps);
		break;
	case K_SEND_AT:
		if (strlen(v) != 5 || v[2] != ':' || sscanf(v, "%2d:%2d%c", &h, &m, &extra) != 2 ||
		    strspn(v, "0123456789:") != 5 || h > 23 || m > 59)
			die(EX_DATAERR, "%s:%d: send_at: '%s' is not a time HH:MM", a->name, a->line, v);
		p->send_at = h * 60 + m;
		break;
	case K_DPD_WEIGHT:
		weight_value(a, v, p);
		break;
	case K_CREDITOR_NAME:
		text_value(a, keys[k], v, p->creditor_name, sizeof p->creditor_name);
		break;
	case K_CREDITOR_PHONE:
		text_value(a, keys[k], v, p->creditor_phone, sizeof p->creditor_phone);
		break;
	}
}

/* Parse text over p; the keys it sets as bits of the result. */
static unsigned
parse(const char *text, const char *name, struct policy *p)
{
	struct at a = {name, 0};
	const char *s = text, *e;
	unsigned seen = 0;
	char *line = NULL;
	size_t cap = 0;

	if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		s += 3;
	for (; *s != '\0'; s = *e ? e + 1 : e) {
		size_t n, kn;
		char *k, *v, *end, *eq;
		int key;

		a.line++;
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		if (n + 1 > cap) {
			cap = n + 1;
			line = erealloc(line, cap);
		}
		memcpy(line, s, n);
		line[n] = '\0';
		/* trim blanks (and a CR) at both ends */
		k = line;
		while (*k == ' ' || *k == '\t')
			k++;
		end = k + strlen(k);
		while (end > k && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (*k == '\0' || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL)
			die(EX_DATAERR, "%s:%d: expected key = value", name, a.line);
		kn = (size_t)(eq - k);
		while (kn > 0 && (k[kn - 1] == ' ' || k[kn - 1] == '\t'))
			kn--;
		key = find_key(k, kn);
		if (key < 0)
			die(EX_DATAERR, "%s:%d: unknown key '%.*s'", name, a.line, (int)kn, k);
		if (seen & 1u << key)
			die(EX_DATAERR, "%s:%d: %s given twice", name, a.line, keys[key]);
		seen |= 1u << key;
		v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		set(&a, key, v, p);
	}
	free(line);
	return seen;
}

void
policy_parse(const char *text, const char *name, struct policy *p)
{
	parse(text, name, p);
}

void
policy_load(const char *path, struct policy *p)
{
	unsigned all = (1u << K_N) - 1, seen;
	char *text;

	memset(p, 0, sizeof *p);
	seen = parse(sql_text(DEFAULTS), DEFAULTS, p);
	if (seen != all)
		for (int k = 0; k < K_N; k++)
			if (!(seen & 1u << k))
				die(EX_SOFTWARE, "internal error: the compiled-in %s does not set %s",
				    DEFAULTS, keys[k]);
	if (path == NULL)
		return;
	text = slurp(path, 0);
	parse(text, path, p);
	free(text);
}

int
policy_weight(const struct policy *p, int32_t dpd)
{
	int w = 0;

	for (int i = 0; i < p->nweights && p->weights[i].dpd <= dpd; i++)
		w = p->weights[i].percent;
	return w;
}
