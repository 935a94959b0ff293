/* t_policy.c - the notification policy file: defaults, overrides, every refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/policy.h"
#include "tap.h"
#include "util.h"

/* The defaults, then text over them (in a tap_child: a bad file dies). */
static void
parse_policy(const char *text)
{
	struct policy p;

	policy_load(NULL, &p);
	policy_parse(text, "test.conf", &p);
}

/* text is refused with EX_DATAERR and a message holding want (file:line first) */
static void
refused(const char *text, const char *want, const char *what)
{
	char err[1024];
	int st = tap_child(parse_policy, text, err, sizeof err);

	is_int(st, EX_DATAERR, "%s: refused with EX_DATAERR", what);
	if (!ok(strstr(err, want) != NULL, "%s: message names '%s'", what, want))
		printf("#   stderr: %s", err);
}

static void
defaults(void)
{
	struct policy p;
	static const struct step ladder[] = {
		{1, CH_SMS}, {3, CH_SMS}, {7, CH_CALL}, {14, CH_CALL}, {30, CH_LETTER},
		{60, CH_CALL}, {90, CH_LETTER},
	};
	int same = 1;

	policy_load(NULL, &p);
	is_int(p.predue_days, 3, "default predue_days");
	is_int(p.predue_lookback_months, 12, "default predue_lookback_months");
	is_int(p.nsteps, 7, "default ladder has 7 steps");
	for (int i = 0; i < 7 && i < p.nsteps; i++)
		same &= p.steps[i].dpd == ladder[i].dpd && p.steps[i].channel == ladder[i].channel;
	ok(same, "default ladder 1:sms 3:sms 7:call 14:call 30:letter 60:call 90:letter");
	is_int(p.first_contact_days, 7, "default first_contact_days");
	is_int(p.calls_per_day, 200, "default calls_per_day");
	ok(p.call_caps.day == 1 && p.call_caps.week == 2 && p.call_caps.month == 8,
	    "default call caps are the law's 1 2 8");
	ok(p.message_caps.day == 2 && p.message_caps.week == 4 && p.message_caps.month == 16,
	    "default message caps are the law's 2 4 16");
	ok(law_calls.day == 1 && law_calls.week == 2 && law_calls.month == 8, "law: calls 1 2 8");
	ok(law_messages.day == 2 && law_messages.week == 4 && law_messages.month == 16,
	    "law: messages 2 4 16");
	is_int(p.send_at, 600, "default send_at 10:00");
	is_int(p.nweights, 4, "default dpd_weight has 4 bands");
	is_str(p.creditor_name, "ООО МФК «Пример»", "default creditor_name");
	is_str(p.creditor_phone, "+7 800 000-00-00", "default creditor_phone");

	is_int(policy_weight(&p, 0), 0, "weight below the first band: 0");
	is_int(policy_weight(&p, 1), 100, "weight dpd 1");
	is_int(policy_weight(&p, 30), 100, "weight dpd 30");
	is_int(policy_weight(&p, 31), 70, "weight dpd 31");
	is_int(policy_weight(&p, 60), 70, "weight dpd 60");
	is_int(policy_weight(&p, 61), 50, "weight dpd 61");
	is_int(policy_weight(&p, 91), 30, "weight dpd 91");
	is_int(policy_weight(&p, 5000), 30, "weight dpd 5000");
}

static void
overrides(void)
{
	struct policy p;
	char path[] = "/tmp/t_policy.XXXXXX";
	const char *file = "# a smaller call centre\r\n\n   calls_per_day   =   50  \r\n"
	    "\tsend_at=09:30\n"
	    "call_caps = 0 1 4\n"
	    "ladder = 2:email 5:call 40:letter\n"
	    "dpd_weight = 0:10 15:90\n"
	    "creditor_name = ООО «Другое» # not a comment\n";
	FILE *fp;
	int fd;

	policy_load(NULL, &p);
	policy_parse("predue_days = 0\n", "inline", &p);
	is_int(p.predue_days, 0, "predue_days 0 (no reminders) accepted");
	is_int(p.calls_per_day, 200, "a key not named keeps its value");

	fd = mkstemp(path);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL)
		die(EX_CANTCREAT, "%s:", path);
	fputs(file, fp);
	if (fclose(fp) != 0)
		die(EX_IOERR, "%s:", path);
	policy_load(path, &p);
	unlink(path);
	is_int(p.calls_per_day, 50, "file: calls_per_day (blanks, CRLF, comment, empty line)");
	is_int(p.send_at, 9 * 60 + 30, "file: send_at 09:30 (tab, no blanks around =)");
	ok(p.call_caps.day == 0 && p.call_caps.week == 1 && p.call_caps.month == 4,
	    "file: call caps lowered to 0 1 4");
	ok(p.message_caps.day == 2 && p.message_caps.week == 4 && p.message_caps.month == 16,
	    "file: message caps keep the defaults");
	ok(p.nsteps == 3 && p.steps[0].dpd == 2 && p.steps[0].channel == CH_EMAIL &&
	    p.steps[1].dpd == 5 && p.steps[1].channel == CH_CALL &&
	    p.steps[2].dpd == 40 && p.steps[2].channel == CH_LETTER, "file: ladder replaced");
	is_int(policy_weight(&p, 0), 10, "file: weight from dpd 0");
	is_int(policy_weight(&p, 14), 10, "file: weight dpd 14");
	is_int(policy_weight(&p, 15), 90, "file: weight dpd 15");
	is_str(p.creditor_name, "ООО «Другое» # not a comment", "file: text value kept whole");
	is_int(p.predue_days, 3, "file: predue_days back to the default (load starts over)");
}

