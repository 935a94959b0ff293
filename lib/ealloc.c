/* ealloc.c - allocation wrappers that die instead of returning NULL. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die(EX_OSERR, "out of memory (%zu bytes):", n);
	return p;
}

void *
ecalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		die(EX_OSERR, "out of memory (%zu x %zu bytes):", nmemb, size);
	return p;
}

void *
erealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		die(EX_OSERR, "out of memory (%zu bytes):", n);
	return q;
}

void *
ereallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		die(EX_OSERR, "allocation overflow (%zu x %zu bytes)", nmemb, size);
	return erealloc(p, nmemb * size);
}

char *
estrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(emalloc(n), s, n);
}
