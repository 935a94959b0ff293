/*
 * tz.c - regions and cities to IANA zones, and local time through tzdata
 * (tz.h).
 *
 * Offsets come from the C library reading the system's zone files: TZ is
 * set to the zone, tzset() and localtime_r() give tm_gmtoff, and TZ is put
 * back as it was.  That is slow, so each zone keeps the offset of each UTC
 * day it was asked about (a day whose offset changes within it, as on
 * 2014-10-26, is never cached and is computed for each instant).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "notify/tz.h"
#include "db/sql.h"
#include "util.h"
#include "slurp.h"

/* ------------------------------------------------------------------ */
/* the map: names sorted for binary search */

struct name {
	const char *s;
	size_t len;
	const char *zone;	/* into m->zones */
	long line;
};

struct tzmap {
	char *text;		/* owned copy, names and zones point into it */
	struct name *names;
	size_t n;
};

static int
namecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r != 0)
		return r;
	return alen < blen ? -1 : alen > blen;
}

static int
byname(const void *a, const void *b)
{
	const struct name *x = a, *y = b;

	return namecmp(x->s, x->len, y->s, y->len);
}

/* An IANA zone name: letters, digits, '/', '_', '-', '+'; no "..", no leading '/'. */
static int
zone_name_ok(const char *z)
{
	if (*z == '\0' || *z == '/' || strstr(z, "..") != NULL)
		return 0;
	for (const char *p = z; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return 0;
	return 1;
}

static void check_zone(const char *zone);

struct tzmap *
tz_parse(const char *text, const char *name)
{
	struct tzmap *m = ecalloc(1, sizeof *m);
	size_t cap = 0;
	long lineno = 0;
	char *p;

	m->text = estrdup(text);
	for (p = m->text; *p != '\0';) {
		char *eol = strchr(p, '\n'), *kind, *nm, *zone, *e;

		if (eol != NULL)
			*eol = '\0';
		lineno++;
		/*
		 * kind, name, zone: the kind is the first word and the zone the
		 * last (neither holds a blank), the name all between (it may
		 * hold spaces), so tabs or aligned blanks both separate them.
		 */
		kind = p;
		while (*kind == ' ' || *kind == '\t')
			kind++;
		e = kind + strlen(kind);
		while (e > kind && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if (*kind != '\0' && *kind != '#') {
			char *kend = kind + strcspn(kind, " \t");

			nm = kend;
			while (*nm == ' ' || *nm == '\t')
				nm++;
			zone = e;
			while (zone > nm && zone[-1] != ' ' && zone[-1] != '\t')
				zone--;
			if (*nm == '\0' || zone <= nm)
				die(EX_DATAERR, "%s:%ld: want three fields: kind, name and zone", name,
				    lineno);
			*kend = '\0';
			e = zone - 1;	/* a blank: the name ends before it */
			*e = '\0';
			while (e > nm && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
			if (strcmp(kind, "region") != 0 && strcmp(kind, "city") != 0)
				die(EX_DATAERR, "%s:%ld: unknown kind '%s' (region or city)", name,
				    lineno, kind);
			if (!zone_name_ok(zone))
				die(EX_DATAERR, "%s:%ld: '%s' is not a time zone name", name, lineno,
				    zone);
			if (m->n == cap) {
				cap = cap ? 2 * cap : 128;
				m->names = ereallocarray(m->names, cap, sizeof *m->names);
			}
			m->names[m->n++] = (struct name){nm, strlen(nm), zone, lineno};
		}
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	qsort(m->names, m->n, sizeof *m->names, byname);
	for (size_t i = 1; i < m->n; i++)
		if (byname(&m->names[i - 1], &m->names[i]) == 0)
			die(EX_DATAERR, "%s:%ld: %s is listed twice (line %ld)", name,
			    m->names[i].line > m->names[i - 1].line ? m->names[i].line : m->names[i - 1].line,
			    m->names[i].s,
			    m->names[i].line > m->names[i - 1].line ? m->names[i - 1].line : m->names[i].line);
	for (size_t i = 0; i < m->n; i++)
		check_zone(m->names[i].zone);
	return m;
}

struct tzmap *
tz_load(const char *path)
{
	struct tzmap *m;
	char *text;

	if (path == NULL)
		return tz_parse(sql_text("etc/regions-tz.tsv"), "etc/regions-tz.tsv");
	text = slurp(path, 0);
	m = tz_parse(text, path);
	free(text);
	return m;
}

void
tz_free(struct tzmap *m)
{
	if (m == NULL)
		return;
	free(m->names);
	free(m->text);
	free(m);
}

static const struct name *
lookup(const struct tzmap *m, const char *s, size_t len)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = namecmp(s, len, m->names[mid].s, m->names[mid].len);

		if (r == 0)
			return &m->names[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Does the UTF-8 text at s start with a letter or digit (or a hyphen, which joins names)? */
static int
wordchar(const unsigned char *s)
{
	unsigned cp;

	if (*s < 0x80)
		return (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		       (*s >= '0' && *s <= '9') || *s == '-' || *s == '_';
	if ((*s & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		cp = (unsigned)(*s & 0x1F) << 6 | (s[1] & 0x3F);
		/* Latin-1 letters, Latin Extended, Greek, Cyrillic */
		return (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7) || cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	}
	return 0;		/* punctuation and spaces of other planes: a boundary */
}

static int
skip_prefix(const char **s, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	if ((size_t)(end - *s) >= n && memcmp(*s, prefix, n) == 0) {
		*s += n;
		return 1;
	}
	return 0;
}

/*
 * The longest listed name at the start of [s, end) that ends at a word
 * boundary, after an optional postcode and "г." / "город".
 */
static const struct name *
match_part(const struct tzmap *m, const char *s, const char *end)
{
	const struct name *best = NULL;

	while (s < end && (*s == ' ' || *s == '\t' || (*s >= '0' && *s <= '9')))
		s++;
	if (skip_prefix(&s, end, "город ") || skip_prefix(&s, end, "г.") || skip_prefix(&s, end, "г "))
		while (s < end && *s == ' ')
			s++;
	for (const char *e = s; e < end; e++) {
		if (e > s && !wordchar((const unsigned char *)e) &&
		    ((unsigned char)*e < 0x80 || (*e & 0xC0) != 0x80)) {
			const struct name *n = lookup(m, s, (size_t)(e - s));

			if (n != NULL)
				best = n;
		}
	}
	if (end > s) {
		const struct name *n = lookup(m, s, (size_t)(end - s));

		if (n != NULL)
			best = n;
	}
	return best;
}

const char *
tz_client(const struct tzmap *m, const char *region, const char *address)
{
	const struct name *n;

	if (region != NULL && *region != '\0') {
		const char *s = region, *e = region + strlen(region);

		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((n = match_part(m, s, e)) != NULL)
			return n->zone;
	}
	if (address == NULL)
		return NULL;
	for (const char *p = address; *p != '\0';) {
		const char *e = strchr(p, ',');

		if (e == NULL)
			e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			e--;
		if ((n = match_part(m, p, e)) != NULL)
			return n->zone;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* offsets through tzdata, cached per zone and UTC day */

#define SLOTS 4096		/* per zone: direct-mapped by day number */
#define VARIES INT32_MIN	/* the offset changes within that day */

struct zcache {
	char *zone;
	int32_t day[SLOTS];	/* INT32_MIN: empty */
	int32_t off[SLOTS];
};

static struct zcache **zones;
static size_t nzones;
static struct zcache *last;

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * Offsets of zone at n instants, with TZ set once and restored after.
 */
static void
offsets(const char *zone, const int64_t *t, int32_t *off, int n)
{
	const char *old = getenv("TZ");
	char *saved = old != NULL ? estrdup(old) : NULL;

	if (setenv("TZ", zone, 1) != 0)
		die(EX_OSERR, "setenv TZ:");
	tzset();
	for (int i = 0; i < n; i++) {
		time_t tt = (time_t)t[i];
		struct tm tm;

		if (localtime_r(&tt, &tm) == NULL)
			die(EX_DATAERR, "time %lld out of range in zone %s", (long long)t[i], zone);
		off[i] = (int32_t)tm.tm_gmtoff;
	}
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
}

/* Dies unless tzdata has a zone file for zone. */
static void
check_zone(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[1024];
	struct stat st;

	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (!zone_name_ok(zone))
		die(EX_DATAERR, "'%s' is not a time zone name", zone);
	if (snprintf(path, sizeof path, "%s/%s", dir, zone) >= (int)sizeof path)
		die(EX_DATAERR, "time zone name too long: %s", zone);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		die(EX_DATAERR, "unknown time zone %s: no tzdata file %s (is the tzdata package "
		    "installed?)", zone, path);
}

static struct zcache *
zcache(const char *zone)
{
	struct zcache *z;

	if (last != NULL && (last->zone == zone || strcmp(last->zone, zone) == 0))
		return last;
	for (size_t i = 0; i < nzones; i++)
		if (strcmp(zones[i]->zone, zone) == 0)
			return last = zones[i];
	check_zone(zone);
	z = emalloc(sizeof *z);
	z->zone = estrdup(zone);
	for (int i = 0; i < SLOTS; i++)
		z->day[i] = INT32_MIN;
	zones = ereallocarray(zones, nzones + 1, sizeof *zones);
	zones[nzones++] = z;
	return last = z;
}

int32_t
tz_offset(const char *zone, int64_t t)
{
	struct zcache *z = zcache(zone);
	int64_t d = floordiv(t, 86400);
	int32_t day = (int32_t)d;
	size_t slot = (size_t)((uint32_t)day % SLOTS);
	int64_t ts[2];
	int32_t off[2];

	if (z->day[slot] == day && z->off[slot] != VARIES)
		return z->off[slot];
	if (z->day[slot] != day) {
		ts[0] = d * 86400;
		ts[1] = d * 86400 + 86399;
		offsets(z->zone, ts, off, 2);
		z->day[slot] = day;
		z->off[slot] = off[0] == off[1] ? off[0] : VARIES;
		if (off[0] == off[1])
			return off[0];
	}
	offsets(z->zone, &t, off, 1);
	return off[0];
}

int64_t
tz_to_utc(const char *zone, int32_t day, int minute)
{
	int64_t local = (int64_t)day * 86400 + (int64_t)minute * 60;
	int32_t o1 = tz_offset(zone, local), o2;

	o2 = tz_offset(zone, local - o1);
	if (o2 == o1)
		return local - o1;
	/* near a change of offset: the second guess, when it is consistent */
	if (tz_offset(zone, local - o2) == o2)
		return local - o2;
	return local - o1;
}

void
tz_to_local(const char *zone, int64_t t, int32_t *day, int *minute)
{
	int64_t local = t + tz_offset(zone, t);
	int64_t d = floordiv(local, 86400);

	*day = (int32_t)d;
	*minute = (int)((local - d * 86400) / 60);
}
