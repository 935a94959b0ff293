/*
 * policy.h - the notification policy: a plain-text file of `key = value`
 * lines (# comments), every part documented in notify-plan(5).  The
 * compiled-in default is etc/notify-policy.conf; --policy FILE overrides
 * (keys it does not name keep their defaults).  The law's limits (law.h)
 * are a ceiling: caps above them are refused, not raised.
 *
 *   predue_days            = 3            reminder this many days before a due date
 *   predue_lookback_months = 12           ... for clients with a late installment in that many months
 *   ladder                 = 1:sms 3:sms 7:call 14:call 30:letter 60:call 90:letter
 *                                         step = "dpd:channel", dpd ascending
 *   first_contact_days     = 7            a new overdue episode is contacted within this many days
 *   calls_per_day          = 200          call-centre capacity
 *   call_caps              = 1 2 8        per local day, ISO week, month (<= the law)
 *   message_caps           = 2 4 16
 *   send_at                = 10:00        preferred local time (clamped to the allowed window)
 *   dpd_weight             = 1:100 31:70 61:50 91:30   expected recovery in % of arrears, by dpd from
 *   creditor_name          = ООО МФК «Пример»
 *   creditor_phone         = +7 800 000-00-00
 */
#ifndef OVERDUE_NOTIFY_POLICY_H
#define OVERDUE_NOTIFY_POLICY_H

#include <stdint.h>

#include "notify/law.h"

#define POLICY_MAX_STEPS 16
#define POLICY_MAX_WEIGHTS 16

struct step {
	int32_t dpd;
	enum channel channel;
};

struct weight {
	int32_t dpd;		/* from this dpd on ... */
	int percent;		/* ... this share of arrears is expected back */
};

struct policy {
	int predue_days, predue_lookback_months;
	struct step steps[POLICY_MAX_STEPS];
	int nsteps;
	int first_contact_days;
	int calls_per_day;
	struct caps call_caps, message_caps;
	int send_at;		/* minutes from midnight */
	struct weight weights[POLICY_MAX_WEIGHTS];
	int nweights;
	char creditor_name[256], creditor_phone[64];
};

/* The compiled-in defaults, then the file at path over them (NULL: none).
 * Dies with EX_DATAERR naming file:line on a bad line, an unknown key, or a
 * cap above the law. */
void policy_load(const char *path, struct policy *p);
/* Parse text (name for messages) over the values already in p. */
void policy_parse(const char *text, const char *name, struct policy *p);
/* The weight (percent) for a dpd. */
int policy_weight(const struct policy *p, int32_t dpd);

#endif
