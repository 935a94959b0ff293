/* t_replay.c - notify-replay's engine on hand-made clients (no database). */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "notify/calendar.h"
#include "notify/policy.h"
#include "notify/replay.h"
#include "notify/tz.h"
#include "tap.h"
#include "util.h"

static int32_t
D(const char *s)
{
	int32_t d;

	if (date_parse(s, strlen(s), &d) != 0)
		die(EX_SOFTWARE, "bad test date %s", s);
	return d;
}

static struct replay_loan
loan(const char *name, const char *start, int n, int64_t pa, struct pos_rec *rec, size_t nrec)
{
	struct replay_loan l;

	memset(&l, 0, sizeof l);
	l.name = name;
	l.pos.start = D(start);
	l.pos.n = n;
	l.pos.pa = pa;
	l.pos.rec = rec;
	l.pos.nrec = nrec;
	return l;
}

static struct replay_client
client(int64_t id, const char *zone, struct replay_loan *l, size_t n)
{
	struct replay_client c;

	memset(&c, 0, sizeof c);
	c.id = id;
	c.zone = zone;
	c.has_phone = c.has_address = 1;
	c.loans = l;
	c.nloans = n;
	return c;
}

/* the lines of a log that contain s */
static int
lines_with(const char *log, const char *s)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	return n;
}

/* A replay of clients over [from, to] with both logs in memory. */
struct run {
	struct replay *r;
	char *log, *blog;
	size_t nlog, nblog;
};

static void
replay_all(struct run *x, const struct policy *p, const struct calendar *cal, const char *from,
    const char *to, struct replay_client *c, size_t n)
{
	struct replay_opts o = {D(from), D(to), p, cal, NULL, NULL};

	o.log = open_memstream(&x->log, &x->nlog);
	o.baseline_log = open_memstream(&x->blog, &x->nblog);
	x->r = replay_new(&o);
	for (size_t i = 0; i < n; i++)
		replay_client(x->r, &c[i]);
	replay_cut(x->r);
	for (size_t i = 0; i < n; i++)
		replay_client(x->r, &c[i]);
	replay_finish(x->r);
	fclose(o.log);
	fclose(o.baseline_log);
}

static void
run_free(struct run *x, struct replay_client *c, size_t n)
{
	replay_free(x->r);
	free(x->log);
	free(x->blog);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c[i].nloans; k++)
			pos_free(&c[i].loans[k].pos);
}

