/*
 * t_plan.c - the day's decision per client: consolidation, the ladder and
 * its episodes, pre-due reminders, the fallback chain, every cap, the
 * quiet hours by kind of local day and zone, and call capacity.  Expected
 * windows are worked out here from the law's hours and the zones' fixed
 * offsets (Moscow UTC+3, Novosibirsk UTC+7 since 2016), not read back.
 */
#include <string.h>

#include "date.h"
#include "notify/plan.h"
#include "tap.h"
#include "util.h"

static struct policy P;
static struct calendar *CAL;

static const char MSK[] = "Europe/Moscow", NSK[] = "Asia/Novosibirsk";

static int32_t
D(int y, int m, int d)
{
	return date_from_civil(y, m, d);
}

/* the UTC instant of h:m UTC on day */
static int64_t
UTC(int32_t day, int h, int m)
{
	return (int64_t)day * 86400 + h * 3600 + m * 60;
}

static struct nloan
loan(const char *name, int64_t arrears_k, int32_t dpd)
{
	struct nloan l = {name, arrears_k, arrears_k * 3, dpd, PLAN_NODATE, 0};

	return l;
}

static void
client(struct nclient *c, int64_t id, const char *zone, const struct nloan *loans, size_t n)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	c->zone = zone;
	c->has_phone = c->has_email = c->has_address = 1;
	c->loans = loans;
	c->nloans = n;
	c->episode_start = PLAN_NODATE;
	c->predue_for = PLAN_NODATE;
	ledger_init(&c->ledger);
}

/* the start of day then the decision, as notify-plan and notify-replay do */
static void
decide(struct nclient *c, int32_t day, struct decision *d)
{
	plan_episode(c, day);
	plan_client(&P, CAL, c, day, d);
}

static void
add(struct nclient *c, enum chclass k, int32_t day, int times)
{
	while (times-- > 0)
		ledger_add(&c->ledger, k, day);
}

static void
consolidation(void)
{
	struct nloan l[] = {
		loan("L-1", 100000, 1), loan("L-2", 250000, 5), loan("L-3", 50000, 2), loan("L-4", 0, 0),
	};
	struct nclient c;
	struct decision d;
	int32_t day = D(2024, 3, 5);

	l[3].next_due = day + 2;
	l[3].late_recent = 1;
	client(&c, 7, MSK, l, 4);
	decide(&c, day, &d);
	is_int(d.contact, 1, "3 overdue loans: one contact");
	is_int(d.loans, 7, "... concerning the 3 overdue loans (not the current one)");
	is_int(d.arrears_k, 400000, "... their arrears together");
	is_int(d.max_dpd, 5, "... the largest dpd");
	is_int(d.step, 1, "... the highest step reached (dpd3)");
	is_int(d.channel, CH_SMS, "... by sms");
	is_int(d.priority, 400000, "priority: arrears x 100 %% / 100 below dpd 31");
	is_int(c.episode_start, day, "the episode starts on the first overdue day");

	{
		struct nloan w[] = {loan("A", 100000, 10), loan("B", 50000, 40), loan("C", 20000, 70),
			loan("D", 10000, 120)};

		client(&c, 8, MSK, w, 4);
		decide(&c, day, &d);
		is_int(d.priority, 100000 + 35000 + 10000 + 3000, "priority: arrears x dpd weight (100/70/50/30 %%)");
		is_int(d.step, 6, "dpd 120: the top step (dpd90)");
		is_int(d.channel, CH_LETTER, "... a letter");
	}
}

static void
window_is(const char *zone, int32_t day, int send_at, int64_t from, int64_t to, const char *what)
{
	struct nloan l[] = {loan("L", 100000, 1)};
	struct nclient c;
	struct decision d;
	int save = P.send_at;

	P.send_at = send_at;
	client(&c, 1, zone, l, 1);
	decide(&c, day, &d);
	P.send_at = save;
	is_int(d.contact, 1, "%s: contact", what);
	is_int(d.win_from, from, "%s: window start", what);
	is_int(d.win_to, to, "%s: window end", what);
	is_int(d.local_day, day, "%s: local day", what);
}

