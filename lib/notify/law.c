/*
 * law.c - 230-FZ art. 7 as code (law.h): the caps, the allowed hours and a
 * client's ledger of contacts by local day, ISO week and month.
 */
#include <string.h>

#include "date.h"
#include "notify/law.h"
#include "notify/tz.h"

const struct caps law_calls = {1, 2, 8};
const struct caps law_messages = {2, 4, 16};

static const char *const chnames[CH_N] = {"sms", "email", "call", "letter"};

const char *
channel_name(enum channel c)
{
	return (unsigned)c < CH_N ? chnames[c] : "?";
}

int
channel_parse(const char *s, enum channel *c)
{
	for (int i = 0; i < CH_N; i++)
		if (strcmp(s, chnames[i]) == 0) {
			*c = (enum channel)i;
			return 0;
		}
	return -1;
}

enum chclass
channel_class(enum channel c)
{
	switch (c) {
	case CH_SMS:
	case CH_EMAIL:
		return CLASS_MESSAGE;
	case CH_CALL:
		return CLASS_CALL;
	default:
		return CLASS_NONE;
	}
}

void
law_window(enum daykind k, int *from, int *to)
{
	if (k == DAY_WORK) {
		*from = 8 * 60;
		*to = 22 * 60;
	} else {
		*from = 9 * 60;
		*to = 20 * 60;
	}
}

/*
 * Every zone of Russia in tzdata, west to east (UTC+2 .. UTC+12 today).
 * All of them, not one per offset: their offsets differed in the past
 * (Magadan was UTC+10 in 2014-2016 while Srednekolymsk kept UTC+11).
 */
static const char *const russia[] = {
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Kirov", "Europe/Volgograd",
	"Europe/Astrakhan", "Europe/Saratov", "Europe/Ulyanovsk", "Europe/Samara",
	"Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul", "Asia/Tomsk",
	"Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita", "Asia/Yakutsk",
	"Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera", "Asia/Magadan", "Asia/Sakhalin",
	"Asia/Srednekolymsk", "Asia/Kamchatka", "Asia/Anadyr",
};

#define NIV 8

struct ivs {
	int64_t a[NIV], b[NIV];
	int n;
};

/* r = r intersected with s (both sorted, disjoint) */
static void
intersect(struct ivs *r, const struct ivs *s)
{
	struct ivs out = {.n = 0};

	for (int i = 0; i < r->n; i++)
		for (int j = 0; j < s->n; j++) {
			int64_t a = r->a[i] > s->a[j] ? r->a[i] : s->a[j];
			int64_t b = r->b[i] < s->b[j] ? r->b[i] : s->b[j];

			if (a < b && out.n < NIV) {
				out.a[out.n] = a;
				out.b[out.n] = b;
				out.n++;
			}
		}
	*r = out;
}

static void window_anywhere(const struct calendar *c, int32_t day, int64_t *from, int64_t *to);

/*
 * The last answers, by day (a plan or a replay asks for the same days again
 * and again).  With offsets from UTC+2 to UTC+12, a UTC day meets only the
 * local days D and D+1, so their kinds and D decide the answer.
 */
#define MEMO 512

static struct {
	int32_t day;
	int8_t used, k0, k1;
	int64_t from, to;
} memo[MEMO];

void
law_window_anywhere(const struct calendar *c, int32_t day, int64_t *from, int64_t *to)
{
	size_t i = (size_t)((uint32_t)day % MEMO);
	int8_t k0 = (int8_t)cal_day(c, day), k1 = (int8_t)cal_day(c, day + 1);

	if (!memo[i].used || memo[i].day != day || memo[i].k0 != k0 || memo[i].k1 != k1) {
		window_anywhere(c, day, &memo[i].from, &memo[i].to);
		memo[i].used = 1;
		memo[i].day = day;
		memo[i].k0 = k0;
		memo[i].k1 = k1;
	}
	*from = memo[i].from;
	*to = memo[i].to;
}

static void
window_anywhere(const struct calendar *c, int32_t day, int64_t *from, int64_t *to)
{
	int64_t d0 = (int64_t)day * 86400, d1 = d0 + 86400;
	struct ivs all = {.a = {d0}, .b = {d1}, .n = 1};
	size_t best = 0;

	for (size_t z = 0; z < sizeof russia / sizeof *russia && all.n > 0; z++) {
		struct ivs s = {.n = 0};
		int32_t first, lastd;
		int m;

		/* the local days that overlap this UTC day */
		tz_to_local(russia[z], d0, &first, &m);
		tz_to_local(russia[z], d1 - 1, &lastd, &m);
		for (int32_t ld = first; ld <= lastd && s.n < NIV; ld++) {
			int lf, lt;
			int64_t a, b;

			law_window(cal_day(c, ld), &lf, &lt);
			a = tz_to_utc(russia[z], ld, lf);
			b = tz_to_utc(russia[z], ld, lt);
			if (a < d0)
				a = d0;
			if (b > d1)
				b = d1;
			if (a < b) {
				s.a[s.n] = a;
				s.b[s.n] = b;
				s.n++;
			}
		}
		intersect(&all, &s);
	}
	if (all.n == 0) {
		*from = *to = d0;
		return;
	}
	for (int i = 1; i < all.n; i++)	/* the longest stretch (the first of equals) */
		if (all.b[i] - all.a[i] > all.b[best] - all.a[best])
			best = (size_t)i;
	*from = all.a[best];
	*to = all.b[best];
}

