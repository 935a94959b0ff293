/* sql.c - look up the SQL files compiled into the program. */
#include <string.h>

#include "db/sql.h"
#include "util.h"

const char *
sql_text(const char *name)
{
	for (size_t i = 0; i < sql_nfiles; i++)
		if (strcmp(sql_files[i].name, name) == 0)
			return sql_files[i].text;
	die(EX_SOFTWARE, "internal error: no SQL file %s compiled in", name);
}

const char *
web_text(const char *name)
{
	char path[256];

	if (snprintf(path, sizeof path, "web/%s", name) >= (int)sizeof path)
		die(EX_SOFTWARE, "internal error: page source name too long");
	return sql_text(path);
}
