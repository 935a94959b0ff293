/*
 * t_tz.c - zones from region and address, offsets from tzdata, local time
 * and back, and the refusals (unknown zone, bad map lines).
 */
#include <stdlib.h>

#include "date.h"
#include "notify/tz.h"
#include "tap.h"
#include "util.h"

/* the UTC instant of a civil date and time */
static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	return (int64_t)date_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static void
offsets(void)
{
	static const struct {
		const char *zone;
		int hours;
	} want[] = {
		{"Europe/Kaliningrad", 2}, {"Europe/Moscow", 3}, {"Europe/Samara", 4},
		{"Asia/Yekaterinburg", 5}, {"Asia/Omsk", 6}, {"Asia/Novosibirsk", 7},
		{"Asia/Irkutsk", 8}, {"Asia/Yakutsk", 9}, {"Asia/Vladivostok", 10},
		{"Asia/Magadan", 11}, {"Asia/Kamchatka", 12},
	};
	int64_t t = utc(2024, 4, 27, 12, 0);

	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		is_int(tz_offset(want[i].zone, t), want[i].hours * 3600, "%s is UTC+%d in 2024",
		    want[i].zone, want[i].hours);
	/* the same answers from the cache, on another day and at the day's edges */
	is_int(tz_offset("Europe/Moscow", utc(2024, 4, 27, 0, 0)), 3 * 3600, "Moscow +3 at 00:00 UTC");
	is_int(tz_offset("Europe/Moscow", utc(2024, 4, 27, 23, 59)), 3 * 3600, "Moscow +3 at 23:59 UTC");
	is_int(tz_offset("Asia/Novosibirsk", utc(2019, 1, 1, 0, 0)), 7 * 3600, "Novosibirsk +7 in 2019");
	/* history comes from tzdata: Moscow was +4 from 2011-03-27 to 2014-10-26 */
	is_int(tz_offset("Europe/Moscow", utc(2013, 6, 1, 12, 0)), 4 * 3600, "Moscow +4 in 2013");
	is_int(tz_offset("Europe/Moscow", utc(2010, 1, 15, 12, 0)), 3 * 3600, "Moscow +3 in winter 2010");
	is_int(tz_offset("Europe/Moscow", utc(2010, 7, 15, 12, 0)), 4 * 3600, "Moscow +4 in summer 2010 (DST)");
	/* a day whose offset changes in it: 2014-10-26 02:00 local (22:00 UTC the day before) */
	is_int(tz_offset("Europe/Moscow", utc(2014, 10, 25, 21, 59)), 4 * 3600, "Moscow +4 just before the 2014 change");
	is_int(tz_offset("Europe/Moscow", utc(2014, 10, 25, 22, 0)), 3 * 3600, "Moscow +3 from the 2014 change");
	is_int(tz_offset("Europe/Moscow", utc(2014, 10, 25, 21, 59)), 4 * 3600, "and +4 again before it (no stale cache)");
}

static void
novosibirsk2016(void)
{
	/* Novosibirsk moved from +6 to +7 at 2016-07-24 02:00 local (2016-07-23 20:00 UTC) */
	is_int(tz_offset("Asia/Novosibirsk", utc(2016, 7, 23, 19, 59)), 6 * 3600, "Novosibirsk +6 before 2016-07-24");
	is_int(tz_offset("Asia/Novosibirsk", utc(2016, 7, 23, 20, 0)), 7 * 3600, "Novosibirsk +7 from 2016-07-24");
}

static void
roundtrip(void)
{
	static const char *const zones[] = {
		"Europe/Kaliningrad", "Europe/Moscow", "Asia/Novosibirsk", "Asia/Kamchatka",
	};
	int32_t d = date_from_civil(2024, 3, 8), ld;
	int m, bad = 0;

	/* 10:00 local in Novosibirsk is 03:00 UTC; in Kamchatka 22:00 UTC the day before */
	is_int(tz_to_utc("Asia/Novosibirsk", d, 600), (int64_t)d * 86400 + 3 * 3600,
	    "10:00 in Novosibirsk is 03:00 UTC");
	is_int(tz_to_utc("Asia/Kamchatka", d, 600), (int64_t)d * 86400 - 2 * 3600,
	    "10:00 in Kamchatka is 22:00 UTC the day before");
	tz_to_local("Asia/Kamchatka", (int64_t)d * 86400 + 13 * 3600, &ld, &m);
	ok(ld == d + 1 && m == 60, "13:00 UTC is 01:00 the next day in Kamchatka");
	tz_to_local("Europe/Kaliningrad", (int64_t)d * 86400 - 60, &ld, &m);
	ok(ld == d && m == 119, "23:59 UTC the day before is 01:59 in Kaliningrad");
	tz_to_local("Europe/Moscow", (int64_t)date_from_civil(1969, 12, 31) * 86400 + 22 * 3600, &ld, &m);
	ok(ld == 0 && m == 60, "before the epoch: 1969-12-31 22:00 UTC is 1970-01-01 01:00 in Moscow");
	for (size_t z = 0; z < sizeof zones / sizeof *zones; z++)
		for (int32_t dd = d - 400; dd < d + 400; dd += 7)
			for (int mm = 0; mm < 1440; mm += 97) {
				int64_t t = tz_to_utc(zones[z], dd, mm);

				tz_to_local(zones[z], t, &ld, &m);
				if (ld != dd || m != mm) {
					if (bad++ < 5)
						printf("# %s day %d minute %d -> %d %d\n", zones[z], dd, mm, ld, m);
				}
			}
	is_int(bad, 0, "local -> UTC -> local round trips over two years in four zones");
}

