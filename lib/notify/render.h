/*
 * render.h - the pieces of a client message (SPEC 9, issue 8): templates
 * with {placeholders}, SMS encoding and segment counts, RFC 2047 encoded
 * headers, RFC 5322 messages, RFC 4180 CSV fields.  Pure: no files, no
 * clock (the caller passes the time), no database.
 */
#ifndef OVERDUE_NOTIFY_RENDER_H
#define OVERDUE_NOTIFY_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"

/* --- templates ------------------------------------------------------------
 *
 * A template is UTF-8 text.  "{name}" is replaced by the value of the
 * variable name ([a-z0-9_]+); "{{" and "}}" stand for "{" and "}".  Lines
 * starting with "#" before the first other line are comments (dropped).
 */
struct rvar {
	const char *name;
	const char *value;
};

#define RENDER_ERRSZ 160

/*
 * Append template t filled from vars[0..n) to out.  0 on success; -1 with a
 * message in err (RENDER_ERRSZ bytes) naming an unknown placeholder, or a
 * brace that is neither a placeholder nor "{{" / "}}".
 */
int render_fill(const char *t, const struct rvar *vars, size_t n,
    struct buf *out, char *err);

/* --- SMS ------------------------------------------------------------------
 *
 * GSM 03.38: when every character is in the GSM 7-bit default alphabet
 * (the extension table's ^ { } \ [ ~ ] | EURO SIGN and form feed count 2
 * septets), 160 septets fit one segment and 153 each part of a longer
 * message; otherwise UCS-2: 70 UTF-16 units in one segment, 67 per part
 * (a character outside the BMP is 2 units).  A part never splits an escape
 * pair or a surrogate pair.  An empty text is one segment.
 */
enum sms_enc { SMS_GSM7, SMS_UCS2 };

struct sms_count {
	enum sms_enc enc;
	size_t units;		/* septets (GSM-7) or UTF-16 units (UCS-2) */
	size_t chars;		/* Unicode characters */
	int segments;
};

/* 0, or -1 when s[0..n) is not valid UTF-8 (or holds a NUL). */
int sms_count(const char *s, size_t n, struct sms_count *c);
const char *sms_enc_name(enum sms_enc e);	/* "GSM-7" "UCS-2" */

/*
 * A phone number for the gateway, E.164 "+<digits>": "+7 (912) 345-67-89",
 * "8 912 345 67 89", "89123456789", "9123456789" -> "+79123456789".  Spaces,
 * parentheses, dashes and dots are dropped.  -1 when it is not a number of
 * 10 to 15 digits after '+' (out: at least 17 bytes).
 */
int phone_e164(const char *in, char *out);

/* --- e-mail ----------------------------------------------------------------*/

/* 1 when s is an addr-spec we can put in a header safely: printable ASCII,
 * no white space or specials <>()[]\,;:", one '@' with text on both sides,
 * a domain of dot-separated labels; at most 254 characters. */
int mail_addr_ok(const char *s);

/*
 * Append the header field "name: value\n", value encoded as RFC 2047
 * B encoded-words (=?UTF-8?B?...?=, each at most 75 characters, split only
 * between UTF-8 characters) unless it is printable ASCII without "=?";
 * lines folded to at most 78 characters.  CR, LF and TAB in value become
 * spaces.
 */
void mail_header(struct buf *b, const char *name, const char *value);
/* "name: display <addr>\n", the display name encoded as above when needed
 * (or a quoted-string), folded before "<addr>" when the line would be long. */
void mail_addr_header(struct buf *b, const char *name, const char *display,
    const char *addr);
/* RFC 5322 date-time of t in UTC: "Mon, 03 Jun 2024 07:00:00 +0000". */
void mail_date(struct buf *b, time_t t);

struct mail {
	const char *from_name, *from_addr;
	const char *to_name, *to_addr;
	const char *subject;
	const char *message_id;		/* without the angle brackets */
	const char *contact;		/* X-Overdue-Contact, or NULL */
	time_t date;
	const char *body;		/* UTF-8 text, LF line ends */
	size_t body_len;
};

/*
 * Append an RFC 5322 message: From, To, Subject, Date, Message-ID,
 * MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64 (lines of 76), Auto-Submitted, then the
 * body.  LF line ends (what `sendmail -t` reads); CRLF in body become LF.
 */
void mail_message(struct buf *b, const struct mail *m);

/* --- CSV (RFC 4180) --------------------------------------------------------
 *
 * Append one field: quoted when it holds a comma, a quote, CR or LF (quotes
 * doubled).  With guard, a field starting with = + - @ TAB or CR gets a
 * leading apostrophe first, so a spreadsheet never runs it as a formula.
 */
void csv_field(struct buf *b, const char *s, int guard);

/* --- Russian text -----------------------------------------------------------*/

/* "12 345,67" from kopecks (space between thousands, comma decimal). */
void ru_money(struct buf *b, int64_t kop);
/* "DD.MM.YYYY" */
void ru_date(struct buf *b, int32_t day);
/* The form of a noun after the number n: one (1, 21), few (2-4, 22), many. */
const char *ru_plural(int64_t n, const char *one, const char *few, const char *many);

#endif