int
main(void)
{
	struct policy p, one;
	struct calendar *cal = cal_load(NULL);
	const struct replay_totals *b, *o;
	struct run x;
	struct buf out = BUF_INIT;

	setprogname("t_replay");
	policy_load(NULL, &p);

	/*
	 * Three loans unpaid for a year (an episode long under way), one week
	 * from Monday 2024-01-08: the baseline sends 3 SMS a day; day 1 breaks
	 * the day cap once, day 2 the week cap twice, days 3-7 every time.
	 * The optimised policy took every ladder step before the period.
	 */
	{
		struct replay_loan l[3] = {
			loan("A-1", "2023-01-15", 12, 100000, NULL, 0),
			loan("A-2", "2023-01-15", 12, 100000, NULL, 0),
			loan("A-3", "2023-01-15", 12, 100000, NULL, 0),
		};
		struct replay_client c = client(1, "Europe/Moscow", l, 3);

		replay_all(&x, &p, cal, "2024-01-08", "2024-01-14", &c, 1);
		b = replay_totals(x.r, 0);
		o = replay_totals(x.r, 1);
		is_int(b->messages, 21, "baseline: one SMS per overdue loan per day");
		is_int(b->violations, 18, "baseline: 3 of 21 within the day and week caps");
		is_int(b->clients, 1, "baseline: one client contacted");
		is_int(o->messages + o->calls + o->letters, 0, "optimised: no step left in an old episode");
		is_int(o->episodes, 0, "an episode under way is not one that began");
		is_int(lines_with(x.blog, "\t2024-01-08T07:00:00Z\tEurope/Moscow\t"), 3,
		    "baseline log: 10:00 Moscow is 07:00Z, one row per loan");
		ok(strncmp(x.log, "client_id\tchannel\tsent_at\ttz\tloans\n", 35) == 0 && x.nlog == 35,
		    "optimised log: the header only");
		run_free(&x, &c, 1);
	}

	/*
	 * A new episode: installment 2 (due 2024-01-10) paid on 01-25, so the
	 * loan is overdue on 01-11 .. 01-24 (14 days).  The ladder's 1, 3, 7,
	 * 14 steps: SMS, SMS, call, call at 10:00 Novosibirsk (03:00Z); the
	 * same client with no known zone gets them at 10:00 Moscow (07:00Z),
	 * inside the hours allowed everywhere.  The baseline: 14 SMS, the
	 * 19th-21st over the week's 4.
	 */
	{
		struct pos_rec r1[2] = {
			{1, D("2023-12-10"), D("2023-12-10"), 100000},
			{2, D("2024-01-10"), D("2024-01-25"), 100000},
		};
		struct pos_rec r2[2];
		struct replay_loan l1 = loan("B-1", "2023-12-10", 6, 100000, r1, 2), l2;
		struct replay_client c[2];

		memcpy(r2, r1, sizeof r1);
		l2 = loan("B-2", "2023-12-10", 6, 100000, r2, 2);
		c[0] = client(2, "Asia/Novosibirsk", &l1, 1);
		c[1] = client(5, NULL, &l2, 1);
		replay_all(&x, &p, cal, "2024-01-01", "2024-01-31", c, 2);
		b = replay_totals(x.r, 0);
		o = replay_totals(x.r, 1);
		is_int(b->messages, 28, "baseline: 14 overdue days x 2 clients");
		is_int(b->violations, 6, "baseline: 3 a client over the week's cap");
		is_int(o->messages, 4, "optimised: two SMS steps each");
		is_int(o->calls, 4, "optimised: two call steps each");
		is_int(o->violations, 0, "optimised: within the law");
		ok(strstr(x.log, "2\tsms\t2024-01-11T03:00:00Z\tAsia/Novosibirsk\tB-1\n") != NULL,
		    "dpd 1: SMS at 10:00 local on a working day");
		ok(strstr(x.log, "2\tsms\t2024-01-13T03:00:00Z\tAsia/Novosibirsk\tB-1\n") != NULL,
		    "dpd 3: SMS at 10:00 local on a Saturday");
		ok(strstr(x.log, "2\tcall\t2024-01-17T03:00:00Z\tAsia/Novosibirsk\tB-1\n") != NULL &&
		    strstr(x.log, "2\tcall\t2024-01-24T03:00:00Z\tAsia/Novosibirsk\tB-1\n") != NULL,
		    "dpd 7 and 14: calls");
		ok(strstr(x.log, "5\tsms\t2024-01-13T07:00:00Z\tunknown\tB-2\n") != NULL,
		    "unknown zone: 10:00 Moscow, allowed in every zone on a Saturday");
		is_int(o->episodes, 2, "two episodes began");
		is_int(o->lasting[2], 2, "both lasted 7 days");
		is_int(o->first[0], 2, "both contacted on their first day");
		is_int(b->first[0], 2, "the baseline too");
		is_int(o->predue_sent, 0, "no late installment before: no pre-due reminder");
		run_free(&x, c, 2);

		/* excluded from 01-15 to 01-20 (the restrictions list): the dpd 7 call waits */
		{
			struct replay_span ex = {D("2024-01-15"), D("2024-01-20")};

			c[0].excluded = &ex;
			c[0].nexcluded = 1;
			replay_all(&x, &p, cal, "2024-01-01", "2024-01-31", c, 1);
			ok(strstr(x.log, "\t2024-01-17T") == NULL, "no contact while excluded");
			ok(strstr(x.log, "2\tcall\t2024-01-21T03:00:00Z\tAsia/Novosibirsk\tB-1\n") != NULL,
			    "the dpd 7 call the day after, a Sunday, at 10:00 local");
			is_int(replay_totals(x.r, 0)->messages, 14, "the baseline knows no such list");
			run_free(&x, c, 1);
		}
	}

	/*
	 * Capacity: one call a day.  Three clients reach dpd 7 and 14 on the
	 * same days; the largest arrears (client 3) gets the calls, the two
	 * others (equal priorities: client_id decides) an SMS instead.
	 */
	{
		struct pos_rec r[3][2];
		struct replay_loan l[3];
		struct replay_client c[3];
		static const int64_t pa[3] = {100000, 500000, 100000};
		static const int64_t id[3] = {2, 3, 4};
		static const char *const name[3] = {"C-2", "C-3", "C-4"};

		one = p;
		one.calls_per_day = 1;
		for (int i = 0; i < 3; i++) {
			r[i][0] = (struct pos_rec){1, D("2023-12-10"), D("2023-12-10"), pa[i]};
			r[i][1] = (struct pos_rec){2, D("2024-01-10"), D("2024-01-25"), pa[i]};
			l[i] = loan(name[i], "2023-12-10", 6, pa[i], r[i], 2);
			c[i] = client(id[i], "Europe/Moscow", &l[i], 1);
		}
		replay_all(&x, &one, cal, "2024-01-01", "2024-01-31", c, 3);
		o = replay_totals(x.r, 1);
		is_int(o->calls, 2, "capacity: one call on each of the two days");
		ok(strstr(x.log, "3\tcall\t2024-01-17T07:00:00Z\tEurope/Moscow\tC-3\n") != NULL &&
		    strstr(x.log, "3\tcall\t2024-01-24T07:00:00Z\tEurope/Moscow\tC-3\n") != NULL,
		    "the highest expected recovery gets the call");
		ok(strstr(x.log, "2\tsms\t2024-01-17T07:00:00Z") != NULL &&
		    strstr(x.log, "4\tsms\t2024-01-17T07:00:00Z") != NULL,
		    "the others get the next channel, an SMS");
		replay_summary(x.r, &out);
		ok(strstr(buf_cstr(&out), "\t1\t0.06\t1\n") != NULL,
		    "summary: at most 1 call a day, 2 / 31 = 0.06 a day, capacity 1");
		buf_reset(&out);
		run_free(&x, c, 3);
	}

	/*
	 * Pre-due: a late installment in July 2023 makes the client worth a
	 * reminder 3 days before 2024-01-05 (on 01-02, a holiday: 10:00 is
	 * inside 09:00-20:00); the installment is paid on its day.
	 */
	{
		struct pos_rec r[8];
		struct replay_loan l;
		struct replay_client c;

		for (int i = 0; i < 8; i++) {
			int32_t due = date_add_months(D("2023-06-05"), i);

			r[i] = (struct pos_rec){i + 1, due, i == 1 ? due + 5 : due, 100000};
		}
		l = loan("E-1", "2023-06-05", 12, 100000, r, 8);
		c = client(6, "Europe/Moscow", &l, 1);
		replay_all(&x, &p, cal, "2024-01-01", "2024-01-31", &c, 1);
		o = replay_totals(x.r, 1);
		is_int(o->predue_sent, 1, "one pre-due reminder");
		is_int(o->predue_inst, 1, "for one installment");
		is_int(o->predue_ontime, 1, "paid on its due date");
		ok(strstr(x.log, "6\tsms\t2024-01-02T07:00:00Z\tEurope/Moscow\tE-1\n") != NULL,
		    "3 days before the due date, 10:00 Moscow");
		is_int(replay_totals(x.r, 0)->messages, 0, "the baseline reminds nobody");
		replay_chart(x.r, &out);
		ok(strstr(buf_cstr(&out), "data-policy=\"optimised\" data-values=\"0 1 0") != NULL,
		    "chart: the optimised line's daily counts");
		ok(strstr(buf_cstr(&out), "</svg>\n") != NULL, "chart: a whole document");
		run_free(&x, &c, 1);
	}

	buf_free(&out);
	cal_free(cal);
	return done_testing();
}
