#!/usr/bin/env bats
# The operator's side of loads on the private Citus cluster (issue 10,
# items 3 and 5): kill -9 during the promotion, two loads at once from two
# "machines", make status and make rejects, the BI role.  Each against the
# same loads on the single node.  The cluster is tests/citus.bats's
# (var/citus-test, port 9800, kept between runs, the same flock); 8 shards.
#
# The cluster tests build on each other in file order, like an operator's
# day: parts 1-5 (one load killed and run again), then a folder with bad
# records (two loaders at once), then status/rejects and the mart.
#
# Every cluster test is skipped, saying why, when Citus cannot be had (see
# tests/citus.bats).

load helpers
load load-helpers
load citus-helpers
# psql on node K of the cluster (0 the coordinator, 1 and 2 the workers)
nq() { local k=$1; shift; PGHOST=$CITUS_HOST PGPORT=$((CITUS_PORT + k)) PGDATABASE=$CITUS_DB q "$@"; }

# make status and make rejects, their columns that do not depend on load
# ids and times: the loads (part, source, status, entity, the counts; no
# failed load: the killed one is the cluster's alone), the trend's sources
# and record counts, the newest load's step names and rows; the rejects
# without the load id
stable_status() {
	local out
	out=$(make -s -C "$OVERDUE_TOP" status B=/nonexistent) || return 1
	awk -F'|' 'NF >= 12 && $4 !~ /failed/ {
	    s = $2 "|" $3 "|" $4 "|" $7 "|" $8 "|" $9 "|" $10 "|" $11 "|" $12; gsub(/ +/, " ", s); print s }' <<<"$out"
	sed -n '/^Load times/,/^$/p' <<<"$out" | awk 'NR > 3 && NF >= 4 { print $2, $3 }'
	sed -n '/^Steps of/,$p' <<<"$out" | sed -nE 's/^(.{16}) +[0-9]+\.[0-9]+ *([0-9]*).*$/\1|\2/p'
}
stable_rejects() {
	local out
	out=$(make -s -C "$OVERDUE_TOP" rejects B=/nonexistent) || return 1
	cut -d'|' -f2- <<<"$out"
}

setup_file() {
	export SPLIT_DIR=$(seed20)/raw_split_files
	export BAD_DIR=$BATS_FILE_TMPDIR/export
	bad_export "$SPLIT_DIR/part_1" "$BAD_DIR"
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR/lock-a
	mkdir -p "$OVERDUE_LOCK_DIR" "$BATS_FILE_TMPDIR/lock-b"

	# the single node: parts 1-5, the folder, the folder again (a no-op)
	db_create
	schema
	local n
	for n in 1 2 3 4 5; do load_part "$n" >/dev/null 2>&1; done
	export SINGLE_SUM5 SINGLE_SUMD SINGLE_STATUS SINGLE_REJECTS
	SINGLE_SUM5=$(core_checksum)
	load_part "$BAD_DIR" >/dev/null 2>&1
	load_part "$BAD_DIR" >/dev/null 2>&1
	SINGLE_SUMD=$(core_checksum)
	SINGLE_STATUS=$(stable_status)
	SINGLE_REJECTS=$(stable_rejects)

	citus_setup "t_citus_ops_$$" || return 1
	[[ -z $CITUS_SKIP ]] || return 0
	# the BI test's login role (cluster-wide: a unique name; teardown drops it)
	export BI_ROLE=t_citus_ops_bi_$$_$RANDOM
}

teardown_file() {
	psql -d postgres -Xqc "drop database if exists \"${PGDATABASE}_two\" with (force)" >/dev/null 2>&1 || true
	db_drop
	[[ -z ${CITUS_SKIP-} ]] || return 0
	# the BI test's role (on every node)
	cq -c "select rolname from pg_roles where rolname = '$BI_ROLE'" 2>/dev/null |
	    while read -r r; do cq -c "drop role \"$r\"" >/dev/null 2>&1 || true; done
	citus_teardown
}

wait_for() {	# wait_for COMMAND...: poll up to 30 s
	for _ in $(seq 300); do "$@" && return 0; sleep 0.1; done
	echo "timed out waiting for: $*" >&2
	return 1
}

# A json2tsv whose payments wait for the file $GO_FLAG (when set), after
# touching $STALL_FLAG: a load held up in staging, its pg-stage inside its
# transaction waiting for input.
make_shim() {
	mkdir -p "$BATS_TEST_TMPDIR/shim"
	cat >"$BATS_TEST_TMPDIR/shim/json2tsv" <<SH
#!/usr/bin/env bash
if [[ \$1 == payments && -n \${GO_FLAG-} ]]; then
	touch "\$STALL_FLAG"
	while [[ ! -e \$GO_FLAG ]]; do sleep 0.1; done
fi
exec "$OVERDUE_BIN/json2tsv" "\$@"
SH
	chmod +x "$BATS_TEST_TMPDIR/shim/json2tsv"
}

