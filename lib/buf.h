/* buf.h - growable byte buffers (never NULL-terminated unless asked). */
#ifndef OVERDUE_BUF_H
#define OVERDUE_BUF_H

#include <stddef.h>
#include <stdio.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);	/* room for `extra` more bytes */
void buf_put(struct buf *b, const void *p, size_t n);
void buf_putc(struct buf *b, char c);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *b);		/* NUL-terminates (not counted in len) */
void buf_reset(struct buf *b);			/* len = 0, keeps the memory */
void buf_free(struct buf *b);
/* Write the contents with efwrite() and reset. */
void buf_flush(struct buf *b, FILE *fp);

#endif
