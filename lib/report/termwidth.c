/* termwidth.c - the terminal's width: the tty's own idea, then $COLUMNS, then 80. */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "report/termwidth.h"
#include "util.h"

#define TERM_MAX_WIDTH 10000	/* beyond this a value is surely a mistake */

int
term_width(FILE *fp)
{
	struct winsize ws;
	int64_t v;
	int fd = fp != NULL ? fileno(fp) : -1;

	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (parse_int64(getenv("COLUMNS"), 1, TERM_MAX_WIDTH, &v) == 0)
		return (int)v;
	return 80;
}