static void
clients(void)
{
	struct tzmap *m = tz_load(NULL);

	is_str(tz_client(m, "Москва", NULL), "Europe/Moscow", "region Москва");
	is_str(tz_client(m, "Санкт-Петербург", ""), "Europe/Moscow", "region Санкт-Петербург");
	is_str(tz_client(m, "Нижний Новгород", NULL), "Europe/Moscow", "region Нижний Новгород");
	is_str(tz_client(m, "Казань", NULL), "Europe/Moscow", "region Казань");
	is_str(tz_client(m, "Екатеринбург", NULL), "Asia/Yekaterinburg", "region Екатеринбург");
	is_str(tz_client(m, "Новосибирск", NULL), "Asia/Novosibirsk", "region Новосибирск");
	is_str(tz_client(m, "Новосибирск", "г. Калининград, ул. Мира, д. 1"), "Asia/Novosibirsk",
	    "the region wins over the address");
	is_str(tz_client(m, "", "г. Пермь, ул. Ленина, д. 5, кв. 7, 614000"), "Asia/Yekaterinburg",
	    "no region, \"г. Пермь, ...\" -> Asia/Yekaterinburg");
	is_str(tz_client(m, NULL, "г. Пермь, ул. Ленина, д. 5"), "Asia/Yekaterinburg", "region NULL too");
	is_str(tz_client(m, "Атлантида", "г. Омск, ул. Мира, д. 1"), "Asia/Omsk",
	    "an unknown region: the address decides");
	ok(tz_client(m, NULL, "пос. Сосновка, ул. Садовая, д. 3, 141512") == NULL,
	    "neither a known region nor a known city: NULL");
	ok(tz_client(m, NULL, NULL) == NULL && tz_client(m, "", "") == NULL, "nothing at all: NULL");
	ok(tz_client(m, NULL, "д. Берёзовка, ул. Кирова, д. 3") == NULL,
	    "a street named after a city's namesake (ул. Кирова) is not the city");
	ok(tz_client(m, NULL, "с. Ивановское, ул. Пермская, д. 3") == NULL, "ул. Пермская is not Пермь");
	ok(tz_client(m, NULL, "г. Пермьград, ул. Мира") == NULL, "a whole word only");
	is_str(tz_client(m, NULL, "614000, г. Пермь, ул. Ленина"), "Asia/Yekaterinburg",
	    "a postcode first");
	is_str(tz_client(m, NULL, "Пермский край, г. Кунгур, ул. Ленина"), "Asia/Yekaterinburg",
	    "a region named in the address");
	is_str(tz_client(m, NULL, "г.Иркутск, ул. Ленина"), "Asia/Irkutsk", "\"г.\" without a space");
	is_str(tz_client(m, NULL, "город Самара, ул. Ленина"), "Europe/Samara", "\"город\"");
	is_str(tz_client(m, NULL, "Владивосток, ул. Светланская"), "Asia/Vladivostok", "a city at the start");
	is_str(tz_client(m, NULL, "г. Нижний Новгород, ул. Ленина"), "Europe/Moscow", "a name of two words");
	is_str(tz_client(m, NULL, "г. Петропавловск-Камчатский, ул. Ленинская"), "Asia/Kamchatka",
	    "a hyphenated name");
	is_str(tz_client(m, NULL, "г. Калининград, ул. Мира"), "Europe/Kaliningrad", "Калининград");
	is_str(tz_client(m, "Камчатский край", NULL), "Asia/Kamchatka", "region Камчатский край");
	/* every town the generator writes (lib/gen/gennames.c) */
	{
		static const struct {
			const char *city, *zone;
		} towns[] = {
			{"Тверь", "Europe/Moscow"}, {"Пермь", "Asia/Yekaterinburg"},
			{"Самара", "Europe/Samara"}, {"Воронеж", "Europe/Moscow"},
			{"Краснодар", "Europe/Moscow"}, {"Омск", "Asia/Omsk"},
			{"Уфа", "Asia/Yekaterinburg"}, {"Ярославль", "Europe/Moscow"},
			{"Тула", "Europe/Moscow"}, {"Иркутск", "Asia/Irkutsk"},
			{"Подольск", "Europe/Moscow"}, {"Химки", "Europe/Moscow"},
			{"Вологда", "Europe/Moscow"},
		};

		for (size_t i = 0; i < sizeof towns / sizeof *towns; i++) {
			char addr[128];

			snprintf(addr, sizeof addr, "г. %s, ул. Гагарина, д. 12, кв. 34, 170015", towns[i].city);
			is_str(tz_client(m, NULL, addr), towns[i].zone, "г. %s -> %s", towns[i].city,
			    towns[i].zone);
		}
	}
	tz_free(m);

	m = tz_parse("# kind\tname\tzone\n\nregion\tТестовая область\tAsia/Omsk\r\n"
	    "city  \tТестоград\tAsia/Tomsk", "t.tsv");
	is_str(tz_client(m, "Тестовая область", NULL), "Asia/Omsk", "a parsed map: region");
	is_str(tz_client(m, NULL, "г. Тестоград, ул. 1"), "Asia/Tomsk", "a parsed map: city (CRLF, blanks)");
	ok(tz_client(m, "Москва", "г. Москва") == NULL, "a parsed map holds only its own names");
	tz_free(m);
	m = tz_parse("  region    Нижний  Новгород     Europe/Moscow  \ncity\tУлан-Удэ\tAsia/Irkutsk\n", "t.tsv");
	is_str(tz_client(m, "Нижний  Новгород", NULL), "Europe/Moscow", "blank-aligned fields, a name of two words");
	is_str(tz_client(m, NULL, "г. Улан-Удэ"), "Asia/Irkutsk", "tab-separated fields");
	tz_free(m);
}