# Two loaders that do not share load-part's flock (another OVERDUE_LOCK_DIR:
# as if on two machines) against one database, in the current PG*: the
# first held up in staging; the second is refused with 75 and leaves the
# first alone; the second again with --wait waits, then finds the same
# files committed (nothing to do).  DIR: the export both load.
two_loaders() {
	local dir=$1 a b
	make_shim
	export STALL_FLAG=$BATS_TEST_TMPDIR/stalled GO_FLAG=$BATS_TEST_TMPDIR/go
	PATH=$BATS_TEST_TMPDIR/shim:$PATH load_part "$dir" \
	    >"$BATS_TEST_TMPDIR/a.out" 2>&1 3>&- &
	a=$!
	wait_for test -e "$STALL_FLAG"
	local before
	before=$(q -c "select load_id || ' ' || status from core.load order by load_id desc limit 1")
	[[ $before == *' running' ]]
	OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR/lock-b run --separate-stderr load_part "$dir"
	assert_failure 75
	stderr_has 'another load into database'
	stderr_has 'load lock'
	# nor can a begin by hand mark the running load dead
	run --separate-stderr promote-core -b -s by-hand -f
	assert_failure 75
	stderr_has 'holds the load lock on core.load): not begun'
	# the first load is still running, nothing else began
	assert_equal "$(q -c "select load_id || ' ' || status from core.load order by load_id desc limit 1")" "$before"
	OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR/lock-b load_part --wait "$dir" \
	    >"$BATS_TEST_TMPDIR/b.out" 2>&1 3>&- &
	b=$!
	wait_for grep -q 'waiting for the load already running' "$BATS_TEST_TMPDIR/b.out"
	touch "$GO_FLAG"
	wait "$a" || { cat "$BATS_TEST_TMPDIR/a.out" >&2; false; }
	wait "$b" || { cat "$BATS_TEST_TMPDIR/b.out" >&2; false; }
	grep -q 'nothing to do' "$BATS_TEST_TMPDIR/b.out"
	unset STALL_FLAG GO_FLAG
}

@test "on one node too: a second loader from another machine is refused (75) while a load runs, and waits with --wait" {
	export PGDATABASE=${PGDATABASE}_two
	psql -d postgres -Xqc "drop database if exists \"$PGDATABASE\"" >/dev/null 2>&1
	psql -d postgres -Xqc "create database \"$PGDATABASE\"" >/dev/null
	schema
	load_part 1 >/dev/null 2>&1
	two_loaders "$BAD_DIR"
	assert_equal "$(q -c "select string_agg(status, ' ' order by load_id) from core.load")" 'committed committed noop'
	psql -d postgres -Xqc "drop database if exists \"$PGDATABASE\" with (force)" >/dev/null 2>&1
}

