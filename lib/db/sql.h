/*
 * sql.h - the files under sql/, compiled into every program that needs them
 * (see the Makefile's sqltext.c rule), so an installed program never reads
 * SQL from a path that might not match its version.
 */
#ifndef OVERDUE_SQL_H
#define OVERDUE_SQL_H

#include <stddef.h>

struct sql_file {
	const char *name;	/* path below sql/, e.g. "core/promote_clients.sql" */
	const char *text;	/* NUL-terminated */
};

extern const struct sql_file sql_files[];
extern const size_t sql_nfiles;

/* The text of sql/NAME; dies with EX_SOFTWARE when there is none. */
const char *sql_text(const char *name);
/* The text of web/NAME (the dashboard's page sources, compiled in the same way). */
const char *web_text(const char *name);

#endif
