/* t_j2t.c - record -> COPY row conversion, reject reasons, reject lines. */
#include <stdlib.h>

#include "buf.h"
#include "json/j2t.h"
#include "tap.h"

static struct j2t cv;
static struct buf row = BUF_INIT;
static struct j2t_reject rej;

/* The row for one record, or "REJECT field: reason". */
static const char *
conv(const char *entity, const char *rec)
{
	static struct buf out = BUF_INIT;

	j2t_free(&cv);
	j2t_init(&cv, j2t_entity(entity));
	buf_reset(&row);
	buf_reset(&out);
	if (j2t_convert(&cv, rec, strlen(rec), 7, &row, &rej))
		buf_put(&out, row.p, row.len);
	else {
		if (row.len != 0)
			return "rejected but the row buffer was not rolled back";
		buf_printf(&out, "REJECT %s: %s", rej.field, rej.reason);
	}
	return buf_cstr(&out);
}

#define PAY(rest) "{\"client_id\":17,\"loan_name\":\"LKH-1\",\"payment_number\":3," rest "}"

int
main(void)
{
	ok(j2t_entity("clients") && j2t_entity("loans") && j2t_entity("payments"), "three entities");
	ok(j2t_entity("client") == NULL && j2t_entity("") == NULL, "no others");

	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"payment_fact_date\":\"2010-06-19\",\"paid_fact_amount\":244")),
	    "7\t17\tLKH-1\t3\t2010-07-09\t2010-06-19\t244.00\n", "a seed payment");
	is_str(conv("payments", PAY("\"payment_date\":1262304000000,\"payment_fact_date\":null")),
	    "7\t17\tLKH-1\t3\t2010-01-01\t\\N\t\\N\n", "epoch ms, null and absent optionals");
	is_str(conv("payments", "{\"paid_fact_amount\":\"0.5\",\"payment_date\":\"2024-02-29T23:59:59+03:00\",\"payment_number\":1.0,\"loan_name\":\"a\\tb\\\\c\\nd\",\"client_id\":1.2e1}"),
	    "7\t12\ta\\tb\\\\c\\nd\t1\t2024-02-29\t\\N\t0.50\n", "any member order, escapes re-escaped for COPY, 1.2e1, numeric string money");
	is_str(conv("loans", "{\"client_id\":1,\"loan_name\":\"X\",\"loan_amount\":93480,\"loan_start_date\":\"2010-05-09\",\"loan_end_date\":\"2010-05-09\",\"payment_numbers\":199.0,\"paid_amount\":470.1}"),
	    "7\t1\tX\t93480.00\t2010-05-09\t2010-05-09\t199\t470.10\n", "a loan ending on its start date");

	is_str(conv("payments", PAY("\"payment_date\":\"2023-02-30\"")), "REJECT payment_date: impossible date: 2023-02-30", "impossible date");
	is_str(conv("payments", PAY("\"payment_date\":\"1899-12-31\"")), "REJECT payment_date: date outside the years 1900..2100: 1899-12-31", "year range");
	is_str(conv("payments", PAY("\"payment_date\":\"09.07.2010\"")),
	    "REJECT payment_date: not a date (want YYYY-MM-DD, an ISO date-time or epoch milliseconds): 09.07.2010", "other date formats");
	is_str(conv("payments", PAY("\"payment_date\":1262304000000.5")),
	    "REJECT payment_date: not a date (epoch milliseconds must be a whole number in range): 1262304000000.5", "fractional epoch ms");
	is_str(conv("payments", PAY("\"payment_date\":true")), "REJECT payment_date: not a date (got a boolean)", "boolean date");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":-1")), "REJECT paid_fact_amount: negative amount: -1", "negative money");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":12.345")), "REJECT paid_fact_amount: more than 2 decimals: 12.345", "third decimal");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":\"abc\"")), "REJECT paid_fact_amount: not a number (got a string)", "non-numeric string");
	is_str(conv("payments", "{\"client_id\":12.5,\"loan_name\":\"a\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}"),
	    "REJECT client_id: not a whole number: 12.5", "fractional id");
	is_str(conv("payments", "{\"client_id\":0,\"loan_name\":\"a\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}"),
	    "REJECT client_id: out of range 1..999999999999999: 0", "id 0");
	is_str(conv("payments", "{\"loan_name\":\"a\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}"),
	    "REJECT client_id: missing required field client_id", "missing key");
	is_str(conv("payments", "{\"client_id\":null,\"loan_name\":\"a\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}"),
	    "REJECT client_id: null in required field client_id", "null key");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"payment_number\":4")),
	    "REJECT payment_number: duplicate field payment_number", "duplicate known field");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"p\\u0061yment_number\":4")),
	    "REJECT payment_number: duplicate field payment_number", "duplicate spelled with an escape");
	is_str(conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"x\":1,\"y\":2,\"x\":3")),
	    "REJECT : duplicate field x", "duplicate unknown field");
	is_str(conv("loans", "{\"client_id\":1,\"loan_name\":\"X\",\"loan_amount\":0,\"loan_start_date\":\"2010-05-09\",\"loan_end_date\":\"2010-05-09\",\"payment_numbers\":1,\"paid_amount\":0}"),
	    "REJECT loan_amount: must be greater than 0: 0", "zero loan amount");
	is_str(conv("loans", "{\"client_id\":1,\"loan_name\":\"X\",\"loan_amount\":1,\"loan_start_date\":\"2010-05-09\",\"loan_end_date\":\"2010-05-08\",\"payment_numbers\":1,\"paid_amount\":0}"),
	    "REJECT loan_end_date: loan_end_date is before loan_start_date", "end before start");
	is_str(conv("payments", "[1,2]"), "REJECT : record is not an object", "array record");
	is_str(conv("payments", "thanx"), "REJECT : invalid JSON (not a number, true, false or null)", "bare word record");
	ok(strncmp(conv("payments", "{\"client_id\":1 \"loan_name\":\"a\"}"), "REJECT : invalid JSON", 21) == 0, "missing comma inside a record");
	ok(strncmp(conv("payments", "{\"client_id\":1,\"loan_name\":\"a\",\"payment_number\":1,\"payment_date\":\"2010-07-09\",\"x\":[1,,2]}"),
	    "REJECT : invalid JSON", 21) == 0, "invalid JSON in an unknown field");

	/* the optional e-mail of clients: last column, \N when absent or null */
