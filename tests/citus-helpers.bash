# The test cluster of the Citus suites (tests/citus*.bats): a coordinator and
# two workers brought up by pipelines/citus (what `make citus-up` runs) in
# var/citus-test, port 9800, kept between runs so initdb happens once, and
# stopped again by the file that started it.  One bats file on it at a time
# (a flock on var/citus-test.lock, held on fd 7 from citus_setup to
# citus_teardown).  Each file works in a scratch database of its own.
#
# When Citus cannot be had -- not in PostgreSQL, and no source tarball to
# build it from (../shared/vendor, or CITUS_SRC), or no root to install it --
# citus_setup sets CITUS_SKIP to the reason and every cluster test skips
# with it (need_cluster): bats cannot skip from setup_file.  When Citus is
# missing but a tarball is there, citus up builds and installs it (a few
# minutes, once).

CITUS=$OVERDUE_TOP/pipelines/citus

# pipelines/citus for the test cluster; bats's descriptors (3 and 4, and
# whatever else it holds up to 9) and our lock (7) closed: a server it starts
# must not keep them (a postmaster holding fd 4 kept bats from ever ending)
citus() { "$CITUS" "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; }

# a command against the cluster's database ($CDB, default $CITUS_DB); 8
# shards a distributed table, not Citus's 32: the same layout, made twice as
# fast (the schema's first run on 32 took 17 s here)
SHARDS=8
on_cluster() {
	PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT PGDATABASE=${CDB:-$CITUS_DB} \
	    PGOPTIONS="-c citus.shard_count=$SHARDS" "$@"
}
cq() { on_cluster q "$@"; }

# citus_setup DB: (from setup_file) the cluster up, the scratch database DB
# on it with the extension and the schema; exported: CITUS_VAR, CITUS_PORT,
# CITUS_HOST, CITUS_DB, CITUS_WAS_UP, CITUS_SKIP (empty when it is up)
citus_setup() {
	export CITUS_VAR=$OVERDUE_TOP/var/citus-test CITUS_PORT=9800 WORKERS=2
	export CITUS_SKIP='' CITUS_DB=''
	local pgshare
	pgshare=$(pg_config --sharedir 2>/dev/null || true)
	if [[ ! -f $pgshare/extension/citus.control && -z ${CITUS_SRC-} ]] &&
		! compgen -G "$(dirname "$OVERDUE_TOP")/shared/vendor/citus-*.tar.gz" >/dev/null; then
		export CITUS_SKIP="Citus is not installed in PostgreSQL and no source tarball was found (../shared/vendor/citus-*.tar.gz or CITUS_SRC): make citus-up says how to get it"
		return 0
	fi
	mkdir -p "$CITUS_VAR"
	exec 7>>"$CITUS_VAR.lock"
	flock -w 1800 7
	export CITUS_WAS_UP=0
	if [[ -f $CITUS_VAR/coord/data/PG_VERSION ]] && citus status >/dev/null 2>&1; then
		CITUS_WAS_UP=1
	fi
	local rc=0 out
	out=$(citus up 2>&1) || rc=$?
	if ((rc == 69 || rc == 77)); then
		export CITUS_SKIP="Citus cannot be had here: ${out##*$'\n'}"
		return 0
	fi
	((rc == 0)) || { echo "$out" >&2; return 1; }
	export CITUS_HOST
	CITUS_HOST=$(citus sockdir)
	CITUS_DB=$1
	citus db "$CITUS_DB" >/dev/null
	on_cluster schema
}

# citus_teardown: (from teardown_file) the scratch database dropped, the
# cluster stopped when this file started it, the lock let go
citus_teardown() {
	[[ -z ${CITUS_SKIP-} ]] || return 0
	[[ -z ${CITUS_DB-} ]] || citus dropdb "$CITUS_DB" || true
	((CITUS_WAS_UP)) || citus down >/dev/null 2>&1 || true
	exec 7>&-
}

# every test that needs the cluster starts with this
need_cluster() {
	[[ -z ${CITUS_SKIP-} ]] || skip "$CITUS_SKIP"
}
