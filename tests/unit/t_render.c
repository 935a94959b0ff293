/* t_render - templates, SMS segments, RFC 2047 headers, RFC 5322 messages, CSV. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "notify/render.h"
#include "tap.h"

/* n copies of the UTF-8 character s */
static char *
rep(const char *s, int n)
{
	size_t l = strlen(s);
	char *r = malloc(l * (size_t)n + 1);

	for (int i = 0; i < n; i++)
		memcpy(r + l * (size_t)i, s, l);
	r[l * (size_t)n] = '\0';
	return r;
}

static int
segs(const char *s, struct sms_count *c)
{
	if (sms_count(s, strlen(s), c) != 0)
		return -1;
	return c->segments;
}

/* base64 decode (the test's own, independent of lib/base64.c) */
static size_t
unb64(const char *s, size_t n, unsigned char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v = 0;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = strchr(a, s[i]);

		if (s[i] == '=' || p == NULL || s[i] == '\0')
			continue;
		v = v << 6 | (unsigned long)(p - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits & 0xFF);
		}
	}
	return o;
}

/* 1 when s[0..n) is whole UTF-8 characters */
static int
utf8_whole(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t l = s[i] < 0x80 ? 1 : s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 0;

		if (l == 0 || i + l > n)
			return 0;
		for (size_t k = 1; k < l; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += l;
	}
	return 1;
}

/*
 * Check a header field made by mail_header: lines <= 78, continuation lines
 * start with a space, every encoded-word <= 75 characters and decodes to
 * whole UTF-8 characters; the words together give back want.
 */
static void
check_encoded(const char *hdr, const char *want, const char *what)
{
	unsigned char dec[4096];
	size_t nd = 0, maxline = 0, maxword = 0;
	int cont_ok = 1, whole = 1, nwords = 0;
	const char *p = hdr;

	for (const char *l = hdr; *l != '\0';) {
		const char *e = strchr(l, '\n');
		size_t len = e != NULL ? (size_t)(e - l) : strlen(l);

		if (len > maxline)
			maxline = len;
		if (l != hdr && *l != ' ')
			cont_ok = 0;
		l += len + (e != NULL);
	}
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *q = strstr(p + 10, "?=");
		size_t k;

		if (q == NULL)
			break;
		if ((size_t)(q + 2 - p) > maxword)
			maxword = (size_t)(q + 2 - p);
		k = unb64(p + 10, (size_t)(q - p - 10), dec + nd);
		if (!utf8_whole(dec + nd, k))
			whole = 0;
		nd += k;
		nwords++;
		p = q + 2;
	}
	dec[nd] = '\0';
	ok(nwords > 0, "%s: encoded-words", what);
	ok(maxline <= 78, "%s: lines at most 78 characters (%zu)", what, maxline);
	ok(maxword <= 75, "%s: encoded-words at most 75 characters (%zu)", what, maxword);
	ok(cont_ok, "%s: folded lines start with a space", what);
	ok(whole, "%s: every word holds whole UTF-8 characters", what);
	is_str((const char *)dec, want, "%s: the words decode to the text", what);
}

static void
test_fill(void)
{
	struct rvar v[] = {{"fio", "Иванов Иван"}, {"arrears", "1 234,50"}, {"x", NULL}};
	struct buf b = BUF_INIT;
	char err[RENDER_ERRSZ];

	is_int(render_fill("# a comment\n#another\n{fio}: {arrears} руб.{x}\n", v, 3, &b, err), 0,
	    "fill: ok");
	is_str(buf_cstr(&b), "Иванов Иван: 1 234,50 руб.\n", "fill: placeholders and leading comments");
	buf_reset(&b);
	is_int(render_fill("{{fio}} }} {{", v, 3, &b, err), 0, "fill: braces doubled");
	is_str(buf_cstr(&b), "{fio} } {", "fill: {{ and }} are braces");
	buf_reset(&b);
	is_int(render_fill("a\n# not a comment {fio}", v, 3, &b, err), 0, "fill: # later is text");
	is_str(buf_cstr(&b), "a\n# not a comment Иванов Иван", "fill: only leading # lines are comments");
	buf_reset(&b);
	is_int(render_fill("ok\nДолг {debt} руб.", v, 3, &b, err), -1, "fill: unknown placeholder fails");
	is_str(err, "line 2: unknown placeholder {debt}", "fill: the error names it and its line");
	is_int(render_fill("a { b", v, 3, &b, err), -1, "fill: a lone { fails");
	ok(strstr(err, "lone '{'") != NULL, "fill: lone { named: %s", err);
	is_int(render_fill("a } b", v, 3, &b, err), -1, "fill: a lone } fails");
	is_int(render_fill("{FIO}", v, 3, &b, err), -1, "fill: names are lower case");
	buf_free(&b);
}