static void
offset_of(const char *zone)
{
	tz_offset(zone, 0);
}

static void
parse_map(const char *text)
{
	tz_free(tz_parse(text, "bad.tsv"));
}

static void
refused(void (*f)(const char *), const char *arg, const char *want, const char *what)
{
	char err[1024];

	is_int(tap_child(f, arg, err, sizeof err), EX_DATAERR, "%s: refused with EX_DATAERR", what);
	if (!ok(strstr(err, want) != NULL, "%s: the message names '%s'", what, want))
		printf("#   stderr: %s", err);
}

static void
errors(void)
{
	char err[256];

	refused(offset_of, "Europe/Atlantis", "unknown time zone Europe/Atlantis", "a zone tzdata lacks");
	refused(offset_of, "Mars/Olympus_Mons", "unknown time zone", "another unknown zone");
	refused(offset_of, "../../etc/passwd", "not a time zone name", "a path for a zone");
	refused(offset_of, "", "not a time zone name", "an empty zone");
	is_int(tap_child(offset_of, "Asia/Kamchatka", err, sizeof err), 0, "(control) a known zone");
	refused(parse_map, "region\tМосква\tEurope/Moskva\n", "unknown time zone Europe/Moskva",
	    "a map naming a misspelt zone");
	refused(parse_map, "town\tМосква\tEurope/Moscow\n", "bad.tsv:1: unknown kind 'town'", "an unknown kind");
	refused(parse_map, "# x\nregion\tМосква\n", "bad.tsv:2: want three fields",
	    "a line without a zone");
	refused(parse_map, "region\tEurope/Moscow\n", "bad.tsv:1: want three fields", "a line without a name");
	refused(parse_map, "region\n", "bad.tsv:1: want three fields", "a kind alone");
	refused(parse_map, "city\tОмск\tAsia/Omsk\nregion\tОмск\tAsia/Omsk\n", "bad.tsv:2: Омск is listed twice",
	    "a name listed twice");
}

/* with TZ set by the caller, tz_* put it back */
static void
restores_tz(void)
{
	const char *tz;

	setenv("TZ", "Asia/Tokyo", 1);
	tz_offset("Asia/Magadan", 1234567890);
	tz_offset("Asia/Anadyr", 1234567890);
	tz = getenv("TZ");
	is_str(tz, "Asia/Tokyo", "TZ is restored after a lookup");
	unsetenv("TZ");
	tz_offset("Asia/Sakhalin", 1234567890);
	ok(getenv("TZ") == NULL, "an unset TZ stays unset");
}

int
main(void)
{
	setprogname("t_tz");
	offsets();
	novosibirsk2016();
	roundtrip();
	clients();
	errors();
	restores_tz();
	return done_testing();
}