static void
errors(void)
{
	char err[512];

	refused("calls_per_day = 10\nfoo = 1\n", "test.conf:2: unknown key 'foo'", "unknown key");
	refused("\n\ncalls_per_day 10\n", "test.conf:3: expected key = value", "no =");
	refused("calls_per_day = ten\n", "test.conf:1: calls_per_day", "not a number");
	refused("calls_per_day = -1\n", "test.conf:1: calls_per_day: '-1'", "calls_per_day < 0");
	refused("calls_per_day =\n", "test.conf:1: calls_per_day", "empty value");
	refused("predue_days = 3x\n", "test.conf:1: predue_days", "trailing garbage");
	refused("first_contact_days = 0\n", "test.conf:1: first_contact_days", "first_contact_days 0");
	refused("# c\nladder = 1:sms 3:sms 3:call\n", "test.conf:2: ladder: step '3:call' is not after dpd 3",
	    "ladder not ascending (equal)");
	refused("ladder = 7:call 3:sms\n", "test.conf:1: ladder: step '3:sms' is not after dpd 7",
	    "ladder descending");
	refused("ladder = 1:fax\n", "unknown channel 'fax'", "ladder unknown channel");
	refused("ladder = 1sms\n", "test.conf:1: ladder: step '1sms' is not dpd:channel", "ladder no colon");
	refused("ladder = 0:sms\n", "test.conf:1: ladder: step '0:sms'", "ladder dpd 0");
	refused("ladder =\n", "test.conf:1: ladder: no step", "empty ladder");
	refused("ladder = 1:sms 2:sms 3:sms 4:sms 5:sms 6:sms 7:sms 8:sms 9:sms 10:sms 11:sms "
	    "12:sms 13:sms 14:sms 15:sms 16:sms 17:sms\n", "more than 16 steps", "17 steps");
	refused("call_caps = 2 2 8\n", "test.conf:1: call_caps: 2 a day is above the law's 1",
	    "call cap a day above the law");
	refused("call_caps = 1 3 8\n", "call_caps: 3 a week is above the law's 2", "call cap a week above the law");
	refused("call_caps = 1 2 9\n", "call_caps: 9 a month is above the law's 8", "call cap a month above the law");
	refused("message_caps = 3 4 16\n", "message_caps: 3 a day is above the law's 2",
	    "message cap a day above the law");
	refused("message_caps = 2 5 16\n", "message_caps: 5 a week is above the law's 4",
	    "message cap a week above the law");
	refused("message_caps = 2 4 17\n", "test.conf:1: message_caps: 17 a month is above the law's 16",
	    "message cap a month above the law");
	refused("message_caps = 1 2\n", "test.conf:1: message_caps: expected three counts", "two caps");
	refused("message_caps = 1 2 3 4\n", "expected three counts", "four caps");
	refused("call_caps = -1 2 8\n", "call_caps: '-1' is not a count", "negative cap");
	refused("send_at = 25:00\n", "test.conf:1: send_at: '25:00'", "send_at hour 25");
	refused("send_at = 9:00\n", "send_at: '9:00' is not a time HH:MM", "send_at without leading zero");
	refused("send_at = 10:60\n", "send_at: '10:60'", "send_at minute 60");
	refused("dpd_weight = 1:100 1:50\n", "dpd_weight: '1:50' is not after dpd 1", "weights not ascending");
	refused("dpd_weight = 1:101\n", "dpd_weight: '1:101': the percent", "weight above 100 %");
	refused("dpd_weight = 1\n", "dpd_weight: '1' is not dpd:percent", "weight without colon");
	refused("calls_per_day = 1\ncalls_per_day = 2\n", "test.conf:2: calls_per_day given twice", "key twice");
	refused("creditor_name =   \n", "test.conf:1: creditor_name: empty", "empty creditor name");
	is_int(tap_child(parse_policy, "# only a comment\n\n", err, sizeof err), 0, "comments and blank lines only: fine");
	is_int(tap_child(parse_policy, "call_caps = 0 0 0\nmessage_caps = 1 1 1\n", err, sizeof err), 0,
	    "caps may be lowered to zero");
}

static void
missing_file(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct policy p;

		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(99);
		policy_load("/nonexistent/policy.conf", &p);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, EX_NOINPUT, "a missing policy file: EX_NOINPUT");
}

int
main(void)
{
	setprogname("t_policy");
	defaults();
	overrides();
	errors();
	missing_file();
	return done_testing();
}