static void
hours(void)
{
	int32_t tue = D(2024, 3, 5), sat = D(2024, 3, 2), worksat = D(2024, 4, 27), hol = D(2024, 5, 9);
	struct nloan l[] = {loan("L", 100000, 1)};
	struct nclient a, b;
	struct decision da, db;

	/* Moscow UTC+3 */
	window_is(MSK, tue, 600, UTC(tue, 7, 0), UTC(tue, 19, 0), "weekday Moscow, send_at 10:00: 10:00-22:00");
	window_is(MSK, tue, 7 * 60, UTC(tue, 5, 0), UTC(tue, 19, 0), "weekday Moscow, send_at 07:00: from 08:00");
	window_is(MSK, tue, 23 * 60, UTC(tue, 5, 0), UTC(tue, 19, 0),
	    "weekday Moscow, send_at 23:00 past the window: its whole");
	window_is(MSK, sat, 8 * 60, UTC(sat, 6, 0), UTC(sat, 17, 0), "Saturday Moscow: 09:00-20:00");
	window_is(MSK, sat, 600, UTC(sat, 7, 0), UTC(sat, 17, 0), "Saturday Moscow, send_at 10:00: 10:00-20:00");
	window_is(MSK, worksat, 8 * 60, UTC(worksat, 5, 0), UTC(worksat, 19, 0),
	    "working Saturday 2024-04-27 Moscow: 08:00-22:00");
	window_is(MSK, hol, 8 * 60, UTC(hol, 6, 0), UTC(hol, 17, 0), "holiday 2024-05-09 Moscow: 09:00-20:00");
	/* Novosibirsk UTC+7 */
	window_is(NSK, tue, 8 * 60, UTC(tue, 1, 0), UTC(tue, 15, 0), "weekday Novosibirsk: 08:00-22:00");
	window_is(NSK, sat, 8 * 60, UTC(sat, 2, 0), UTC(sat, 13, 0), "Saturday Novosibirsk: 09:00-20:00");
	window_is(NSK, worksat, 8 * 60, UTC(worksat, 1, 0), UTC(worksat, 15, 0),
	    "working Saturday Novosibirsk: 08:00-22:00");
	window_is(NSK, hol, 8 * 60, UTC(hol, 2, 0), UTC(hol, 13, 0), "holiday Novosibirsk: 09:00-20:00");

	client(&a, 1, MSK, l, 1);
	client(&b, 2, NSK, l, 1);
	decide(&a, hol, &da);
	decide(&b, hol, &db);
	is_int(da.win_from - db.win_from, 4 * 3600, "holiday 10:00: Moscow's window opens 4 h after Novosibirsk's");
	is_int(da.win_to - db.win_to, 4 * 3600, "... and closes 4 h after");
	is_int(db.win_from, UTC(hol, 3, 0), "... Novosibirsk 10:00 = 03:00 UTC");
	is_int(db.win_to, UTC(hol, 13, 0), "... Novosibirsk 20:00 = 13:00 UTC");

	/*
	 * Unknown zone: allowed everywhere from UTC+2 to UTC+12.  A working
	 * day: 08:00 at UTC+2 = 06:00 UTC to 22:00 at UTC+12 = 10:00 UTC; a
	 * holiday: 09:00 at UTC+2 = 07:00 UTC to 20:00 at UTC+12 = 08:00 UTC.
	 * send_at is Moscow time (10:00 = 07:00 UTC).
	 */
	window_is(NULL, tue, 600, UTC(tue, 7, 0), UTC(tue, 10, 0), "unknown zone, weekday: 07:00-10:00 UTC");
	window_is(NULL, tue, 8 * 60, UTC(tue, 6, 0), UTC(tue, 10, 0),
	    "unknown zone, weekday, send_at 08:00 Moscow: from 06:00 UTC");
	window_is(NULL, hol, 600, UTC(hol, 7, 0), UTC(hol, 8, 0), "unknown zone, holiday: 07:00-08:00 UTC");
	window_is(NULL, sat, 600, UTC(sat, 7, 0), UTC(sat, 8, 0), "unknown zone, Saturday: 07:00-08:00 UTC");
}

