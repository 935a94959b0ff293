/* render.c - templates, SMS segments, RFC 2047/5322 mail and CSV fields (see render.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "date.h"
#include "notify/render.h"
#include "util.h"

/* --- UTF-8 ------------------------------------------------------------------*/

/* Decode the character at s[*i] (n bytes in all); strict: no overlong forms,
 * no surrogates, nothing above U+10FFFF, no NUL.  0 and *i advanced, or -1. */
static int
utf8_next(const unsigned char *s, size_t n, size_t *i, uint32_t *cp)
{
	size_t k = *i, len;
	uint32_t c = s[k], min;

	if (c == 0)
		return -1;
	if (c < 0x80) {
		*cp = c;
		*i = k + 1;
		return 0;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, c &= 0x07, min = 0x10000;
	else
		return -1;
	if (n - k < len)
		return -1;
	for (size_t j = 1; j < len; j++) {
		if ((s[k + j] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (s[k + j] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	*i = k + len;
	return 0;
}

/* Length of the UTF-8 sequence a lead byte starts (1 for anything else). */
static size_t
utf8_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* --- templates ----------------------------------------------------------------*/

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int
render_fill(const char *t, const struct rvar *vars, size_t n, struct buf *out, char *err)
{
	const char *p = t;
	int line = 1;

	/* the leading comment lines */
	while (*p == '#') {
		const char *nl = strchr(p, '\n');

		if (nl == NULL) {
			p += strlen(p);
			break;
		}
		p = nl + 1;
		line++;
	}
	while (*p != '\0') {
		const char *q = p;

		while (*q != '\0' && *q != '{' && *q != '}')
			q++;
		buf_put(out, p, (size_t)(q - p));
		for (const char *r = p; r < q; r++)
			line += *r == '\n';
		p = q;
		if (*p == '\0')
			break;
		if (p[1] == *p) {		/* "{{" or "}}" */
			buf_putc(out, *p);
			p += 2;
			continue;
		}
		if (*p == '}') {
			snprintf(err, RENDER_ERRSZ, "line %d: a lone '}' (write '}}' for a brace)", line);
			return -1;
		}
		q = p + 1;
		while (is_name_char(*q))
			q++;
		if (*q != '}' || q == p + 1) {
			snprintf(err, RENDER_ERRSZ, "line %d: a lone '{' (write '{{' for a brace, "
			    "{name} for a placeholder)", line);
			return -1;
		}
		size_t len = (size_t)(q - p - 1), i;

		for (i = 0; i < n; i++)
			if (strlen(vars[i].name) == len && memcmp(vars[i].name, p + 1, len) == 0)
				break;
		if (i == n) {
			snprintf(err, RENDER_ERRSZ, "line %d: unknown placeholder {%.*s}", line,
			    len > 64 ? 64 : (int)len, p + 1);
			return -1;
		}
		buf_puts(out, vars[i].value != NULL ? vars[i].value : "");
		p = q + 1;
	}
	return 0;
}

/* --- SMS ------------------------------------------------------------------------*/

/* Septets of a character in GSM 03.38: 1 (default alphabet), 2 (extension
 * table, after an escape), 0 (not representable). */
static int
gsm_septets(uint32_t c)
{
	/* the default alphabet's characters outside printable ASCII */
	static const uint16_t basic[] = {
		0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7,
		0x00D8, 0x00F8, 0x00C5, 0x00E5, 0x0394, 0x03A6, 0x0393, 0x039B,
		0x03A9, 0x03A0, 0x03A8, 0x03A3, 0x0398, 0x039E, 0x00C6, 0x00E6,
		0x00DF, 0x00C9, 0x00A4, 0x00A1, 0x00C4, 0x00D6, 0x00D1, 0x00DC,
		0x00A7, 0x00BF, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
	};

	if (c == '\n' || c == '\r')
		return 1;
	if (c == '\f' || c == 0x20AC)
		return 2;
	if (c >= 0x20 && c <= 0x7E) {
		if (c == '`')
			return 0;
		return strchr("[\\]^{|}~", (int)c) != NULL ? 2 : 1;
	}
	for (size_t i = 0; i < sizeof basic / sizeof basic[0]; i++)
		if (basic[i] == c)
			return 1;
	return 0;
}

/* Segments of a message whose characters take the given units, packed
 * greedily into parts of `part` units (a character never split). */
static int
pack(const unsigned char *s, size_t n, int ucs2, size_t part)
{
	size_t i = 0, used = 0;
	int segs = 1;
	uint32_t c;

	while (i < n) {
		size_t w;

		(void)utf8_next(s, n, &i, &c);	/* already checked */
		w = ucs2 ? (c > 0xFFFF ? 2 : 1) : (size_t)gsm_septets(c);
		if (used + w > part) {
			segs++;
			used = 0;
		}
		used += w;
	}
	return segs;
}

int
sms_count(const char *s, size_t n, struct sms_count *c)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, septets = 0, units = 0, chars = 0;
	int gsm = 1;
	uint32_t cp;

	while (i < n) {
		int w;

		if (utf8_next(u, n, &i, &cp) != 0)
			return -1;
		chars++;
		units += cp > 0xFFFF ? 2 : 1;
		w = gsm_septets(cp);
		if (w == 0)
			gsm = 0;
		septets += (size_t)w;
	}
	c->chars = chars;
	if (gsm) {
		c->enc = SMS_GSM7;
		c->units = septets;
		c->segments = septets <= 160 ? 1 : pack(u, n, 0, 153);
	} else {
		c->enc = SMS_UCS2;
		c->units = units;
		c->segments = units <= 70 ? 1 : pack(u, n, 1, 67);
	}
	return 0;
}

const char *
sms_enc_name(enum sms_enc e)
{
	return e == SMS_GSM7 ? "GSM-7" : "UCS-2";
}

int
phone_e164(const char *in, char *out)
{
	char d[16];
	size_t nd = 0;
	int plus = 0;
	const char *p = in;

	while (*p == ' ')
		p++;
	if (*p == '+')
		plus = 1, p++;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (nd == 15)
				return -1;
			d[nd++] = *p;
		} else if (strchr(" ()-.", *p) == NULL) {
			return -1;
		}
	}
	if (!plus) {
		/* a Russian number written the domestic way */
		if (nd == 11 && (d[0] == '8' || d[0] == '7'))
			d[0] = '7';
		else if (nd == 10 && d[0] == '9') {
			memmove(d + 1, d, nd++);
			d[0] = '7';
		} else
			return -1;
	}
	if (nd < 10 || d[0] == '0')
		return -1;
	out[0] = '+';
	memcpy(out + 1, d, nd);
	out[nd + 1] = '\0';
	return 0;
}

/* --- e-mail ---------------------------------------------------------------------*/

int
mail_addr_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (at == NULL || at == s || len > 254 || strchr(at + 1, '@') != NULL)
		return 0;
	for (const char *p = s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7F || strchr("<>()[]\\,;:\"", *p) != NULL)
			return 0;
	/* the domain: labels of letters, digits and '-', separated by single dots */
	const char *d = at + 1;

	if (*d == '\0' || *d == '.' || s[len - 1] == '.' || strstr(d, "..") != NULL)
		return 0;
	for (; *d != '\0'; d++)
		if (!((*d >= 'a' && *d <= 'z') || (*d >= 'A' && *d <= 'Z') ||
		    (*d >= '0' && *d <= '9') || *d == '-' || *d == '.'))
			return 0;
	/* the local part: no leading, trailing or double dot */
	if (s[0] == '.' || at[-1] == '.')
		return 0;
	for (const char *p = s; p + 1 < at; p++)
		if (p[0] == '.' && p[1] == '.')
			return 0;
	return 1;
}

#define LINE_MAX_MAIL 78

/* A value that may go into a header as it is. */
static int
header_plain(const char *s)
{
	for (const char *p = s; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7E)
			return 0;
	return strstr(s, "=?") == NULL;
}

/* Append s[0..n) as encoded-words, each after one space (a folded line
 * starts with it); *col is the length of the current line so far. */
static void
encoded_words(struct buf *b, size_t *col, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char b64[64];
	size_t i = 0;

	while (i < n) {
		size_t room = *col + 1 < LINE_MAX_MAIL ? LINE_MAX_MAIL - *col - 1 : 0, take = 0, max;

		if (room > 75)
			room = 75;
		max = room >= 16 ? (room - 12) / 4 * 3 : 0;	/* bytes that fit */
		while (i + take < n) {
			size_t l = utf8_len(u[i + take]);

			if (take + l > max)
				break;
			take += l;
		}
		if (take == 0) {		/* nothing fits on this line: fold */
			buf_putc(b, '\n');
			*col = 0;
			continue;
		}
		size_t k = base64_encode(u + i, take, b64);

		buf_puts(b, " =?UTF-8?B?");
		buf_put(b, b64, k);
		buf_puts(b, "?=");
		*col += 1 + 12 + k;
		i += take;
	}
}

/* A copy of s with CR, LF and TAB as spaces (a header is one line). */
static char *
one_line(const char *s)
{
	char *c = estrdup(s);

	for (char *p = c; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	return c;
}

/* Append a printable ASCII value, folded at spaces to keep lines short. */
static void
plain_words(struct buf *b, size_t *col, const char *s)
{
	const char *p = s;

	for (;;) {
		const char *sp = strchr(p, ' ');
		size_t len = sp != NULL ? (size_t)(sp - p) : strlen(p);

		if (*col + 1 + len > LINE_MAX_MAIL && p != s) {
			buf_putc(b, '\n');
			*col = 0;
		}
		buf_putc(b, ' ');
		buf_put(b, p, len);
		*col += 1 + len;
		if (sp == NULL)
			break;
		p = sp + 1;
	}
}

void
mail_header(struct buf *b, const char *name, const char *value)
{
	char *v = one_line(value);
	size_t col = strlen(name) + 1;

	buf_puts(b, name);
	buf_putc(b, ':');
	if (header_plain(v))
		plain_words(b, &col, v);
	else
		encoded_words(b, &col, v, strlen(v));
	buf_putc(b, '\n');
	free(v);
}

void
mail_addr_header(struct buf *b, const char *name, const char *display, const char *addr)
{
	char *v = one_line(display != NULL ? display : "");
	size_t col = strlen(name) + 1;

	buf_puts(b, name);
	buf_putc(b, ':');
	if (*v == '\0') {
		buf_printf(b, " %s\n", addr);
		free(v);
		return;
	}
	if (header_plain(v)) {
		buf_puts(b, " \"");
		col += 2;
		for (const char *p = v; *p != '\0'; p++, col++) {
			if (*p == '"' || *p == '\\')
				buf_putc(b, '\\'), col++;
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
		col++;
	} else {
		encoded_words(b, &col, v, strlen(v));
	}
	if (col + 3 + strlen(addr) > LINE_MAX_MAIL)
		buf_putc(b, '\n');
	buf_printf(b, " <%s>\n", addr);
	free(v);
}

void
mail_date(struct buf *b, time_t t)
{
	static const char wd[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		die(EX_SOFTWARE, "internal error: a time gmtime_r cannot convert");
	buf_printf(b, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
	    mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
mail_message(struct buf *b, const struct mail *m)
{
	struct buf canon = BUF_INIT;
	char *b64;
	size_t n;

	mail_addr_header(b, "From", m->from_name, m->from_addr);
	mail_addr_header(b, "To", m->to_name, m->to_addr);
	mail_header(b, "Subject", m->subject);
	buf_puts(b, "Date: ");
	mail_date(b, m->date);
	buf_printf(b, "\nMessage-ID: <%s>\n", m->message_id);
	buf_puts(b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: base64\n"
	    "Auto-Submitted: auto-generated\n");
	if (m->contact != NULL)
		mail_header(b, "X-Overdue-Contact", m->contact);
	buf_putc(b, '\n');
	/* RFC 2045 6.8: text is encoded in its canonical form, CRLF line ends */
	for (size_t i = 0; i < m->body_len; i++) {
		if (m->body[i] == '\r')
			continue;
		if (m->body[i] == '\n')
			buf_putc(&canon, '\r');
		buf_putc(&canon, m->body[i]);
	}
	b64 = emalloc(canon.len / 3 * 4 + 8);
	n = base64_encode((const unsigned char *)canon.p, canon.len, b64);
	for (size_t i = 0; i < n; i += 76) {
		buf_put(b, b64 + i, n - i < 76 ? n - i : 76);
		buf_putc(b, '\n');
	}
	free(b64);
	buf_free(&canon);
}

/* --- CSV ------------------------------------------------------------------------*/

void
csv_field(struct buf *b, const char *s, int guard)
{
	int formula = guard && *s != '\0' && strchr("=+-@\t\r", *s) != NULL;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (formula)
			buf_putc(b, '\'');
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* --- Russian text -----------------------------------------------------------------*/

void
ru_money(struct buf *b, int64_t kop)
{
	char d[24];
	uint64_t v = kop < 0 ? 0 - (uint64_t)kop : (uint64_t)kop;
	uint64_t r = v / 100;
	int n = snprintf(d, sizeof d, "%llu", (unsigned long long)r);

	if (kop < 0)
		buf_putc(b, '-');
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(b, ' ');
		buf_putc(b, d[i]);
	}
	buf_printf(b, ",%02u", (unsigned)(v % 100));
}

void
ru_date(struct buf *b, int32_t day)
{
	int y, m, d;

	date_to_civil(day, &y, &m, &d);
	buf_printf(b, "%02d.%02d.%04d", d, m, y);
}

const char *
ru_plural(int64_t n, const char *one, const char *few, const char *many)
{
	int64_t a = n < 0 ? -(n % 100) : n % 100;

	if (a >= 11 && a <= 14)
		return many;
	a %= 10;
	return a == 1 ? one : a >= 2 && a <= 4 ? few : many;
}
