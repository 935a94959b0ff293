/* t_stage.c - pg-stage's end-marker detection and promote-core's --file parsing. */
#include <stdlib.h>
#include <string.h>

#include "load/promote.h"
#include "load/stage.h"
#include "tap.h"

/*
 * Feed `in` in chunks of `step` bytes; return 1 if the marker ended it, and
 * the bytes that would be sent in *sent.
 */
static int
feed(const char *in, size_t step, char *sent, size_t *nsent)
{
	struct copytail t = {{0}, 0, 0, 0};
	size_t n = strlen(in), i, rest;
	char out[256];
	int m;

	*nsent = 0;
	for (i = 0; i < n; i += step) {
		size_t k = n - i < step ? n - i : step, o = copytail_feed(&t, in + i, k, out);

		memcpy(sent + *nsent, out, o);
		*nsent += o;
	}
	m = copytail_end(&t, &rest);
	memcpy(sent + *nsent, t.hold, rest);
	*nsent += rest;
	sent[*nsent] = '\0';
	return m;
}

static void
marker(const char *in, int want, const char *want_sent, const char *name)
{
	char sent[256];
	size_t n;

	for (size_t step = 1; step <= 7; step += 3) {
		is_int(feed(in, step, sent, &n), want, "%s: marker (chunks of %zu)", name, step);
		is_str(sent, want_sent, "%s: data sent (chunks of %zu)", name, step);
	}
}

int
main(void)
{
	struct load_file f;
	char err[128], arg[256];

	marker("1\ta\n2\tb\n\\.\n", 1, "1\ta\n2\tb\n", "rows then marker");
	marker("\\.\n", 1, "", "marker only (no rows)");
	marker("1\ta\n\\.", 1, "1\ta\n", "marker without final newline");
	marker("1\ta\n2\tb\n", 0, "1\ta\n2\tb\n", "no marker (producer died)");
	marker("1\ta\\.\n", 0, "1\ta\\.\n", "backslash-dot inside a row is data");
	marker("", 0, "", "empty input");
	marker("1\n", 0, "1\n", "short input without marker");

	is_int(stage_entity("payments"), 2, "payments is the third entity");
	is_int(stage_entity("payment"), -1, "unknown entity");

	snprintf(arg, sizeof arg, "loans:%s:123:dir:with:colons/loans_3.json",
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	is_int(load_file_parse(arg, &f, err, sizeof err), 0, "parse a --file");
	is_str(f.entity, "loans", "entity");
	is_int(f.bytes, 123, "bytes");
	is_str(f.name, "dir:with:colons/loans_3.json", "the name keeps its colons");
	snprintf(arg, sizeof arg, "loans:ABC:1:x");
	is_int(load_file_parse(arg, &f, err, sizeof err), -1, "reject a bad checksum");
	snprintf(arg, sizeof arg, "bills:%064d:1:x", 0);
	is_int(load_file_parse(arg, &f, err, sizeof err), -1, "reject an unknown entity");
	snprintf(arg, sizeof arg, "loans:%064d:-1:x", 0);
	is_int(load_file_parse(arg, &f, err, sizeof err), -1, "reject negative bytes");
	snprintf(arg, sizeof arg, "loans:%064d:1:", 0);
	is_int(load_file_parse(arg, &f, err, sizeof err), -1, "reject an empty name");
	return done_testing();
}