static void
test_sms(void)
{
	struct sms_count c;
	char *s, *t;

	/* UCS-2: 70 in one, 67 a part */
	static const int cyr[][2] = {{1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}, {201, 3}, {202, 4}};
	for (size_t i = 0; i < sizeof cyr / sizeof cyr[0]; i++) {
		s = rep("ж", cyr[i][0]);
		is_int(segs(s, &c), cyr[i][1], "%d Cyrillic characters: %d segment(s)", cyr[i][0], cyr[i][1]);
		free(s);
	}
	is_int(c.enc, SMS_UCS2, "Cyrillic is UCS-2");
	is_int((int)c.units, 202, "UCS-2 units counted");
	is_str(sms_enc_name(c.enc), "UCS-2", "UCS-2 named");
	/* GSM-7: 160 in one, 153 a part */
	static const int lat[][2] = {{160, 1}, {161, 2}, {306, 2}, {307, 3}};
	for (size_t i = 0; i < sizeof lat / sizeof lat[0]; i++) {
		s = rep("a", lat[i][0]);
		is_int(segs(s, &c), lat[i][1], "%d GSM-7 characters: %d segment(s)", lat[i][0], lat[i][1]);
		is_int(c.enc, SMS_GSM7, "%d Latin letters are GSM-7", lat[i][0]);
		free(s);
	}
	is_str(sms_enc_name(SMS_GSM7), "GSM-7", "GSM-7 named");
	/* the default alphabet beyond ASCII letters, and what is not in it */
	is_int(segs("Hi @ £5 $ ¥ èéùìò ÇØøÅå ΔΦΓΛΩΠΨΣΘΞ ÆæßÉ ¤ ¡¿ ÄÖÑÜ§ äöñüà _!\"#%&'()*+,-./:;<=>?\r\n", &c), 1,
	    "the GSM default alphabet");
	is_int(c.enc, SMS_GSM7, "... is GSM-7");
	is_int(segs("a`b", &c), 1, "a backquote");
	is_int(c.enc, SMS_UCS2, "... is not in GSM 03.38: UCS-2");
	is_int(segs("tab\there", &c), 1, "a tab");
	is_int(c.enc, SMS_UCS2, "... is not in GSM 03.38: UCS-2");
	is_int(segs("naïve", &c), 1, "i with diaeresis");
	is_int(c.enc, SMS_UCS2, "... is not in the default alphabet: UCS-2");
	/* the extension table: 2 septets each */
	s = rep("{", 80);
	is_int(segs(s, &c), 1, "80 braces = 160 septets: 1 segment");
	is_int(c.enc, SMS_GSM7, "braces are GSM-7 (extension)");
	is_int((int)c.units, 160, "... 2 septets each");
	free(s);
	s = rep("€", 81);
	is_int(segs(s, &c), 2, "81 euro signs = 162 septets: 2 segments");
	is_int(c.enc, SMS_GSM7, "the euro sign is GSM-7 (extension)");
	free(s);
	is_int(segs("[]\\^~|\f", &c), 1, "the other extension characters");
	is_int((int)c.units, 14, "... count 2 septets each");
	/* an escape pair is never split between parts */
	s = rep("a", 152);
	t = malloc(400);
	strcpy(t, s);
	strcat(t, "[");
	strcat(t, s);
	is_int(segs(t, &c), 3, "152 + [ + 152 = 306 septets: the escape moves to part 2, 3 parts");
	t[153] = '\0';
	strcat(t, s + 1);
	is_int(segs(t, &c), 2, "152 + [ + 151 = 305 septets: 2 parts");
	free(s);
	free(t);
	/* outside the BMP: 2 UTF-16 units, never split */
	s = rep("😀", 35);
	is_int(segs(s, &c), 1, "35 emoji = 70 units: 1 segment");
	is_int((int)c.units, 70, "a character outside the BMP is 2 units");
	is_int((int)c.chars, 35, "... and one character");
	free(s);
	s = rep("😀", 36);
	is_int(segs(s, &c), 2, "36 emoji = 72 units: 2 segments");
	free(s);
	s = rep("ж", 66);
	t = malloc(600);
	strcpy(t, s);
	strcat(t, "😀");
	strcat(t, s);
	is_int(segs(t, &c), 3, "66 + emoji + 66 = 134 units: the pair moves to part 2, 3 parts");
	free(s);
	free(t);
	is_int(segs("", &c), 1, "an empty text is one segment");
	is_int(sms_count("\xff", 1, &c), -1, "invalid UTF-8 refused");
	is_int(sms_count("\xd0", 1, &c), -1, "a truncated character refused");
	is_int(sms_count("\xc0\xaf", 2, &c), -1, "an overlong form refused");
	is_int(sms_count("\xed\xa0\x80", 3, &c), -1, "a UTF-8 surrogate refused");
	is_int(sms_count("a\0b", 3, &c), -1, "a NUL refused");
}