static void
channels(void)
{
	int32_t day = D(2024, 3, 5);
	struct nloan one[] = {loan("L", 100000, 1)}, seven[] = {loan("L", 100000, 7)},
		thirty[] = {loan("L", 100000, 30)};
	struct nclient c;
	struct decision d;

	client(&c, 1, MSK, one, 1);
	c.excluded = 1;
	decide(&c, day, &d);
	is_int(d.contact, 0, "excluded client: no contact");
	client(&c, 1, MSK, seven, 1);
	c.excluded = 1;
	decide(&c, day, &d);
	is_int(d.contact, 0, "excluded client at a call step: no contact either");

	client(&c, 1, MSK, seven, 1);
	decide(&c, day, &d);
	ok(d.contact && d.step == 2 && d.channel == CH_CALL, "dpd 7: the call step");
	c.no_calls = 1;
	decide(&c, day, &d);
	ok(d.contact && d.step == 2 && d.channel == CH_SMS, "no_calls: the call step by sms");

	client(&c, 1, MSK, one, 1);
	c.has_phone = 0;
	decide(&c, day, &d);
	ok(d.contact && d.channel == CH_EMAIL, "no phone: sms -> email");
	c.has_email = 0;
	decide(&c, day, &d);
	ok(d.contact && d.channel == CH_LETTER, "no phone, no e-mail: a letter");
	c.has_address = 0;
	decide(&c, day, &d);
	is_int(d.contact, 0, "no phone, no e-mail, no address: nobody to contact");

	client(&c, 1, MSK, seven, 1);
	c.has_phone = 0;
	decide(&c, day, &d);
	ok(d.contact && d.channel == CH_EMAIL, "call step, no phone: e-mail");

	client(&c, 1, MSK, thirty, 1);
	decide(&c, day, &d);
	ok(d.contact && d.step == 4 && d.channel == CH_LETTER, "dpd 30: the letter step");
	c.has_address = 0;
	decide(&c, day, &d);
	is_int(d.contact, 0, "letter step, no address: nothing (the chain ends at the letter)");

	{
		struct nloan cur[] = {loan("L", 0, 0)};

		client(&c, 1, MSK, cur, 1);
		c.loans = cur;
		decide(&c, day, &d);
		is_int(d.contact, 0, "all loans current and nothing due soon: no contact");
	}
}

/* the channel of client c's step today with the ledger as set up; -1: no contact */
static int
chan(struct nclient *c, int32_t day)
{
	struct decision d;

	decide(c, day, &d);
	return d.contact ? (int)d.channel : -1;
}

