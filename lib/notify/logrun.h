/*
 * logrun.h - notify-log's work (notify-log(1)): append delivery results to
 * notify.contact_event, or load the restrictions list into
 * notify.restriction, each in one transaction under the writers' lock.
 *
 * Delivery results, TSV:   contact_id  event  at  [detail]
 *   event: sent delivered failed bounced; at: UTC, YYYY-MM-DDTHH:MM:SSZ.
 *   A line naming a contact the log does not hold, or malformed, is
 *   rejected with its line number and reason on stderr; the others are
 *   appended (an event already logged -- same contact, event and time --
 *   is not appended twice).
 * Restrictions, TSV:       client_id  kind  valid_from  [valid_to]  [note]
 *   kind: bankruptcy refusal incapacity representative; dates YYYY-MM-DD,
 *   valid_to empty or absent: open-ended.  A line is a new version of
 *   (client_id, kind, valid_from) unless the version in force says the
 *   same; nothing is ever overwritten.
 * Blank lines, lines starting with '#', and a header line (first field
 * contact_id / client_id) are skipped.
 */
#ifndef OVERDUE_NOTIFY_LOGRUN_H
#define OVERDUE_NOTIFY_LOGRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct logrun_stats {
	long long read;		/* data lines */
	long long appended;	/* rows appended */
	long long unchanged;	/* already logged / the version in force already */
	long long rejected;	/* lines rejected (reason on stderr) */
};

enum nevent_kind { EV_SENT, EV_DELIVERED, EV_FAILED, EV_BOUNCED, EV_N };
enum nrestr_kind { RS_BANKRUPTCY, RS_REFUSAL, RS_INCAPACITY, RS_REPRESENTATIVE, RS_N };

const char *logrun_event_name(int k);
const char *logrun_kind_name(int k);

struct nevent {
	int64_t contact_id;
	int kind;		/* enum nevent_kind */
	int64_t at;		/* seconds since the epoch, UTC */
	const char *detail;	/* into the line; NULL when absent */
};

struct nrestr {
	int64_t client_id;
	int kind;		/* enum nrestr_kind */
	int32_t from, to;	/* day numbers; to = INT32_MIN when open */
	const char *note;	/* into the line; NULL when absent or empty */
};

/*
 * Parse one line (no newline; split in place at tabs).  Return 1 for a
 * record, 0 for a line to skip (blank, comment, header), -1 when malformed
 * with the reason in *why.
 */
int logrun_parse_event(char *line, struct nevent *e, const char **why);
int logrun_parse_restriction(char *line, struct nrestr *r, const char **why);
/* "YYYY-MM-DDTHH:MM:SSZ" to seconds since the epoch; 0 ok, -1 not that. */
int logrun_parse_utc(const char *s, int64_t *t);

/* Read delivery results from in (name for messages), append them. */
void logrun_events(const char *conninfo, FILE *in, const char *name, int64_t now,
    struct logrun_stats *st);
/* Load the restrictions list from in; source is recorded with each row. */
void logrun_restrictions(const char *conninfo, FILE *in, const char *source, int64_t now,
    struct logrun_stats *st);

#endif
