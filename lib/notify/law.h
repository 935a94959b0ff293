/*
 * law.h - 230-FZ art. 7 (SPEC 9) as hard limits: the caps on a creditor's
 * own contacts per local calendar day / ISO week / month, and the hours
 * allowed by the kind of local day.  One code path, used by notify-plan
 * (never plans past them), notify-replay (the optimised policy obeys them,
 * the baseline's breaches are counted with them) and their tests.
 *
 *   calls (robot calls too):           1 a day, 2 a week,  8 a month
 *   messages (SMS, messenger, e-mail): 2 a day, 4 a week, 16 a month
 *   letters (post): not limited by art. 7
 *   hours: working day 08:00-22:00, weekend/holiday 09:00-20:00, local time
 */
#ifndef OVERDUE_NOTIFY_LAW_H
#define OVERDUE_NOTIFY_LAW_H

#include <stdint.h>

#include "notify/calendar.h"

enum channel { CH_SMS, CH_EMAIL, CH_CALL, CH_LETTER, CH_N };
enum chclass { CLASS_MESSAGE, CLASS_CALL, CLASS_NONE };

struct caps {
	int day, week, month;
};

extern const struct caps law_calls, law_messages;

const char *channel_name(enum channel c);	/* "sms" "email" "call" "letter" */
int channel_parse(const char *s, enum channel *c);	/* 0 ok, -1 unknown */
enum chclass channel_class(enum channel c);

/* The allowed local hours of a day: [*from, *to) in minutes from midnight. */
void law_window(enum daykind k, int *from, int *to);
/*
 * For a client whose zone is unknown: the UTC instants [*from, *to) of the
 * UTC day `day` that are allowed in every Russian zone (UTC+2 .. UTC+12),
 * given each zone's local day kind from the calendar; *to <= *from when none.
 */
void law_window_anywhere(const struct calendar *c, int32_t day, int64_t *from, int64_t *to);

/* A client's contacts so far (local days), for the caps.  Keeps ~62 days. */
struct ledger {
	int32_t day[64];
	uint8_t cls[64];
	int n;
};

void ledger_init(struct ledger *l);
void ledger_add(struct ledger *l, enum chclass k, int32_t local_day);
/* Contacts of class k on that local day, in its ISO week, in its month. */
void ledger_count(const struct ledger *l, enum chclass k, int32_t local_day, int *day, int *week, int *month);
/* 1 when one more contact of class k on local_day stays within caps (and the law's). */
int ledger_allows(const struct ledger *l, enum chclass k, int32_t local_day, const struct caps *caps);

#endif