static void
caps(void)
{
	int32_t wed = D(2024, 3, 13), mon = D(2024, 3, 11), fri = D(2024, 3, 29);
	struct nloan one[] = {loan("L", 100000, 1)}, seven[] = {loan("L", 100000, 7)};
	struct nclient c;
	struct decision d;

	/* messages: 2 a day */
	client(&c, 1, MSK, one, 1);
	add(&c, CLASS_MESSAGE, wed, 1);
	is_int(chan(&c, wed), CH_SMS, "1 message today: the second is allowed");
	add(&c, CLASS_MESSAGE, wed, 1);
	is_int(chan(&c, wed), CH_LETTER, "2 messages today: the third refused, e-mail too, a letter");
	c.has_address = 0;
	is_int(chan(&c, wed), -1, "... and without an address the client waits");
	c.has_address = 1;
	is_int(chan(&c, wed + 1), CH_SMS, "the next day the sms goes");
	add(&c, CLASS_CALL, wed, 1);
	is_int(chan(&c, wed + 1), CH_SMS, "calls do not count against messages");

	/* messages: 4 an ISO week */
	client(&c, 1, MSK, one, 1);
	add(&c, CLASS_MESSAGE, mon, 2);
	add(&c, CLASS_MESSAGE, mon + 1, 1);
	add(&c, CLASS_MESSAGE, mon - 1, 2);	/* Sunday: the week before */
	is_int(chan(&c, wed), CH_SMS, "3 messages this week: the 4th is allowed");
	add(&c, CLASS_MESSAGE, mon + 1, 1);
	is_int(chan(&c, wed), CH_LETTER, "4 messages this week: the 5th refused");
	is_int(chan(&c, mon + 7), CH_SMS, "next Monday: allowed again");

	/* messages: 16 a month */
	client(&c, 1, MSK, one, 1);
	for (int i = 0; i < 15; i++)
		add(&c, CLASS_MESSAGE, D(2024, 3, 1) + i / 4 * 7 + i % 4 / 2, 1);	/* <= 4 a week before the 25th */
	add(&c, CLASS_MESSAGE, D(2024, 2, 29), 2);
	is_int(chan(&c, fri), CH_SMS, "15 messages this month: the 16th is allowed");
	add(&c, CLASS_MESSAGE, D(2024, 3, 20), 1);
	is_int(chan(&c, fri), CH_LETTER, "16 messages this month: the 17th refused");
	is_int(chan(&c, D(2024, 4, 1)), CH_SMS, "the next month: allowed again");

	/* calls: 1 a day, 2 a week, 8 a month; a refused call falls back to sms */
	client(&c, 1, MSK, seven, 1);
	is_int(chan(&c, wed), CH_CALL, "no call yet: a call");
	add(&c, CLASS_CALL, wed, 1);
	is_int(chan(&c, wed), CH_SMS, "1 call today: the second refused, sms instead");
	client(&c, 1, MSK, seven, 1);
	add(&c, CLASS_CALL, mon, 1);
	is_int(chan(&c, wed), CH_CALL, "1 call this week: the 2nd is allowed");
	add(&c, CLASS_CALL, mon + 1, 1);
	is_int(chan(&c, wed), CH_SMS, "2 calls this week: the 3rd refused, sms");
	client(&c, 1, MSK, seven, 1);
	for (int w = 0; w < 3; w++)
		add(&c, CLASS_CALL, D(2024, 3, 4) + 7 * w, 2);
	add(&c, CLASS_CALL, D(2024, 3, 1), 1);
	add(&c, CLASS_CALL, D(2024, 2, 28), 2);
	is_int(chan(&c, fri), CH_CALL, "7 calls this month: the 8th is allowed");
	add(&c, CLASS_CALL, D(2024, 3, 2), 1);
	is_int(chan(&c, fri), CH_SMS, "8 calls this month: the 9th refused, sms");
	add(&c, CLASS_MESSAGE, fri, 2);
	is_int(chan(&c, fri), CH_LETTER, "calls and messages full: a letter");

	/* the policy's caps below the law */
	P.message_caps.day = 1;
	client(&c, 1, MSK, one, 1);
	add(&c, CLASS_MESSAGE, wed, 1);
	is_int(chan(&c, wed), CH_LETTER, "message_caps 1 a day: the second refused");
	P.message_caps.day = 2;
	P.call_caps = (struct caps){0, 0, 0};
	client(&c, 1, MSK, seven, 1);
	is_int(chan(&c, wed), CH_SMS, "call_caps 0 0 0: never a call");
	P.call_caps = law_calls;

	/* counted on the client's local day */
	client(&c, 1, NSK, one, 1);
	add(&c, CLASS_MESSAGE, wed, 2);
	decide(&c, wed, &d);
	ok(d.local_day == wed && d.channel == CH_LETTER, "Novosibirsk: caps on its local day");

	/* plan_record books the contact */
	client(&c, 1, MSK, one, 1);
	decide(&c, wed, &d);
	plan_record(&c, &d);
	{
		int n1, n7, n30;

		ledger_count(&c.ledger, CLASS_MESSAGE, wed, &n1, &n7, &n30);
		ok(n1 == 1 && n7 == 1 && n30 == 1, "plan_record: one message on the local day");
	}
}

static void
capacity(void)
{
	int32_t day = D(2024, 3, 5);
	struct nloan a[] = {loan("A", 300000, 7)}, b[] = {loan("B", 100000, 7)}, c3[] = {loan("C", 200000, 7)},
		e[] = {loan("E", 200000, 7)}, cur[] = {loan("F", 0, 0)};
	struct nclient cl[5];
	const struct nclient *cp[5] = {&cl[0], &cl[1], &cl[2], &cl[3], &cl[4]};
	struct decision d[5];
	int save = P.calls_per_day;

	client(&cl[0], 1, MSK, a, 1);
	client(&cl[1], 2, MSK, b, 1);
	client(&cl[2], 3, MSK, c3, 1);
	for (int i = 0; i < 3; i++)
		decide(&cl[i], day, &d[i]);
	ok(d[0].channel == CH_CALL && d[1].channel == CH_CALL && d[2].channel == CH_CALL, "3 calls wanted");
	P.calls_per_day = 2;
	plan_capacity(&P, cp, d, 3);
	ok(d[0].contact && d[0].channel == CH_CALL, "capacity 2: the highest priority calls");
	ok(d[2].contact && d[2].channel == CH_CALL, "capacity 2: the second highest calls");
	ok(d[1].contact && d[1].channel == CH_SMS, "capacity 2: the lowest priority gets an sms");

	/* ties: the lower client id first; a moved client whose caps are full waits */
	client(&cl[0], 9, MSK, e, 1);
	client(&cl[1], 4, MSK, e, 1);
	client(&cl[2], 6, MSK, a, 1);
	client(&cl[3], 5, MSK, b, 1);
	cl[3].has_email = cl[3].has_address = 0;
	add(&cl[3], CLASS_MESSAGE, day, 2);
	client(&cl[4], 3, MSK, cur, 1);
	for (int i = 0; i < 5; i++)
		decide(&cl[i], day, &d[i]);
	P.calls_per_day = 2;
	plan_capacity(&P, cp, d, 5);
	ok(d[2].channel == CH_CALL, "ties: the top priority calls");
	ok(d[1].channel == CH_CALL, "ties: equal priorities, the lower id (4) calls");
	ok(d[0].contact && d[0].channel == CH_SMS, "ties: the higher id (9) gets an sms");
	is_int(d[3].contact, 0, "moved with messages full and no e-mail, no address: waits");
	is_int(d[4].contact, 0, "a client without a decision stays so");

	P.calls_per_day = 0;
	client(&cl[0], 1, MSK, a, 1);
	decide(&cl[0], day, &d[0]);
	plan_capacity(&P, cp, d, 1);
	ok(d[0].contact && d[0].channel == CH_SMS, "capacity 0: no calls at all");
	P.calls_per_day = save;
}

