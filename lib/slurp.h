/* slurp.h - a whole text file in memory (data and configuration files). */
#ifndef OVERDUE_SLURP_H
#define OVERDUE_SLURP_H

/*
 * The contents of the file at path, NUL-terminated, malloc'd.  When
 * optional is set and the file does not exist, NULL.  Dies with EX_NOINPUT
 * when it cannot be opened, EX_IOERR on a read error and EX_DATAERR when it
 * holds a NUL byte (not a text file).
 */
char *slurp(const char *path, int optional);

#endif
