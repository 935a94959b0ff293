/*
 * tz.h - a client's time zone (SPEC 9) and local time through the
 * system's tzdata (TZ + tzset + localtime_r; Russia has no DST since
 * 2014-10-26, but the rules come from tzdata, never from a table of ours).
 *
 * etc/regions-tz.tsv (compiled in; --zones FILE overrides) maps a region
 * name or a city to an IANA zone:
 *
 *   # kind    name             zone
 *   region    Москва           Europe/Moscow
 *   city      Пермь            Asia/Yekaterinburg
 *
 * A client's zone: its region's when the region is known, else the zone of
 * the first known city named in its address ("г. Пермь, ул. …"), else
 * none: the contact must then fall in hours allowed in every Russian zone
 * (law.h: law_window_anywhere).
 */
#ifndef OVERDUE_NOTIFY_TZ_H
#define OVERDUE_NOTIFY_TZ_H

#include <stdint.h>

struct tzmap;

struct tzmap *tz_parse(const char *text, const char *name);
struct tzmap *tz_load(const char *path);	/* NULL: the compiled-in file */
void tz_free(struct tzmap *m);

/* The IANA zone of a client (static storage of m), or NULL when unknown.
 * region and address may be NULL or "". */
const char *tz_client(const struct tzmap *m, const char *region, const char *address);

/*
 * The UTC offset in seconds of zone at the UTC instant t (seconds since the
 * epoch), from tzdata; cached per zone and UTC day.  Dies with EX_DATAERR
 * when tzdata does not know the zone.
 */
int32_t tz_offset(const char *zone, int64_t t);
/* The UTC instant of local (day, minute of the day) in zone. */
int64_t tz_to_utc(const char *zone, int32_t day, int minute);
/* The local day and minute of the day of UTC instant t in zone. */
void tz_to_local(const char *zone, int64_t t, int32_t *day, int *minute);

#endif
