/*
 * t_planrun.c - the pure parts of notify-plan and notify-log: a client's
 * state from its contact log (the ledger's window, the latest reminder,
 * which episode the log's steps belong to), the local time of a window, and
 * notify-log's line parsers.  Days are written as dates and worked out here.
 */
#include <string.h>

#include "date.h"
#include "notify/logrun.h"
#include "notify/planrun.h"
#include "tap.h"
#include "util.h"

static struct policy P;	/* the defaults: ladder 1 3 7 14 30 60 90 */

static int32_t
D(int y, int m, int d)
{
	return date_from_civil(y, m, d);
}

/* "plan_day,local_day,channel,step_dpd,episode_start,due_date" */
static char *
item(char *buf, size_t n, int32_t pd, const char *ch, int sd, int32_t es, int32_t dd)
{
	char e[16] = "", d[16] = "";

	if (es != PLAN_NODATE)
		snprintf(e, sizeof e, "%d", (int)es);
	if (dd != PLAN_NODATE)
		snprintf(d, sizeof d, "%d", (int)dd);
	snprintf(buf, n, "%d,%d,%s,%d,%s,%s", (int)pd, (int)pd, ch, sd, e, d);
	return buf;
}

static void
history(void)
{
	const int32_t day = D(2024, 5, 20);
	struct nloan l[1] = {{"L-1", 100000, 100000, 10, PLAN_NODATE, 0}};
	struct nclient c;
	char a[64], b[64], log[256];
	int d, w, m;

	memset(&c, 0, sizeof c);
	c.loans = l;
	c.nloans = 1;

	/* no log, overdue 10 days: the episode began on day - 9 at the latest */
	is_int(planrun_history(&P, day, NULL, &c), 0, "no log: not planned today");
	is_int(c.episode_start, D(2024, 5, 11), "no log: episode from the oldest unpaid installment");
	is_int(c.steps_done, 0, "no log: no step done");
	is_int(c.predue_for, PLAN_NODATE, "no log: no reminder");
	is_int(c.ledger.n, 0, "no log: empty ledger");

	/* a step 7 call two days ago, in this episode: steps 1 3 7 done */
	item(log, sizeof log, D(2024, 5, 18), "call", 7, D(2024, 5, 11), PLAN_NODATE);
	is_int(planrun_history(&P, day, log, &c), 0, "step 7 two days ago");
	is_int(c.steps_done, 0x7, "steps 1, 3, 7 done");
	is_int(c.episode_start, D(2024, 5, 11), "the same episode");
	ledger_count(&c.ledger, CLASS_CALL, D(2024, 5, 18), &d, &w, &m);
	ok(d == 1 && w == 1 && m == 1, "the call is in the ledger (%d %d %d)", d, w, m);

	/* a contact made before the oldest installment fell due: another episode */
	item(log, sizeof log, D(2024, 4, 30), "call", 14, D(2024, 4, 10), PLAN_NODATE);
	planrun_history(&P, day, log, &c);
	is_int(c.steps_done, 0, "an earlier episode's steps do not count");
	is_int(c.episode_start, D(2024, 5, 11), "the episode starts anew");

	/* a contact on or after it, of an episode that began earlier: one episode */
	snprintf(log, sizeof log, "%s;%s",
	    item(a, sizeof a, D(2024, 4, 20), "sms", 3, D(2024, 4, 15), PLAN_NODATE),
	    item(b, sizeof b, D(2024, 5, 15), "letter", 30, D(2024, 4, 15), PLAN_NODATE));
	planrun_history(&P, day, log, &c);
	is_int(c.episode_start, D(2024, 4, 15), "the logged episode goes on");
	is_int(c.steps_done, 0x1f, "steps up to 30 done");

	/* only the latest episode counts */
	snprintf(log, sizeof log, "%s;%s",
	    item(a, sizeof a, D(2024, 5, 12), "letter", 90, D(2024, 1, 1), PLAN_NODATE),
	    item(b, sizeof b, D(2024, 5, 14), "sms", 1, D(2024, 5, 11), PLAN_NODATE));
	planrun_history(&P, day, log, &c);
	is_int(c.episode_start, D(2024, 5, 11), "the latest episode");
	is_int(c.steps_done, 0x1, "its step 1 only");

	/* a plan of the day itself; one of a later day is not history */
	item(log, sizeof log, day, "sms", 7, D(2024, 5, 11), PLAN_NODATE);
	is_int(planrun_history(&P, day, log, &c), 1, "planned today");
	item(log, sizeof log, day + 1, "sms", 7, D(2024, 5, 11), PLAN_NODATE);
	is_int(planrun_history(&P, day, log, &c), 0, "a later day's plan is ignored");
	is_int(c.steps_done, 0, "... and its step");

	/* nothing overdue: no episode, whatever the log says; reminders counted */
	l[0].dpd = 0;
	snprintf(log, sizeof log, "%s;%s",
	    item(a, sizeof a, D(2024, 4, 12), "sms", -1, PLAN_NODATE, D(2024, 4, 15)),
	    item(b, sizeof b, D(2024, 3, 1), "email", -1, PLAN_NODATE, D(2024, 3, 3)));
	is_int(planrun_history(&P, day, log, &c), 0, "reminders");
	is_int(c.episode_start, PLAN_NODATE, "no overdue loan: no episode");
	is_int(c.predue_for, D(2024, 4, 15), "the latest reminder's due date");
	/* 2024-03-01 is 80 days back: out of the ledger's 62 */
	is_int(c.ledger.n, 1, "the ledger keeps the last 62 days");

	is_int(planrun_history(&P, day, "1,2,sms", &c), -1, "too few fields");
	is_int(planrun_history(&P, day, "1,2,fax,3,,", &c), -1, "an unknown channel");
	is_int(planrun_history(&P, day, "1,2,sms,x,,", &c), -1, "not a number");
	is_int(planrun_history(&P, day, "1,2,sms,3,,,", &c), -1, "too many fields");
}