# a reader holding SHARE on payment_version lets staging read it but makes
# the promotion wait halfway, clients and loans already done (load-kill.bats)
promote_blocked() { [[ $(cq -c "select count(*) from pg_stat_activity where datname = current_database()
    and wait_event_type = 'Lock' and query like '%promote_payments%'") -ge 1 ]]; }
no_promotion() { [[ $(cq -c "select count(*) from pg_stat_activity where datname = current_database()
    and query like '%promote_%' and pid <> pg_backend_pid()") == 0 ]]; }

@test "kill -9 during the promotion on the cluster: core as before, no prepared transaction left, the re-run completes equal to the single node" {
	need_cluster
	on_cluster load_part 1 >/dev/null 2>&1
	on_cluster load_part 2 >/dev/null 2>&1
	before=$(on_cluster core_checksum)
	PGAPPNAME=ops-locker cq -c "begin" -c "lock table core.payment_version in share mode" \
	    -c "select pg_sleep(60)" >/dev/null 2>&1 3>&- &
	wait_for bash -c "[[ \$(PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT psql -d $CITUS_DB -XqAt -c \"select count(*) from pg_stat_activity where application_name = 'ops-locker' and query like '%pg_sleep%'\") == 1 ]]"
	# (a simple command, so that $! is setsid's process group)
	PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT PGDATABASE=$CITUS_DB \
	    setsid "$OVERDUE_TOP/pipelines/load-part" 3 >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	wait_for promote_blocked
	kill -9 -- -"$pid"
	wait "$pid" || true
	cq -c "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'ops-locker'" >/dev/null
	# the promotion's backend notices its client is gone and rolls back
	# (on every worker: nothing was prepared)
	wait_for no_promotion
	assert_equal "$(on_cluster core_checksum)" "$before"
	# after Citus's recovery no prepared transaction is left on any node,
	# nor a record of one to finish
	cq -c "select recover_prepared_transactions()" >/dev/null
	for k in 0 1 2; do
		assert_equal "$(nq "$k" -c "select count(*) from pg_prepared_xacts where database = current_database()")" 0
	done
	assert_equal "$(cq -c "select count(*) from pg_dist_transaction")" 0
	# the same part again: the dead load is marked failed, this one commits
	run --separate-stderr on_cluster load_part 3
	assert_success
	stderr_has 'never finished: marked failed'
	on_cluster load_part 4 >/dev/null 2>&1
	on_cluster load_part 5 >/dev/null 2>&1
	assert_equal "$(on_cluster core_checksum)" "$SINGLE_SUM5"
	# nothing of the dead load is left in staging
	assert_equal "$(cq -c "select count(*) from staging.payments s join core.load l using (load_id) where l.status = 'failed'")" 0
}

@test "two loads at once on the cluster from two machines: the second is refused (75), waits with --wait, core ends as on the single node" {
	need_cluster
	[[ $(cq -c "select count(*) from core.load where status = 'committed'") == 5 ]] ||
		fail "needs parts 1-5 loaded by the test before"
	PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT PGDATABASE=$CITUS_DB two_loaders "$BAD_DIR"
	assert_equal "$(on_cluster core_checksum)" "$SINGLE_SUMD"
}

@test "make status and make rejects print the same on the cluster as on the single node (load ids and times aside)" {
	need_cluster
	run --separate-stderr on_cluster stable_status
	assert_success
	assert_output "$SINGLE_STATUS"
	# and they say something: the loads, the folder's rejects
	[[ $SINGLE_STATUS == *'| part_5 | committed | payments | 3350 |'* ]]
	run --separate-stderr on_cluster stable_rejects
	assert_success
	assert_output "$SINGLE_REJECTS"
	assert_output --partial 'loan of unknown client 999999'
	assert_output --partial 'NO-SUCH'
}

@test "the BI role on the cluster reads the mart and nothing else, and writes nothing" {
	need_cluster
	run --separate-stderr on_cluster build-mart -q --as-of 2024-06-30
	assert_success
	# made in the cluster's database, not in postgres: Citus passes CREATE
	# ROLE on to the workers only from a database with its extension (the
	# coordinator then connects to the shards as this role)
	cq -c "create role \"$BI_ROLE\" login"
	cq -c "grant overdue_bi to \"$BI_ROLE\""
	bi() { on_cluster env PGUSER="$BI_ROLE" psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
	assert_equal "$(bi -c 'select current_user')" "$BI_ROLE"
	# every bi_* view (the BI tools' interface, bi.bats) and every table of
	# mart: readable, the views with rows (from the workers' shards, read as
	# the role), and the seed's flat export mart.data_mart, which reads
	# core through a SECURITY DEFINER function on Citus (55_mart_views.sql)
	views=$(cq -c "select table_name from information_schema.views where table_schema = 'mart' and table_name like 'bi\_%' order by 1")
	[[ $views == *bi_loans* && $views == *bi_monthly* ]]
	for v in $views; do
		run --separate-stderr bi -c "select count(*) from mart.$v"
		((status == 0)) || fail "mart.$v: $stderr"
		(( output > 0 )) || fail "mart.$v has no rows"
	done
	tables=$(cq -c "select tablename from pg_tables where schemaname = 'mart'")
	[[ -n $tables ]]
	for t in $tables; do
		run --separate-stderr bi -c "select count(*) >= 0 from mart.$t"
		((status == 0)) || fail "mart.$t: $stderr"
	done
	assert_equal "$(bi -c 'select count(*) from mart.bi_loans')" "$(cq -c 'select count(*) from mart.loan')"
	run --separate-stderr bi -c 'select count(*) from mart.data_mart'
	((status == 0)) || fail "mart.data_mart: $stderr"
	assert_equal "$output" "$(cq -c 'select count(*) from mart.data_mart')"
	((output > 0))
	# core, staging, notify: refused
	rels=$(cq -c "select schemaname || '.' || tablename from pg_tables where schemaname in ('core', 'staging', 'notify') order by 1")
	[[ $rels == *core.payment_version* && $rels == *notify.contact* ]]
	for rel in $rels; do
		run --separate-stderr bi -c "select 1 from $rel limit 1"
		assert_failure
		[[ $stderr == *'permission denied'* ]] || fail "$rel: $stderr"
	done
	# no writes to mart either, distributed or reference table
	for sql in "delete from mart.loan" "update mart.client set fio = fio" \
	    "delete from mart.month_bin" "insert into mart.build_info select * from mart.build_info" \
	    "create table mart.t_bi (x int)"; do
		run --separate-stderr bi -c "$sql"
		assert_failure
		[[ $stderr == *'permission denied'* ]] || fail "$sql: $stderr"
	done
}