static void
test_phone(void)
{
	static const char *const good[][2] = {
		{"+7 (912) 345-67-89", "+79123456789"}, {"+7 912 345 67 89", "+79123456789"},
		{"8 912 345 67 89", "+79123456789"}, {"89123456789", "+79123456789"},
		{"79123456789", "+79123456789"}, {"9123456789", "+79123456789"},
		{"+44 20 7946 0958", "+442079460958"}, {"+7.912.345.67.89", "+79123456789"},
	};
	static const char *const bad[] = {
		"", "12345", "+7 912 ABC 67 89", "8 912 345 67 8", "+0 123 456 7890",
		"1234567890", "+1234567890123456", "+7 912 345 67 89; rm -rf", "++79123456789",
	};
	char out[20];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int r = phone_e164(good[i][0], out);

		ok(r == 0 && strcmp(out, good[i][1]) == 0, "phone '%s' -> %s", good[i][0], good[i][1]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(phone_e164(bad[i], out), -1, "not a phone: '%s'", bad[i]);
}

static void
test_addr(void)
{
	static const char *const good[] = {"a@b", "ivan.petrov@example.ru", "x+tag@mail.example.com",
		"o'brien@example.org", "noreply@localhost"};
	static const char *const bad[] = {"", "a", "@b", "a@", "a@@b", "a b@c", "a@b c",
		"a@b\nBcc: x@y", "<a@b>", "a,b@c", "a@b..c", ".a@b", "a.@b", "a..b@c", "a@.b", "a@b.",
		"иван@пример.рф", "a\"b@c", "a@b_c"};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(mail_addr_ok(good[i]), "address ok: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!mail_addr_ok(bad[i]), "address refused: #%zu", i);
}

static void
test_headers(void)
{
	struct buf b = BUF_INIT;
	char *longs;
	const char *mixed = "Просроченный платёж по договорам ZM-0001, ZM-0002 и ZM-0003 (3 дня) — "
	    "ООО МФК «Пример» 😀";

	mail_header(&b, "Subject", "Payment reminder");
	is_str(buf_cstr(&b), "Subject: Payment reminder\n", "ASCII header as it is");
	buf_reset(&b);
	mail_header(&b, "Subject", "Напоминание о платеже");
	ok(strncmp(buf_cstr(&b), "Subject: =?UTF-8?B?", 19) == 0, "Cyrillic header encoded");
	check_encoded(buf_cstr(&b) + 8, "Напоминание о платеже", "short Cyrillic subject");
	buf_reset(&b);
	mail_header(&b, "Subject", mixed);
	check_encoded(buf_cstr(&b) + 8, mixed, "long mixed subject");
	buf_reset(&b);
	longs = rep("щ", 300);
	mail_header(&b, "Subject", longs);
	check_encoded(buf_cstr(&b) + 8, longs, "600 bytes of Cyrillic");
	free(longs);
	buf_reset(&b);
	/* no header injection: a line break in a value never starts a field */
	mail_header(&b, "Subject", "Hello\nBcc: victim@example.com");
	is_str(buf_cstr(&b), "Subject: Hello Bcc: victim@example.com\n", "LF in a value becomes a space");
	buf_reset(&b);
	mail_header(&b, "Subject", "Привет\r\nBcc: victim@example.com");
	ok(strchr(b.p, '\n') == b.p + b.len - 1 || b.p[strchr(b.p, '\n') - b.p + 1] == ' ',
	    "CRLF in an encoded value: only folds");
	check_encoded(buf_cstr(&b) + 8, "Привет  Bcc: victim@example.com", "CRLF became spaces");
	buf_reset(&b);
	mail_header(&b, "Subject", "=?UTF-8?B?AAAA?= looks encoded");
	ok(strstr(b.p, "=?UTF-8?B?AAAA?=") == NULL, "ASCII that looks like an encoded-word is encoded");
	buf_reset(&b);
	mail_addr_header(&b, "To", "Иванов Иван Петрович", "ivan@example.ru");
	ok(strstr(b.p, " <ivan@example.ru>\n") != NULL, "address after the encoded name");
	b.len = (size_t)(strstr(b.p, " <ivan") - b.p);
	check_encoded(buf_cstr(&b) + 3, "Иванов Иван Петрович", "display name");
	buf_reset(&b);
	/* a name of two words on a line that is full after the first */
	mail_addr_header(&b, "From", "ООО МКК «Тестовый кредитор»", "collect@bank.example");
	ok(strstr(buf_cstr(&b), " <collect@bank.example>\n") != NULL, "the address after the name");
	for (const char *l = b.p; *l != '\0'; l = strchr(l, '\n') + 1)
		ok(strchr(l, '\n') - l <= 78, "a From line of at most 78");
	b.len = (size_t)(strstr(b.p, " <collect") - b.p);
	check_encoded(buf_cstr(&b) + 5, "ООО МКК «Тестовый кредитор»", "a display name of 51 bytes");
	buf_reset(&b);
	mail_addr_header(&b, "From", "Bank \"Example\"", "noreply@example.ru");
	is_str(buf_cstr(&b), "From: \"Bank \\\"Example\\\"\" <noreply@example.ru>\n", "ASCII name quoted");
	buf_reset(&b);
	mail_addr_header(&b, "To", "", "a@b");
	is_str(buf_cstr(&b), "To: a@b\n", "no name: the address alone");
	buf_reset(&b);
	mail_date(&b, 0);
	is_str(buf_cstr(&b), "Thu, 01 Jan 1970 00:00:00 +0000", "date of the epoch");
	buf_reset(&b);
	mail_date(&b, 1717398000);
	is_str(buf_cstr(&b), "Mon, 03 Jun 2024 07:00:00 +0000", "date 2024-06-03 07:00 UTC");
	buf_free(&b);
}

static void
test_message(void)
{
	struct buf b = BUF_INIT;
	const char *body = "Здравствуйте!\nДолг 1 234,50 руб.\nООО МФК «Пример», +7 800 000-00-00\n";
	struct mail m = {
		.from_name = "ООО МФК «Пример»", .from_addr = "noreply@example.ru",
		.to_name = "Иванов Иван", .to_addr = "ivan@example.ru",
		.subject = "Просроченный платёж", .message_id = "notify.7.20240603@example.ru",
		.contact = "7", .date = 1717398000, .body = body, .body_len = strlen(body),
	};
	unsigned char dec[1024];
	const char *sep, *p;
	size_t n = 0;

	mail_message(&b, &m);
	buf_cstr(&b);
	sep = strstr(b.p, "\n\n");
	ok(sep != NULL, "headers end with an empty line");
	static const char *const fields[] = {"\nTo: ", "\nSubject: ", "\nDate: Mon, 03 Jun 2024 07:00:00 +0000\n",
		"\nMessage-ID: <notify.7.20240603@example.ru>\n", "\nMIME-Version: 1.0\n",
		"\nContent-Type: text/plain; charset=UTF-8\n", "\nContent-Transfer-Encoding: base64\n",
		"\nX-Overdue-Contact: 7\n"};
	ok(strncmp(b.p, "From: =?UTF-8?B?", 16) == 0, "From first, encoded");
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		p = strstr(b.p, fields[i]);
		ok(p != NULL && p < sep, "header %.*s", (int)strcspn(fields[i] + 1, ":"), fields[i] + 1);
	}
	for (p = sep + 2; *p != '\0';) {
		const char *e = strchr(p, '\n');

		ok(e != NULL && e - p <= 76, "base64 line of at most 76");
		n += unb64(p, (size_t)(e - p), dec + n);
		p = e + 1;
	}
	dec[n] = '\0';
	is_str((const char *)dec, "Здравствуйте!\r\nДолг 1 234,50 руб.\r\nООО МФК «Пример», +7 800 000-00-00\r\n",
	    "the body decodes to the text with CRLF line ends");
	for (p = b.p; p < sep; p++)
		if ((unsigned char)*p >= 0x80)
			break;
	ok(p == sep, "the header is pure ASCII");
	buf_free(&b);
}

static void
test_csv(void)
{
	struct buf b = BUF_INIT;
	static const char *const c[][3] = {
		{"plain", "plain", "a plain field"},
		{"Иванов Иван", "Иванов Иван", "UTF-8 as it is"},
		{"a,b", "\"a,b\"", "a comma quotes"},
		{"say \"hi\"", "\"say \"\"hi\"\"\"", "quotes doubled"},
		{"two\nlines", "\"two\nlines\"", "a newline quotes"},
		{"cr\rhere", "\"cr\rhere\"", "a CR quotes"},
		{"=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"", "a formula guarded"},
		{"+7 912", "'+7 912", "a leading + guarded"},
		{"-1", "'-1", "a leading - guarded"},
		{"@SUM(1)", "'@SUM(1)", "a leading @ guarded"},
		{"", "", "empty"},
	};

	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		buf_reset(&b);
		csv_field(&b, c[i][0], 1);
		is_str(buf_cstr(&b), c[i][1], "csv: %s", c[i][2]);
	}
	buf_reset(&b);
	csv_field(&b, "+79123456789", 0);
	is_str(buf_cstr(&b), "+79123456789", "csv: no guard asked");
	buf_free(&b);
}

static void
test_russian(void)
{
	struct buf b = BUF_INIT;
	static const struct {
		int64_t k;
		const char *s;
	} m[] = {{0, "0,00"}, {5, "0,05"}, {123450, "1 234,50"}, {100000, "1 000,00"},
		{99999, "999,99"}, {123456789, "1 234 567,89"}, {-150, "-1,50"},
		{INT64_C(99999999999999999), "999 999 999 999 999,99"}};

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		buf_reset(&b);
		ru_money(&b, m[i].k);
		is_str(buf_cstr(&b), m[i].s, "roubles %s", m[i].s);
	}
	buf_reset(&b);
	ru_date(&b, 19877);
	is_str(buf_cstr(&b), "03.06.2024", "a date DD.MM.YYYY");
	static const struct {
		int64_t n;
		const char *w;
	} p[] = {{0, "дней"}, {1, "день"}, {2, "дня"}, {4, "дня"}, {5, "дней"}, {11, "дней"},
		{12, "дней"}, {14, "дней"}, {21, "день"}, {22, "дня"}, {25, "дней"}, {101, "день"},
		{111, "дней"}, {112, "дней"}, {122, "дня"}};

	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		is_str(ru_plural(p[i].n, "день", "дня", "дней"), p[i].w, "%lld %s", (long long)p[i].n, p[i].w);
	buf_free(&b);
}

int
main(void)
{
	test_fill();
	test_sms();
	test_phone();
	test_addr();
	test_headers();
	test_message();
	test_csv();
	test_russian();
	return done_testing();
}