static void
local(void)
{
	char s[17];

	/* 2024-05-14 07:00 UTC */
	int64_t t = (int64_t)D(2024, 5, 14) * 86400 + 7 * 3600;

	planrun_local("Europe/Moscow", t, s);
	is_str(s, "2024-05-14T10:00", "Moscow is UTC+3");
	planrun_local("Asia/Novosibirsk", t, s);
	is_str(s, "2024-05-14T14:00", "Novosibirsk is UTC+7");
	planrun_local("Asia/Kamchatka", t + 17 * 3600, s);
	is_str(s, "2024-05-15T12:00", "Kamchatka is UTC+12, the next day");
}

static void
parsers(void)
{
	struct nevent e;
	struct nrestr r;
	const char *why = NULL;
	int64_t t;
	char line[256];

	is_int(logrun_parse_utc("2024-05-20T07:00:05Z", &t), 0, "a UTC time");
	is_int(t, (int64_t)D(2024, 5, 20) * 86400 + 7 * 3600 + 5, "its seconds");
	is_int(logrun_parse_utc("2024-05-20T07:00:05", &t), -1, "no Z");
	is_int(logrun_parse_utc("2024-05-20 07:00:05Z", &t), -1, "no T");
	is_int(logrun_parse_utc("2024-02-30T07:00:05Z", &t), -1, "no such day");
	is_int(logrun_parse_utc("2024-05-20T24:00:00Z", &t), -1, "hour 24");

	strcpy(line, "42\tdelivered\t2024-05-20T07:01:00Z\tid=8f3a");
	is_int(logrun_parse_event(line, &e, &why), 1, "an event");
	ok(e.contact_id == 42 && e.kind == EV_DELIVERED && e.detail != NULL &&
	    strcmp(e.detail, "id=8f3a") == 0, "its fields");
	strcpy(line, "42\tsent\t2024-05-20T07:01:00Z");
	is_int(logrun_parse_event(line, &e, &why), 1, "without detail");
	ok(e.detail == NULL, "detail absent");
	strcpy(line, "contact_id\tevent\tat\tdetail");
	is_int(logrun_parse_event(line, &e, &why), 0, "a header is skipped");
	strcpy(line, "  # a comment");
	is_int(logrun_parse_event(line, &e, &why), 0, "a comment is skipped");
	strcpy(line, "42\tread\t2024-05-20T07:01:00Z");
	is_int(logrun_parse_event(line, &e, &why), -1, "an unknown event");
	strcpy(line, "0\tsent\t2024-05-20T07:01:00Z");
	is_int(logrun_parse_event(line, &e, &why), -1, "contact_id 0");
	strcpy(line, "42\tsent\t2024-05-20T07:01:00Z\ta\tb");
	is_int(logrun_parse_event(line, &e, &why), -1, "five fields");

	strcpy(line, "7\tbankruptcy\t2024-05-01");
	is_int(logrun_parse_restriction(line, &r, &why), 1, "an open restriction");
	ok(r.client_id == 7 && r.kind == RS_BANKRUPTCY && r.from == D(2024, 5, 1) &&
	    r.to == INT32_MIN && r.note == NULL, "its fields");
	strcpy(line, "7\trefusal\t2024-01-01\t\tart. 8");
	is_int(logrun_parse_restriction(line, &r, &why), 1, "an empty valid_to and a note");
	ok(r.to == INT32_MIN && r.note != NULL && strcmp(r.note, "art. 8") == 0, "open, noted");
	strcpy(line, "7\tincapacity\t2024-01-01\t2024-03-31");
	is_int(logrun_parse_restriction(line, &r, &why), 1, "with an end");
	is_int(r.to, D(2024, 3, 31), "its end");
	strcpy(line, "7\tincapacity\t2024-04-01\t2024-03-31");
	is_int(logrun_parse_restriction(line, &r, &why), -1, "an end before the start");
	strcpy(line, "7\tholiday\t2024-04-01");
	is_int(logrun_parse_restriction(line, &r, &why), -1, "an unknown kind");
	strcpy(line, "x\trefusal\t2024-04-01");
	is_int(logrun_parse_restriction(line, &r, &why), -1, "not a client id");
	strcpy(line, "7\trefusal\t2024-4-1");
	is_int(logrun_parse_restriction(line, &r, &why), -1, "not a date");
}

int
main(void)
{
	setprogname("t_planrun");
	policy_load(NULL, &P);
	history();
	local();
	parsers();
	return done_testing();
}
