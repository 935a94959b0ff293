/* t_promote.c - promote-core's argument parsing: --step NAME=MS[:ROWS]. */
#include <stdio.h>
#include <string.h>

#include "load/promote.h"
#include "tap.h"

int
main(void)
{
	struct load_step s;
	char arg[128], err[128];

	snprintf(arg, sizeof arg, "stage payments=812");
	is_int(load_step_parse(arg, &s, err, sizeof err), 0, "NAME=MS");
	is_str(s.name, "stage payments", "the name keeps its space");
	is_int(s.ms, 812, "milliseconds");
	is_int(s.rows, -1, "no rows: -1 (SQL NULL)");

	snprintf(arg, sizeof arg, "promote payments=1200:57049");
	is_int(load_step_parse(arg, &s, err, sizeof err), 0, "NAME=MS:ROWS");
	is_int(s.ms, 1200, "milliseconds before the colon");
	is_int(s.rows, 57049, "rows after it");

	snprintf(arg, sizeof arg, "a=b=7");
	is_int(load_step_parse(arg, &s, err, sizeof err), 0, "the last '=' splits");
	is_str(s.name, "a=b", "a name may hold '='");
	is_int(s.ms, 7, "and the figure follows the last one");

	snprintf(arg, sizeof arg, "mart=0");
	is_int(load_step_parse(arg, &s, err, sizeof err), 0, "zero milliseconds");

	static const char *const bad[] = {
		"mart", "=5", "mart=", "mart=-1", "mart=1.5", "mart=2147483648",
		"mart=5:", "mart=5:-2", "mart=5:x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(arg, sizeof arg, "%s", bad[i]);
		err[0] = '\0';
		is_int(load_step_parse(arg, &s, err, sizeof err), -1, "refuse '%s'", bad[i]);
		ok(err[0] != '\0', "with a message (%s)", err);
	}
	return done_testing();
}