/* ------------------------------------------------------------------ */
/* the ledger */

#define KEEP_DAYS 62
#define LEDGER_MAX ((int)(sizeof ((struct ledger *)0)->day / sizeof (int32_t)))

void
ledger_init(struct ledger *l)
{
	memset(l, 0, sizeof *l);
}

/* Drop the entries older than a day, or of a class, keeping the order. */
static void
drop(struct ledger *l, int32_t older_than, int cls)
{
	int j = 0;

	for (int i = 0; i < l->n; i++)
		if (l->day[i] >= older_than && l->cls[i] != cls) {
			l->day[j] = l->day[i];
			l->cls[j] = l->cls[i];
			j++;
		}
	l->n = j;
}

/* Drop the oldest entry of class k. */
static void
drop_oldest(struct ledger *l, int k)
{
	int i = 0;

	while (i < l->n && l->cls[i] != k)
		i++;
	if (i == l->n)
		return;
	memmove(&l->day[i], &l->day[i + 1], (size_t)(l->n - i - 1) * sizeof l->day[0]);
	memmove(&l->cls[i], &l->cls[i + 1], (size_t)(l->n - i - 1) * sizeof l->cls[0]);
	l->n--;
}

/*
 * When the ledger is full: forget what is older than KEEP_DAYS, then the
 * letters (not capped), then the oldest of the more numerous class until a
 * quarter is free.  Each class keeps at least its 24 newest contacts, more
 * than any month's cap, so a count never falls below a cap it had reached
 * (when the contacts come in the order of their days).
 */
void
ledger_add(struct ledger *l, enum chclass k, int32_t local_day)
{
	if (l->n == LEDGER_MAX) {
		int32_t newest = local_day;

		for (int i = 0; i < l->n; i++)
			if (l->day[i] > newest)
				newest = l->day[i];
		drop(l, newest - KEEP_DAYS, -1);
		if (l->n == LEDGER_MAX)
			drop(l, INT32_MIN, CLASS_NONE);
		if (l->n == LEDGER_MAX)
			while (l->n > LEDGER_MAX * 3 / 4) {
				int cnt[2] = {0, 0};

				for (int i = 0; i < l->n; i++)
					cnt[l->cls[i] == CLASS_CALL]++;
				drop_oldest(l, cnt[1] > cnt[0] ? CLASS_CALL : CLASS_MESSAGE);
			}
	}
	l->day[l->n] = local_day;
	l->cls[l->n] = (uint8_t)k;
	l->n++;
}

/* ISO weekday, Monday 1 .. Sunday 7 */
static int
weekday(int32_t day)
{
	int r = (int)(((int64_t)day + 3) % 7);

	return (r < 0 ? r + 7 : r) + 1;
}

void
ledger_count(const struct ledger *l, enum chclass k, int32_t local_day, int *day, int *week,
    int *month)
{
	int32_t w0 = local_day - (weekday(local_day) - 1), m0 = date_month_start(local_day),
		m1 = date_month_end(local_day);

	*day = *week = *month = 0;
	for (int i = 0; i < l->n; i++) {
		int32_t d = l->day[i];

		if (l->cls[i] != (uint8_t)k)
			continue;
		*day += d == local_day;
		*week += d >= w0 && d < w0 + 7;
		*month += d >= m0 && d <= m1;
	}
}

/* the smaller of two caps, a negative one meaning none */
static int
tighter(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int
ledger_allows(const struct ledger *l, enum chclass k, int32_t local_day, const struct caps *caps)
{
	struct caps lim = {-1, -1, -1};
	int d, w, m;

	if (k == CLASS_CALL)
		lim = law_calls;
	else if (k == CLASS_MESSAGE)
		lim = law_messages;
	if (caps != NULL) {
		lim.day = tighter(lim.day, caps->day);
		lim.week = tighter(lim.week, caps->week);
		lim.month = tighter(lim.month, caps->month);
	}
	if (lim.day < 0 && lim.week < 0 && lim.month < 0)
		return 1;
	ledger_count(l, k, local_day, &d, &w, &m);
	return (lim.day < 0 || d < lim.day) && (lim.week < 0 || w < lim.week) &&
	       (lim.month < 0 || m < lim.month);
}