#define CL(rest) "{\"client_id\":3,\"fio\":\"F\",\"passport\":\"P\",\"gender\":\"\xD0\x96\xD0\xB5\xD0\xBD\xD1\x89\xD0\xB8\xD0\xBD\xD0\xB0\"," \
	"\"birth_date\":\"1992-01-12\",\"education\":\"E\",\"job_type\":\"J\",\"income\":1" rest "}"
#define CLROW "7\t3\tF\tP\t\xD0\x96\xD0\xB5\xD0\xBD\xD1\x89\xD0\xB8\xD0\xBD\xD0\xB0\t1992-01-12\tE\t\\N\tJ\t\\N\t\\N\t\\N\t\\N\t1.00\t"
	is_str(conv("clients", CL("")), CLROW "\\N\n", "client without email: \\N");
	is_str(conv("clients", CL(",\"email\":null")), CLROW "\\N\n", "email null: \\N");
	is_str(conv("clients", CL(",\"email\":\"ivanova1987@mail.example\"")),
	    CLROW "ivanova1987@mail.example\n", "an e-mail");
	is_str(conv("clients", CL(",\"email\":\"\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD@\xD0\xBF\xD0\xBE\xD1\x87\xD1\x82\xD0\xB0.\xD1\x80\xD1\x84\"")),
	    CLROW "\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD@\xD0\xBF\xD0\xBE\xD1\x87\xD1\x82\xD0\xB0.\xD1\x80\xD1\x84\n",
	    "a Cyrillic address (RFC 6531) is kept");
	is_str(conv("clients", CL(",\"email\":\"a\\\\b@x\"")), CLROW "a\\\\b@x\n",
	    "a backslash is escaped for COPY");
	is_str(conv("clients", CL(",\"email\":42")), "REJECT email: not a string (got a number)", "email a number");
	is_str(conv("clients", CL(",\"email\":[\"a@b\"]")), "REJECT email: not a string (got an array)", "email an array");
	is_str(conv("clients", CL(",\"email\":\"\"")), "REJECT email: not an e-mail address (no @): ", "empty email");
	is_str(conv("clients", CL(",\"email\":\"ivanov.mail.example\"")),
	    "REJECT email: not an e-mail address (no @): ivanov.mail.example", "no @");
	is_str(conv("clients", CL(",\"email\":\"a@b@c\"")), "REJECT email: not an e-mail address (more than one @): a@b@c", "two @");
	is_str(conv("clients", CL(",\"email\":\"@mail.example\"")),
	    "REJECT email: not an e-mail address (nothing before the @): @mail.example", "nothing before @");
	is_str(conv("clients", CL(",\"email\":\"ivanov@\"")), "REJECT email: not an e-mail address (nothing after the @): ivanov@", "nothing after @");
	is_str(conv("clients", CL(",\"email\":\"iva nov@x\"")),
	    "REJECT email: not an e-mail address (a space or control character): iva nov@x", "a space");
	is_str(conv("clients", CL(",\"email\":\"ivanov@x\\t\"")),
	    "REJECT email: not an e-mail address (a space or control character): ivanov@x\t", "an escaped tab");
	is_str(conv("clients", CL(",\"email\":\"ivanov@x\\u00a0\"")),
	    "REJECT email: not an e-mail address (a space or control character): ivanov@x\xC2\xA0", "a no-break space");
	is_str(conv("clients", CL(",\"email\":\"ivanov@x\\u2028\"")),
	    "REJECT email: not an e-mail address (a space or control character): ivanov@x\xE2\x80\xA8", "a line separator");
	is_str(conv("clients", CL(",\"email\":\"ivanov@x\\u007f\"")),
	    "REJECT email: not an e-mail address (a space or control character): ivanov@x\x7F", "DEL");
	{
		char big[400], rec[600];

		memset(big, 'a', 250);
		memcpy(big + 250, "@b.c", 5);		/* 254 bytes: the limit */
		snprintf(rec, sizeof rec, CL(",\"email\":\"%s\""), big);
		ok(strncmp(conv("clients", rec), "7\t3\t", 4) == 0, "254 bytes: kept");
		memmove(big + 1, big, 255);		/* 255 bytes */
		snprintf(rec, sizeof rec, CL(",\"email\":\"%s\""), big);
		is_str(conv("clients", rec), "REJECT email: longer than 254 bytes", "255 bytes: rejected");
	}
