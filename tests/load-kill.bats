#!/usr/bin/env bats
# kill -9 of the load pipeline during json2tsv, during COPY and during the
# promotion leaves core exactly as before, and running the same command
# again ends in the same core as a run that was never interrupted.

load helpers
load load-helpers

setup_file() {
	db_create
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	export SPLIT_DIR=$(seed20)/raw_split_files
	# the reference: a clean run in a second database
	export CLEAN_DB=${PGDATABASE}_clean
	psql -d postgres -Xqc "drop database if exists \"$CLEAN_DB\"" >/dev/null 2>&1
	psql -d postgres -Xqc "create database \"$CLEAN_DB\"" >/dev/null
	PGDATABASE=$CLEAN_DB schema
	for n in 1 2 3 4 5; do PGDATABASE=$CLEAN_DB load_part "$n" 2>/dev/null; done
	export CLEAN_SUM=$(PGDATABASE=$CLEAN_DB core_checksum)
}
teardown_file() {
	psql -d postgres -Xqc "drop database if exists \"$CLEAN_DB\" with (force)" >/dev/null 2>&1 || true
	db_drop
}

# A json2tsv that stalls on payments: KILL_AT=json2tsv stops after 100
# lines, KILL_AT=copy sends everything but the end marker (pg-stage has then
# copied the kept lines of its full chunks into staging -- one line a chunk
# here -- and waits for the rest inside its transaction).
make_shim() {
	mkdir -p "$BATS_TEST_TMPDIR/shim"
	cat >"$BATS_TEST_TMPDIR/shim/json2tsv" <<SH
#!/usr/bin/env bash
real=$OVERDUE_BIN/json2tsv
if [[ \$1 == payments ]]; then
	case \${KILL_AT-} in
	json2tsv) "\$real" "\$@" | head -n 100; touch "\$KILL_FLAG"; exec sleep 60 ;;
	copy) "\$real" "\$@" | sed '\$d'; touch "\$KILL_FLAG"; exec sleep 60 ;;
	esac
fi
exec "\$real" "\$@"
SH
	chmod +x "$BATS_TEST_TMPDIR/shim/json2tsv"
}

wait_for() {	# wait_for COMMAND...: poll up to 20 s
	for _ in $(seq 200); do "$@" && return 0; sleep 0.1; done
	echo "timed out waiting for: $*" >&2
	return 1
}
# rows copied into staging.payments, not committed, the input awaited
copy_running() { [[ $(q -c "select count(*) from pg_locks l join pg_stat_activity a using (pid)
    where a.datname = current_database() and a.state = 'idle in transaction'
    and l.relation = 'staging.payments'::regclass and l.mode = 'RowExclusiveLock'") -ge 1 ]]; }
promote_blocked() { [[ $(q -c "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%promote_payments%'") -ge 1 ]]; }

# load parts 1 and 2, start part 3 with KILL_AT, kill -9 the whole pipeline
# at that stage, check core is as before, then finish the job and compare
kill_and_rerun() {
	local stage=$1 pid before
	q -c 'drop schema if exists staging, core, mart cascade' >/dev/null 2>&1
	schema
	load_part 1 2>/dev/null
	load_part 2 2>/dev/null
	before=$(core_checksum)
	make_shim
	export KILL_FLAG=$BATS_TEST_TMPDIR/flag
	if [[ $stage == promote ]]; then
		# a reader holding SHARE on payment_version lets staging read it but
		# makes the promotion wait halfway, clients and loans already done
		PGAPPNAME=load-kill-locker q -c "begin; lock table core.payment_version in share mode; select pg_sleep(60)" >/dev/null 2>&1 3>&- &
		wait_for bash -c "[[ \$(psql -XqAt -c \"select count(*) from pg_stat_activity where application_name = 'load-kill-locker' and query like '%pg_sleep%'\") == 1 ]]"
	fi
	PATH=$BATS_TEST_TMPDIR/shim:$PATH KILL_AT=$stage OVERDUE_STAGE_CHUNK_LINES=1 \
	    setsid "$OVERDUE_TOP/pipelines/load-part" 3 \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	case $stage in
	json2tsv) wait_for test -e "$KILL_FLAG" ;;
	copy) wait_for test -e "$KILL_FLAG"; wait_for copy_running ;;
	promote) wait_for promote_blocked ;;
	esac
	kill -9 -- -"$pid"
	wait "$pid" || true
	if [[ $stage == promote ]]; then
		q -c "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'load-kill-locker'" >/dev/null
	fi
	# core exactly as before (what a dying backend has not committed is
	# invisible; the re-run's begin waits for its writer lock to go)
	assert_equal "$(core_checksum)" "$before"
	run --separate-stderr load_part 3
	assert_success
	stderr_has 'never finished: marked failed'
	load_part 4 2>/dev/null
	load_part 5 2>/dev/null
	assert_equal "$(core_checksum)" "$CLEAN_SUM"
	# nothing of the dead load is left in staging
	assert_equal "$(q -c "select count(*) from staging.payments s join core.load l using (load_id) where l.status = 'failed'")" 0
}

@test "kill -9 during json2tsv, then re-run: same core as a clean run" {
	kill_and_rerun json2tsv
}

@test "kill -9 during COPY, then re-run: same core as a clean run" {
	kill_and_rerun copy
}

@test "kill -9 during the promotion, then re-run: same core as a clean run" {
	kill_and_rerun promote
}
