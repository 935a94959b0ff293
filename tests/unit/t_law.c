/*
 * t_law.c - 230-FZ art. 7 as code: the caps, channel names and classes, the
 * hours by day kind, the window allowed in every Russian zone, and the
 * ledger's counts at day, ISO week and month boundaries.
 */
#include "date.h"
#include "notify/calendar.h"
#include "notify/law.h"
#include "notify/tz.h"
#include "tap.h"
#include "util.h"

static int32_t
day(const char *s)
{
	int32_t d = INT32_MIN;

	if (date_parse(s, strlen(s), &d) != 0)
		printf("# cannot parse %s\n", s);
	return d;
}

static void
basics(void)
{
	enum channel c;
	int from, to;

	ok(law_calls.day == 1 && law_calls.week == 2 && law_calls.month == 8, "calls: 1 a day, 2 a week, 8 a month");
	ok(law_messages.day == 2 && law_messages.week == 4 && law_messages.month == 16,
	   "messages: 2 a day, 4 a week, 16 a month");
	is_str(channel_name(CH_SMS), "sms", "channel_name sms");
	is_str(channel_name(CH_EMAIL), "email", "channel_name email");
	is_str(channel_name(CH_CALL), "call", "channel_name call");
	is_str(channel_name(CH_LETTER), "letter", "channel_name letter");
	for (int i = 0; i < CH_N; i++)
		ok(channel_parse(channel_name((enum channel)i), &c) == 0 && c == (enum channel)i,
		   "channel_parse(\"%s\")", channel_name((enum channel)i));
	is_int(channel_parse("fax", &c), -1, "an unknown channel");
	is_int(channel_parse("SMS", &c), -1, "names are lower case");
	is_int(channel_parse("", &c), -1, "an empty channel");
	ok(channel_class(CH_SMS) == CLASS_MESSAGE && channel_class(CH_EMAIL) == CLASS_MESSAGE,
	   "SMS and e-mail are messages");
	ok(channel_class(CH_CALL) == CLASS_CALL, "a call is a call");
	ok(channel_class(CH_LETTER) == CLASS_NONE, "a letter is not limited by art. 7");
	law_window(DAY_WORK, &from, &to);
	ok(from == 8 * 60 && to == 22 * 60, "a working day: 08:00-22:00");
	law_window(DAY_WEEKEND, &from, &to);
	ok(from == 9 * 60 && to == 20 * 60, "a weekend: 09:00-20:00");
	law_window(DAY_HOLIDAY, &from, &to);
	ok(from == 9 * 60 && to == 20 * 60, "a holiday: 09:00-20:00");
}

static const char *const russia[] = {
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg",
	"Asia/Omsk", "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita",
	"Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Sakhalin",
	"Asia/Srednekolymsk", "Asia/Kamchatka", "Asia/Anadyr",
};

/* Is the UTC instant t inside the allowed hours of the zone's local day? */
static int
allowed(const struct calendar *c, const char *zone, int64_t t)
{
	int32_t ld;
	int m, from, to;

	tz_to_local(zone, t, &ld, &m);
	law_window(cal_day(c, ld), &from, &to);
	return m >= from && m < to;
}

static int
allowed_everywhere(const struct calendar *c, int64_t t)
{
	for (size_t z = 0; z < sizeof russia / sizeof *russia; z++)
		if (!allowed(c, russia[z], t))
			return 0;
	return 1;
}

static void
window_is(const struct calendar *c, const char *date, int from_min, int to_min, const char *what)
{
	int32_t d = day(date);
	int64_t f, t;

	law_window_anywhere(c, d, &f, &t);
	ok(f == (int64_t)d * 86400 + from_min * 60 && t == (int64_t)d * 86400 + to_min * 60,
	   "%s %s: %02d:%02d-%02d:%02d UTC", what, date, from_min / 60, from_min % 60, to_min / 60,
	   to_min % 60);
	if (f != (int64_t)d * 86400 + from_min * 60 || t != (int64_t)d * 86400 + to_min * 60)
		printf("#   got %lld-%lld minutes\n", (long long)(f - (int64_t)d * 86400) / 60,
		    (long long)(t - (int64_t)d * 86400) / 60);
}

