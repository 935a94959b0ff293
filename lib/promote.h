/*
 * promote.h - promote-core: the life of a load.
 *
 *   promote_begin()   a new 'running' load (or a 'noop' when the same files
 *                     were already committed); refuses part N before N-1
 *   (pg-stage)        stages the three files under that load id
 *   promote_run()     staging -> core in ONE transaction under the writer
 *                     lock; the load becomes 'committed' in it
 *   promote_fail()    the pipeline gave up: the load becomes 'failed'
 *
 * A load that never reaches either end stays 'running' until the next
 * promote_begin() marks it failed and discards what it staged.
 */
#ifndef OVERDUE_PROMOTE_H
#define OVERDUE_PROMOTE_H

#include <libpq-fe.h>

struct load_file {
	char entity[16];
	char sha256[65];
	long long bytes;
	const char *name;	/* points into the parsed argument */
};

/*
 * Parse "ENTITY:SHA256:BYTES:NAME" (the name last, so it may contain ':').
 * Returns 0, or -1 with a message in err (size errsz).
 */
int load_file_parse(char *arg, struct load_file *f, char *err, size_t errsz);

struct begin_opts {
	const char *conninfo;
	const char *source;
	int part;			/* 0: not a numbered part */
	int force;
	struct load_file files[3];	/* indexed like stage_entities */
	int nfiles;
};

/* Returns the new load id; *noop = 1 when it recorded a no-op instead. */
long long promote_begin(const struct begin_opts *o, int *noop);

/* Promote load_id (0: the newest running load); prints the counts. */
void promote_run(const char *conninfo, long long load_id);

/* Mark a running load failed with a reason; 1 if it was running. */
int promote_fail(const char *conninfo, long long load_id, const char *reason);

#endif