static void
predue(void)
{
	int32_t day = D(2024, 3, 5);
	struct nloan l[] = {loan("A", 0, 0), loan("B", 0, 0)};
	struct nclient c;
	struct decision d;

	l[0].late_recent = 1;		/* paid late once, due later */
	l[0].next_due = day + 20;
	l[1].next_due = day + 3;
	client(&c, 1, MSK, l, 2);
	decide(&c, day - 1, &d);
	is_int(d.contact, 0, "due in 4 days: not yet");
	decide(&c, day, &d);
	ok(d.contact && d.step == STEP_PREDUE && d.channel == CH_SMS, "due in 3 days, late history: a reminder by sms");
	is_int(d.loans, 2, "... for the loan due");
	is_int(d.priority, 0, "... nothing overdue: priority 0");
	ok(d.win_from == UTC(day, 7, 0) && d.win_to == UTC(day, 19, 0), "... in the day's window");
	plan_record(&c, &d);
	is_int(c.predue_for, day + 3, "plan_record: the due date reminded of");
	decide(&c, day + 1, &d);
	is_int(d.contact, 0, "the next day: not repeated for the same due date");
	decide(&c, day + 2, &d);
	is_int(d.contact, 0, "the day before: not repeated");
	is_int(c.episode_start, PLAN_NODATE, "no overdue: no episode");

	/* the next installment, a month later */
	l[1].next_due = day + 3 + 30;
	decide(&c, day + 30, &d);
	ok(d.contact && d.step == STEP_PREDUE && d.loans == 2, "the next due date: a new reminder");

	/* a late installment lost to the lookback: no reminder */
	client(&c, 1, MSK, l, 2);
	l[0].late_recent = 0;
	l[1].next_due = day + 3;
	decide(&c, day, &d);
	is_int(d.contact, 0, "no late history: no reminder");
	l[0].late_recent = 1;

	/* a capped message day: the reminder waits rather than going by post */
	client(&c, 1, MSK, l, 2);
	add(&c, CLASS_MESSAGE, day, 2);
	decide(&c, day, &d);
	is_int(d.contact, 0, "messages full: no reminder by letter");
	decide(&c, day + 1, &d);
	ok(d.contact && d.channel == CH_SMS, "the next day (due in 2): the reminder");

	client(&c, 1, MSK, l, 2);
	c.has_phone = 0;
	decide(&c, day, &d);
	ok(d.contact && d.channel == CH_EMAIL, "reminder, no phone: e-mail");
	c.has_email = 0;
	decide(&c, day, &d);
	is_int(d.contact, 0, "reminder, no phone, no e-mail: none (a letter comes too late)");

	/* something overdue: the ladder, not a reminder */
	{
		struct nloan m[] = {loan("A", 50000, 2), loan("B", 0, 0)};

		m[1].next_due = day + 3;
		m[1].late_recent = 1;
		client(&c, 1, MSK, m, 2);
		decide(&c, day, &d);
		ok(d.contact && d.step == 0 && d.loans == 1, "an overdue loan: the ladder for it, no reminder");
	}
	P.predue_days = 0;
	client(&c, 1, MSK, l, 2);
	decide(&c, day, &d);
	is_int(d.contact, 0, "predue_days 0: no reminders");
	P.predue_days = 3;
}

/* the decision on day for a client whose one loan is dpd days past due; recorded */
static int
step_on(struct nclient *c, struct nloan *l, int32_t day, int32_t dpd, int *channel)
{
	struct decision d;

	l->dpd = dpd;
	l->arrears_k = dpd > 0 ? 100000 : 0;
	decide(c, day, &d);
	plan_record(c, &d);
	*channel = d.contact ? (int)d.channel : -1;
	return d.contact ? d.step : -9;
}