static void
anywhere(const struct calendar *c)
{
	int32_t d0 = day("2024-01-01"), d1 = day("2025-01-01");
	int empty = 0, outside = 0, short_ = 0;

	/* a working day among working days: Kaliningrad 08:00 = 06:00 UTC, Kamchatka 22:00 = 10:00 UTC */
	window_is(c, "2024-03-13", 6 * 60, 10 * 60, "a working day");
	/* a holiday: Kaliningrad 09:00 = 07:00 UTC; Kamchatka's 20:00 on 8 March = 08:00 UTC */
	window_is(c, "2024-03-08", 7 * 60, 8 * 60, "a holiday");
	/* the day before a holiday: Kamchatka is already in 8 March from 12:00 UTC */
	window_is(c, "2024-03-07", 6 * 60, 10 * 60, "the day before a holiday");
	/* a working Saturday, then a Sunday for the eastern zones */
	window_is(c, "2024-04-27", 6 * 60, 10 * 60, "a working Saturday");
	/* a Sunday before a working Monday: Kaliningrad 09:00, Kamchatka's Sunday ends 20:00 = 08:00 UTC */
	window_is(c, "2024-04-28", 7 * 60, 8 * 60, "a Sunday");
	/* Moscow was +4 and Kaliningrad +3 in 2013: tzdata's offsets, not fixed ones */
	window_is(c, "2013-03-13", 5 * 60, 10 * 60, "a working day of 2013");

	/* every day of 2024: non-empty and inside every zone's hours, and no longer than possible */
	for (int32_t d = d0; d < d1; d++) {
		int64_t f, t;

		law_window_anywhere(c, d, &f, &t);
		if (t <= f) {
			empty++;
			continue;
		}
		if (t - f < 3600)
			short_++;
		for (int64_t x = f; x < t; x += 60)
			if (!allowed_everywhere(c, x)) {
				if (outside++ < 5)
					printf("# day %d: %lld not allowed everywhere\n", d, (long long)x);
				break;
			}
		if (f > (int64_t)d * 86400 && allowed_everywhere(c, f - 60))
			outside += 0 * printf("# day %d: the window could start earlier\n", d) + 1;
		if (t < (int64_t)(d + 1) * 86400 && allowed_everywhere(c, t))
			outside += 0 * printf("# day %d: the window could end later\n", d) + 1;
	}
	is_int(empty, 0, "2024: the window allowed everywhere is never empty");
	is_int(short_, 0, "2024: and at least an hour long");
	is_int(outside, 0, "2024: inside every Russian zone's hours, and maximal");
}

/* n contacts of class k on the day */
static void
add(struct ledger *l, enum chclass k, const char *date, int n)
{
	for (int i = 0; i < n; i++)
		ledger_add(l, k, day(date));
}

static void
counts_are(const struct ledger *l, enum chclass k, const char *date, int d, int w, int m)
{
	int gd, gw, gm;

	ledger_count(l, k, day(date), &gd, &gw, &gm);
	if (!ok(gd == d && gw == w && gm == m, "%s counts on %s: %d day, %d week, %d month",
	    k == CLASS_CALL ? "call" : k == CLASS_MESSAGE ? "message" : "letter", date, d, w, m))
		printf("#   got %d %d %d\n", gd, gw, gm);
}