#undef CL
#undef CLROW

	/* unknown fields are counted only for written rows */
	conv("payments", PAY("\"payment_date\":\"2010-07-09\",\"extra\":{\"deep\":[1]},\"more\":\"x\""));
	is_int(cv.unknown, 2, "two unknown fields counted");
	ok(cv.n_unknown_names == 2 && strcmp(cv.unknown_names[0], "extra") == 0, "and named");

	/* reject lines (contract 4) */
	struct buf line = BUF_INIT, raw = BUF_INIT;
	struct j2t_reject r = {"loan_name", "bad\tthing"};
	j2t_reject_line(&line, 3, 120, &r, "{\"a\":\"x\\ty\"}\n", 13);
	is_str(buf_cstr(&line), "3\t120\tloan_name\tbad\\tthing\t{\"a\":\"x\\\\ty\"}\\n\n", "fields COPY-escaped");
	for (int i = 0; i < 40000; i++)
		buf_puts(&raw, "\xD0\x96");	/* 80 000 bytes of 2-byte characters */
	buf_reset(&line);
	r.field = "";
	j2t_reject_line(&line, 1, 0, &r, raw.p, raw.len);
	is_int(line.len, strlen("1\t0\t\tbad\\tthing\t") + 65536 + 1, "raw cut to 64 KiB");
	buf_reset(&line);
	j2t_reject_line(&line, 1, 0, &r, raw.p + 1, raw.len - 1);
	ok(line.len < strlen("1\t0\t\tbad\\tthing\t") + 65536 + 4 &&
	    memcmp(line.p + line.len - 3, "\xD0\x96\n", 3) == 0, "cut on a character boundary");
	buf_reset(&line);
	j2t_reject_line(&line, 1, 0, &r, "a\xFF\0b", 4);
	is_str(buf_cstr(&line), "1\t0\t\tbad\\tthing\ta\xEF\xBF\xBD\xEF\xBF\xBD" "b\n", "invalid bytes shown as U+FFFD");
	buf_free(&line);
	buf_free(&raw);
	buf_free(&row);
	j2t_free(&cv);
	/*
	 * The framer's hints (plain ASCII strings, max depth) let j2t skip
	 * decoding; with them set, plain records convert exactly as without,
	 * and the checks that do not depend on strings still reject.
	 */
	static const char *hinted[] = {
		PAY("\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":12.3"),
		PAY("\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":12.345"),
		PAY("\"payment_date\":\"2010-07-09\" \"x\":1"),
		PAY("\"payment_date\":\"2010-07-09\",\"payment_date\":\"2010-07-09\""),
		PAY("\"payment_date\":\"2010-07-09\",\"note\":tru"),
		"{\"client_id\":1,\"loan_name\":\"L\",\"payment_number\":1,\"payment_date\":\"2010-07-09\",\"a\":1,\"a\":2}",
	};
	for (size_t h = 0; h < sizeof hinted / sizeof hinted[0]; h++) {
		char want[512];
		const char *got;

		snprintf(want, sizeof want, "%s", conv("payments", hinted[h]));
		j2t_free(&cv);
		j2t_init(&cv, j2t_entity("payments"));
		cv.rec_plain = 1;
		cv.rec_depth = 1;
		buf_reset(&row);
		got = j2t_convert(&cv, hinted[h], strlen(hinted[h]), 7, &row, &rej) ?
		    buf_cstr(&row) : rej.reason;
		ok(strstr(want, got) != NULL, "plain hint gives the same result: %s", want);
	}
	return done_testing();
}
