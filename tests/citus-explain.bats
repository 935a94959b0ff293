#!/usr/bin/env bats
# Proof of distribution (issue 10, item 4): the statements the programs
# really send -- recorded where they are sent, by lib/db/db.c's OVERDUE_EXPLAIN
# diagnostic, as EXPLAIN (VERBOSE) on the same connection just before each
# runs -- are pushed down to the shards.  Loads of a small portfolio, a full
# build-mart, a load of a few changes and the incremental build-mart on the test
# cluster (tests/citus.bats's: var/citus-test, port 9800, the same flock),
# then tests/tools/explain-check judges every write: a distributed target
# must be written inside the shards (no "pull to coordinator", no
# repartition, no intermediate results through the coordinator); a
# reference or coordinator-local table filled from distributed ones fails
# unless explain-check's list allows it with the bound that keeps it small
# (aggregates, the load's rejected records).  The last test shows that the
# check does fail on statements that are not pushed down.
#
# Every cluster test is skipped, saying why, when Citus cannot be had (see
# tests/citus.bats).

load helpers
load load-helpers
load citus-helpers

CHECK=$OVERDUE_TOP/tests/tools/explain-check
# run "$@" on the cluster with its plans recorded into $BATS_FILE_TMPDIR/$1.plans
explained() {
	local file=$BATS_FILE_TMPDIR/$1.plans
	shift
	OVERDUE_EXPLAIN=$file on_cluster "$@"
}

setup_file() {
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	citus_setup "t_citus_x_$$" || return 1
	[[ -z $CITUS_SKIP ]] || return 0

	# a small generated portfolio in 3 cumulative parts
	gen-clients -n 200 --seed 17 --as-of 2024-06-30 --start-date 2021-01-01 \
		-o "$BATS_FILE_TMPDIR/raw" 2>/dev/null
	json-split -p 3 -o "$BATS_FILE_TMPDIR/split" "$BATS_FILE_TMPDIR/raw" 2>/dev/null
	export SPLIT_DIR=$BATS_FILE_TMPDIR/split

	# a few clients, loans and payments changed after part 3: a delta small
	# enough for the incremental build (it rebuilds in full past a quarter)
	local d=$BATS_FILE_TMPDIR/change raw=$BATS_FILE_TMPDIR/raw
	mkdir -p "$d"
	jq '[.[] | select(.client_id <= 5) | .region = "Новая область"]' "$raw/clients.json" >"$d/clients.json"
	jq '[.[] | select(.client_id >= 10 and .client_id <= 12) | .loan_amount += 1000.5]' \
		"$raw/loans.json" >"$d/loans.json"
	jq '[.[] | select(.client_id >= 20 and .client_id < 30 and .payment_fact_date != null)
	          | .payment_fact_date = "2024-06-29"]' "$raw/payments.json" >"$d/payments.json"
	export CHANGE_DIR=$d

	# parts 1-3 and a full build-mart, a load that died before its
	# promotion (its staged rows are discarded when the next one begins),
	# the change and the incremental build-mart: all explained
	local n
	for n in 1 2 3; do explained load load_part "$n" >/dev/null 2>&1; done
	explained mart-full build-mart --as-of 2024-06-30 --full 2>/dev/null
	on_cluster promote-core --begin -s dead -f >/dev/null 2>&1
	explained load load_part "$d" >/dev/null 2>&1
	explained mart-inc build-mart -v --as-of 2024-06-30 2>"$BATS_FILE_TMPDIR/mart-inc.err"
	# the Citus tables, for explain-check
	cq -F ' ' -c "select logicalrelid::regclass::text, partmethod from pg_dist_partition" \
		>"$BATS_FILE_TMPDIR/tables"
	# the same parts on the single node, without the diagnostic
	export EXPLAINED_SUM
	EXPLAINED_SUM=$(on_cluster core_checksum)
	db_create
	schema
	for n in 1 2 3; do load_part "$n" >/dev/null 2>&1; done
	load_part "$d" >/dev/null 2>&1
}

teardown_file() {
	[[ -z ${CITUS_SKIP-} ]] || return 0
	db_drop
	citus_teardown
}

# explain-check over one recording; its verdicts in $output
check() {
	run --separate-stderr "$CHECK" "$BATS_FILE_TMPDIR/tables" "$BATS_FILE_TMPDIR/$1.plans"
}

