/* base64.h - RFC 4648 base64 (standard alphabet, '=' padding). */
#ifndef OVERDUE_BASE64_H
#define OVERDUE_BASE64_H

#include <stddef.h>

/* The 4 * ceil(n / 3) characters of in[0..n) at out (no NUL); returns their number. */
size_t base64_encode(const unsigned char *in, size_t n, char *out);

#endif
