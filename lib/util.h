/*
 * util.h - the one error, allocation and output API every overdue program uses.
 *
 * Exit codes are sysexits(3): 0 ok, 64 usage, 65 bad data, 66 no input,
 * 69 service unavailable, 70 internal, 73 cannot create, 74 I/O, 75 try again.
 */
#ifndef OVERDUE_UTIL_H
#define OVERDUE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <sysexits.h>

#ifndef OVERDUE_VERSION
#define OVERDUE_VERSION "0.0.0"
#endif

extern const char *progname;

/* Name the program for diagnostics and ignore SIGPIPE (EPIPE is handled). */
void setprogname(const char *argv0);

/* "prog: message"; a format ending in ':' appends ": strerror(errno)". */
noreturn void die(int status, const char *fmt, ...);
void warnf(const char *fmt, ...);
void vwarnf(const char *fmt, va_list ap);

/* Allocation that never returns NULL: it dies with EX_OSERR instead. */
void *emalloc(size_t n);
void *ecalloc(size_t nmemb, size_t size);
void *erealloc(void *p, size_t n);
void *ereallocarray(void *p, size_t nmemb, size_t size);
char *estrdup(const char *s);

/*
 * Output that fails loudly.  efwrite() dies with EX_IOERR on a write error and
 * exits 0 quietly on EPIPE (the reader went away: `| head` is not an error).
 * fshut() flushes and closes a stream, reports an error and returns -1.
 * finish() closes stdout (and stderr) and exits with status, or EX_IOERR when
 * the output could not be written.
 */
void efwrite(const void *p, size_t n, FILE *fp);
int fshut(FILE *fp, const char *name);
noreturn void finish(int status);

/* --help, --version and usage errors, the same in every program. */
noreturn void print_help(const char *text);
noreturn void print_version(void);
noreturn void usage_error(const char *synopsis, const char *fmt, ...);

/* Whole-string integer parse within [min, max]; 0 on success, -1 otherwise. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* s[0..n): an optional '-' and 1..19 digits within [min, max]; -1 otherwise */
int parse_int64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);

#endif
