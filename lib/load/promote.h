/*
 * promote.h - promote-core: the life of a load.
 *
 *   promote_begin()   a new 'running' load (or a 'noop' when the same files
 *                     were already committed); refuses part N before N-1
 *   (pg-stage)        stages the three files under that load id
 *   promote_run()     staging -> core in ONE transaction under the writer
 *                     lock; the load becomes 'committed' in it
 *   promote_fail()    the pipeline gave up: the load becomes 'failed'
 *   promote_add_steps()  timings of steps after the commit (the mart)
 *   promote_hold()    the load lock, held around all of these by load-part
 *
 * A load that never reaches either end stays 'running' until the next
 * promote_begin() marks it failed and discards what it staged -- which is
 * why load-part holds the load lock for the whole load: a second load
 * begun meanwhile (another machine, no shared flock) would take the first
 * one for dead.
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
	long long holder;		/* backend pid of our load lock's hold, 0: none */
};

/*
 * Returns the new load id; *noop = 1 when it recorded a no-op instead.
 * Refused (75) while a session other than o->holder holds the load lock.
 */
long long promote_begin(const struct begin_opts *o, int *noop);

/*
 * One step of a load and how long it took (core.load_step): a program's own
 * timing, or one the pipeline measured around other programs ("stage",
 * "mart").  Parsed from "NAME=MS" or "NAME=MS:ROWS".
 */
struct load_step {
	const char *name;	/* points into the parsed argument */
	long long ms;
	long long rows;		/* -1: not known */
};
#define LOAD_STEPS_MAX 16

/* Returns 0, or -1 with a message in err (size errsz). */
int load_step_parse(char *arg, struct load_step *s, char *err, size_t errsz);

/* read = new + changed + unchanged + rejected, per entity */
struct promote_count {
	long long read, new, changed, unchanged, rejected;
};

/*
 * Promote load_id (0: the newest running load) and return its id; the
 * counts per entity (stage_entities order) land in counts.  steps (n of
 * them) are recorded with the load's own steps in the same transaction.
 */
long long promote_run(const char *conninfo, long long load_id,
    const struct load_step *steps, int nsteps, struct promote_count counts[3]);

/* Record steps of an existing load after the fact (a new figure replaces an old one). */
void promote_add_steps(const char *conninfo, long long load_id,
    const struct load_step *steps, int nsteps);

/* Mark a running load failed with a reason; 1 if it was running. */
int promote_fail(const char *conninfo, long long load_id, const char *reason);

/*
 * Take the load lock (sql/common/load_lock.sql) in a transaction of its
 * own, write "held PID" (its backend's, for promote_begin()'s holder) and a
 * newline to stdout, and keep it until stdin ends
 * (load-part's end, however it ends: the pipe closes), then roll back.
 * Taken by another session: exit 75, or with wait say so on stderr and
 * wait for it.
 */
void promote_hold(const char *conninfo, int wait);

#endif