static void
ladder(void)
{
	int32_t day = D(2024, 3, 4);
	struct nloan l[1] = {loan("L", 0, 0)};
	struct nclient c;
	int ch;

	client(&c, 1, MSK, l, 1);
	is_int(step_on(&c, &l[0], day, 0, &ch), -9, "current: nothing");
	is_int(step_on(&c, &l[0], day + 1, 1, &ch), 0, "dpd 1: step dpd1");
	is_int(ch, CH_SMS, "... by sms");
	is_int(c.episode_start, day + 1, "... the episode starts");
	is_int(step_on(&c, &l[0], day + 2, 2, &ch), -9, "dpd 2: nothing new");
	is_int(step_on(&c, &l[0], day + 3, 3, &ch), 1, "dpd 3 the next day: step dpd3");
	is_int(ch, CH_SMS, "... by sms");
	is_int(step_on(&c, &l[0], day + 4, 4, &ch), -9, "dpd 4: no repeat of dpd3");
	is_int(step_on(&c, &l[0], day + 5, 3, &ch), -9, "back to dpd 3 (part paid): no repeat");
	is_int(step_on(&c, &l[0], day + 6, 7, &ch), 2, "dpd 7: step dpd7");
	is_int(ch, CH_CALL, "... a call");
	is_int(c.steps_done, 7, "steps dpd1, dpd3, dpd7 taken");

	/* a cure ends the episode; the next one climbs the ladder again */
	is_int(step_on(&c, &l[0], day + 7, 0, &ch), -9, "cured: nothing");
	is_int(c.episode_start, PLAN_NODATE, "... the episode ends");
	is_int(c.steps_done, 0, "... its steps forgotten");
	is_int(step_on(&c, &l[0], day + 20, 1, &ch), 0, "overdue again: a new episode starts at dpd1");
	is_int(c.episode_start, day + 20, "... from that day");

	/* a jump from 0 to 8 takes dpd7 and passes dpd1 and dpd3 */
	client(&c, 2, MSK, l, 1);
	is_int(step_on(&c, &l[0], day, 8, &ch), 2, "first seen at dpd 8: step dpd7");
	is_int(ch, CH_CALL, "... a call");
	is_int(c.steps_done, 7, "... dpd1 and dpd3 marked passed");
	is_int(step_on(&c, &l[0], day + 1, 9, &ch), -9, "dpd 9: nothing (no dpd1/dpd3 afterwards)");
	is_int(step_on(&c, &l[0], day + 6, 14, &ch), 3, "dpd 14: step dpd14");

	/* a step that could not be taken (no channel) is taken when one comes */
	client(&c, 3, MSK, l, 1);
	c.has_phone = c.has_email = c.has_address = 0;
	is_int(step_on(&c, &l[0], day, 1, &ch), -9, "no channel at all: no contact");
	is_int(c.steps_done, 0, "... and no step counted");
	c.has_email = 1;
	is_int(step_on(&c, &l[0], day + 1, 2, &ch), 0, "an e-mail address known: step dpd1 now");
	is_int(ch, CH_EMAIL, "... by e-mail");

	/* a ladder starting late still contacts a new episode within first_contact_days */
	{
		struct policy save = P;

		policy_parse("ladder = 10:sms 20:call\nfirst_contact_days = 7\n", "test", &P);
		client(&c, 4, MSK, l, 1);
		for (int i = 0; i < 6; i++)
			if (step_on(&c, &l[0], day + i, 1 + i, &ch) != -9)
				break;
		is_int(c.steps_done, 0, "ladder from dpd 10: no contact on the episode's first 6 days");
		is_int(step_on(&c, &l[0], day + 6, 7, &ch), 0, "... its first step on the 7th day");
		is_int(ch, CH_SMS, "... by its channel");
		is_int(step_on(&c, &l[0], day + 9, 10, &ch), -9, "dpd 10: that step is not repeated");
		is_int(step_on(&c, &l[0], day + 19, 20, &ch), 1, "dpd 20: the next step");
		P = save;
	}
}

int
main(void)
{
	setprogname("t_plan");
	policy_load(NULL, &P);
	CAL = cal_load(NULL);
	consolidation();
	hours();
	channels();
	caps();
	capacity();
	predue();
	ladder();
	cal_free(CAL);
	return done_testing();
}