static void
ledger_caps(void)
{
	struct ledger l;
	const struct caps tight = {1, 1, 1}, loose = {5, 10, 50}, letters = {1, -1, -1};

	/* 2024-04-01 is a Monday; 2024-04-07 a Sunday */
	ledger_init(&l);
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-04-01"), NULL), "an empty ledger allows a message");
	add(&l, CLASS_MESSAGE, "2024-04-01", 1);
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-04-01"), NULL), "a second message that day");
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-01"), &tight), "not under a policy cap of 1");
	add(&l, CLASS_MESSAGE, "2024-04-01", 1);
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-01"), NULL), "no third message on the day");
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-01"), &loose), "nor with a policy looser than the law");
	ok(ledger_allows(&l, CLASS_CALL, day("2024-04-01"), NULL), "a call is counted apart");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-04-02"), NULL), "a message the next day");
	add(&l, CLASS_MESSAGE, "2024-04-06", 2);
	counts_are(&l, CLASS_MESSAGE, "2024-04-07", 0, 4, 4);
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-07"), NULL), "Sunday: the week's 4 are used");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-04-08"), NULL), "Monday: a new ISO week");
	counts_are(&l, CLASS_MESSAGE, "2024-04-08", 0, 0, 4);
	/* a Sunday's contacts belong to the week that ends with it */
	add(&l, CLASS_MESSAGE, "2024-04-14", 2);
	counts_are(&l, CLASS_MESSAGE, "2024-04-14", 2, 2, 6);
	counts_are(&l, CLASS_MESSAGE, "2024-04-15", 0, 0, 6);
	add(&l, CLASS_MESSAGE, "2024-04-10", 2);
	counts_are(&l, CLASS_MESSAGE, "2024-04-14", 2, 4, 8);
	add(&l, CLASS_MESSAGE, "2024-04-15", 2);
	add(&l, CLASS_MESSAGE, "2024-04-17", 2);
	add(&l, CLASS_MESSAGE, "2024-04-22", 2);
	add(&l, CLASS_MESSAGE, "2024-04-24", 2);
	counts_are(&l, CLASS_MESSAGE, "2024-04-29", 0, 0, 16);
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-29"), NULL), "16 in April: none on Monday 29 April");
	ok(!ledger_allows(&l, CLASS_MESSAGE, day("2024-04-30"), NULL), "nor on 30 April");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-05-01"), NULL), "1 May: a new month, same ISO week");
	counts_are(&l, CLASS_MESSAGE, "2024-05-01", 0, 0, 0);
	add(&l, CLASS_MESSAGE, "2024-04-30", 1);	/* what a breach would look like */
	counts_are(&l, CLASS_MESSAGE, "2024-05-02", 0, 1, 0);

	/* calls: 1 a day, 2 a week, 8 a month; a week across a month end */
	ledger_init(&l);
	add(&l, CLASS_CALL, "2024-05-27", 1);
	ok(!ledger_allows(&l, CLASS_CALL, day("2024-05-27"), NULL), "one call a day");
	ok(ledger_allows(&l, CLASS_CALL, day("2024-05-31"), NULL), "a second call that week");
	add(&l, CLASS_CALL, "2024-05-31", 1);
	ok(!ledger_allows(&l, CLASS_CALL, day("2024-06-01"), NULL), "Saturday 1 June: the week (27 May - 2 June) has 2");
	ok(!ledger_allows(&l, CLASS_CALL, day("2024-06-02"), NULL), "nor on Sunday");
	ok(ledger_allows(&l, CLASS_CALL, day("2024-06-03"), NULL), "Monday 3 June: a call again");
	for (int d = 3; d <= 24; d += 7) {
		char b[32];

		snprintf(b, sizeof b, "2024-06-%02d", d);
		add(&l, CLASS_CALL, b, 1);
		snprintf(b, sizeof b, "2024-06-%02d", d + 2);
		add(&l, CLASS_CALL, b, 1);
	}
	counts_are(&l, CLASS_CALL, "2024-06-28", 0, 2, 8);
	ok(!ledger_allows(&l, CLASS_CALL, day("2024-06-30"), NULL), "8 calls in June: none more");
	ok(ledger_allows(&l, CLASS_CALL, day("2024-07-01"), NULL), "1 July: calls again");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-06-30"), NULL), "messages are not calls");

	/* letters: no cap in law; a policy may set one */
	ledger_init(&l);
	add(&l, CLASS_NONE, "2024-06-03", 5);
	ok(ledger_allows(&l, CLASS_NONE, day("2024-06-03"), NULL), "letters are not limited by the law");
	ok(!ledger_allows(&l, CLASS_NONE, day("2024-06-03"), &letters), "unless the policy limits them");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-06-03"), NULL), "letters are not messages");
}

/* The baseline's flood (3 messages a day, calls at first) overflows the 64 places. */
static void
ledger_overflow(void)
{
	struct ledger l;
	int bad = 0;

	ledger_init(&l);
	for (int d = 1; d <= 8; d++) {
		char b[32];

		snprintf(b, sizeof b, "2024-05-%02d", d);
		add(&l, CLASS_CALL, b, 1);
	}
	for (int d = 1; d <= 31; d++) {
		char b[32];
		int gd, gw, gm;

		snprintf(b, sizeof b, "2024-05-%02d", d);
		add(&l, CLASS_MESSAGE, b, 3);
		add(&l, CLASS_NONE, b, 1);
		ledger_count(&l, CLASS_MESSAGE, day(b), &gd, &gw, &gm);
		if (gd != 3 || gm < (3 * d < 16 ? 3 * d : 16) || l.n > 64)
			bad++;
		if (ledger_allows(&l, CLASS_MESSAGE, day(b), NULL))
			bad++;
	}
	is_int(bad, 0, "93 messages in May: each day's count exact, the month's never below the cap");
	counts_are(&l, CLASS_CALL, "2024-05-31", 0, 0, 8);
	ok(!ledger_allows(&l, CLASS_CALL, day("2024-05-31"), NULL), "the month's 8 calls are still known");
	ok(ledger_allows(&l, CLASS_MESSAGE, day("2024-06-03"), NULL), "June: messages allowed again");
	add(&l, CLASS_MESSAGE, "2024-08-15", 1);
	counts_are(&l, CLASS_MESSAGE, "2024-08-15", 1, 1, 1);
}

int
main(void)
{
	struct calendar *c;

	setprogname("t_law");
	c = cal_load(NULL);
	basics();
	anywhere(c);
	ledger_caps();
	ledger_overflow();
	cal_free(c);
	return done_testing();
}