@test "the loads' every write is pushed down to the shards (promotion, staging, audit)" {
	need_cluster
	check load
	echo "$output"
	assert_success
	refute_output --partial FAIL
	# the promotion's statements were seen at all, each a write inside the shards
	local t
	for t in staging.promote_clients core.client core.client_version staging.promote_loans \
		core.loan core.loan_version staging.promote_payments core.payment_version; do
		assert_line --regexp "^ok   promote-core \| promoting [a-z]+ -> $t\$"
	done
	# the counts and the quarantine pass the coordinator, bounded and said so
	assert_line --regexp '^ok   promote-core \| record the counts -> core.load_entity_stats \(allowed: '
	assert_line --regexp '^ok   promote-core \| promoting payments -> core.quarantine \(allowed: '
	# the dead load's staged rows discarded by part 3's begin: DELETEs on the shards
	assert_line --regexp '^ok   promote-core \| discard staged rows -> staging.clients,staging.loans,staging.payments,staging.rejects,staging.load_stage$'
	# and the explained loads gave the core the single node has without it
	assert_equal "$EXPLAINED_SUM" "$(core_checksum)"
}

@test "build-mart's full build writes the mart inside the shards; only aggregates pass the coordinator" {
	need_cluster
	check mart-full
	echo "$output"
	assert_success
	refute_output --partial FAIL
	assert_line --regexp '^ok   build-mart \| mart.client -> mart.client_next$'
	assert_line --regexp '^ok   build-mart \| mart.by_attr -> mart.by_attr_next \(allowed: aggregates: '
}

@test "build-mart's incremental build after a load writes inside the shards; only aggregates pass the coordinator" {
	need_cluster
	grep -q "build-mart: incremental from load" "$BATS_FILE_TMPDIR/mart-inc.err" ||
		fail "build-mart did not build incrementally: $(cat "$BATS_FILE_TMPDIR/mart-inc.err")"
	check mart-inc
	echo "$output"
	assert_success
	refute_output --partial FAIL
	assert_line --regexp '^ok   build-mart \| mart.client -> mart.client$'
	assert_line --regexp '^ok   build-mart \| by_attr -> mart_by_attr_delta \(allowed: aggregates: '
}

# A record in OVERDUE_EXPLAIN's format, made with psql's EXPLAIN of $3 on
# the cluster (in a transaction rolled back: the statements write nothing)
record() {
	{
		printf '=== test | %s | write\n%s\n--- plan\n' "$1" "$2"
		cq -c "set citus.enable_repartition_joins = on" \
		    -c "begin" -c "explain (verbose, costs off) $2" -c "rollback"
	} >>"$BATS_TEST_TMPDIR/bad.plans"
}

@test "explain-check fails, naming it, on each statement that is not pushed down" {
	need_cluster
	# the promotion as it was: a temporary table on the coordinator, then
	# the shards written from it
	record "temp table" "CREATE TEMP TABLE b AS SELECT * FROM staging.clients"
	# a join not on client_id: repartitioned, then pulled to the coordinator
	record "non-co-located join" "INSERT INTO core.loan (client_id, loan_name, first_load_id)
SELECT c.client_id, l.loan_name, l.load_id FROM staging.loans AS l JOIN core.client AS c ON c.first_load_id = l.load_id"
	# the distribution column taken from another column: repartitioned
	record "client_id from recno" "INSERT INTO core.client (client_id, first_load_id)
SELECT s.recno, s.load_id FROM staging.clients AS s"
	# every staged record into a reference table (the quarantine's bound is
	# the rejected ones)
	record "rows into a reference table" "INSERT INTO core.quarantine (load_id, entity, recno, source, stage, field, reason, client_id, raw)
SELECT load_id, 'clients', recno, source, 'promote', 'x', 'y', client_id, fio FROM staging.clients"
	# and one that is fine: a co-located INSERT ... SELECT
	record "co-located" "INSERT INTO core.client (client_id, first_load_id)
SELECT s.client_id, s.load_id FROM staging.clients AS s"
	run --separate-stderr "$CHECK" "$BATS_FILE_TMPDIR/tables" "$BATS_TEST_TMPDIR/bad.plans"
	echo "$output"
	assert_failure 1
	assert_line 'FAIL test | temp table -> b: a coordinator-local table filled from distributed tables: the rows pass the coordinator'
	assert_line 'FAIL test | non-co-located join -> core.loan: repartition'
	assert_line 'FAIL test | client_id from recno -> core.client: repartition'
	assert_line 'FAIL test | rows into a reference table -> core.quarantine: a reference table filled from distributed tables: the rows pass the coordinator'
	assert_line 'ok   test | co-located -> core.client'
	assert_line '5 writes judged (4 failed), 0 reads not judged'
	# each failure names its statement
	assert_line '     CREATE TEMP TABLE b AS SELECT * FROM staging.clients'
}
