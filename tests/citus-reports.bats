#!/usr/bin/env bats
# The mart, the reports and the notification programs on a Citus cluster
# (issue 10): the same portfolio loaded on the test cluster (a coordinator
# and two workers in var/citus-test, as tests/citus.bats brings it up) and
# on the single node; build-mart on each; then every report, the dashboard
# and the notification plan produced by the programs against the two
# servers must be byte for byte the same (an independent comparison: two
# servers, two builds, not a captured output).  Then a sixth load: the
# incremental build on the cluster equals the single node's and a --full
# one on the cluster.
#
# Every test is skipped, saying why, when Citus cannot be had (see
# tests/citus.bats).

load helpers
load load-helpers
load citus-helpers

AS_OF=2024-06-30

setup_file() {
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	local n
	citus_setup "t_citus_r_$$" || return 1
	[[ -z $CITUS_SKIP ]] || return 0

	# a small portfolio in 5 cumulative parts, loaded on both
	export GEN=$BATS_FILE_TMPDIR/raw
	gen-clients -n 300 --seed 7 --as-of $AS_OF --start-date 2021-01-01 -o "$GEN" 2>/dev/null
	json-split -p 5 -o "$BATS_FILE_TMPDIR/split" "$GEN" 2>/dev/null
	export SPLIT_DIR=$BATS_FILE_TMPDIR/split
	db_create
	schema
	for n in 1 2 3 4 5; do
		load_part "$n" >/dev/null 2>&1
		on_cluster load_part "$n" >/dev/null 2>"$BATS_FILE_TMPDIR/load.err" ||
			{ cat "$BATS_FILE_TMPDIR/load.err" >&2; return 1; }
	done
}

teardown_file() {
	[[ -z ${CITUS_SKIP-} ]] || return 0
	db_drop
	citus_teardown
}

# same NAME CMD...: CMD against the single node and against the cluster
# (standard input from the file $IN, default none); both must succeed with
# the same standard output and standard error
same() {
	local name=$1 t=$BATS_TEST_TMPDIR rs=0 rc=0 in=${IN:-/dev/null}
	shift
	"$@" <"$in" >"$t/$name.single" 2>"$t/$name.single.err" || rs=$?
	on_cluster "$@" <"$in" >"$t/$name.cluster" 2>"$t/$name.cluster.err" || rc=$?
	if ((rs != 0 || rc != 0)); then
		printf '%s: exit %d on the single node, %d on the cluster\n' "$*" "$rs" "$rc"
		cat "$t/$name.single.err" "$t/$name.cluster.err"
		return 1
	fi
	[[ -s $t/$name.single || -s $t/$name.single.err ]] || { echo "$*: no output"; return 1; }
	if ! cmp -s "$t/$name.single" "$t/$name.cluster" ||
		! cmp -s "$t/$name.single.err" "$t/$name.cluster.err"; then
		echo "$*: the single node (<) and the cluster (>) differ:"
		diff "$t/$name.single" "$t/$name.cluster" | cut -c1-200 | head -n 20
		diff "$t/$name.single.err" "$t/$name.cluster.err" | head -n 5
		return 1
	fi
}

# the mart's clock (the table format's title, the dashboard's "built at")
# the same on both, so what is left to compare is what was computed
same_clock() {
	q -c "update mart.build_info set built_at = '2024-07-01 03:00:00+00'" >/dev/null
	cq -c "update mart.build_info set built_at = '2024-07-01 03:00:00+00'" >/dev/null
}

ATTRS=(gender age_band education count_of_children job_type family_status region)
RANGES=('' '--min-amount 12345.67 --max-amount 287654.32')

@test "build-mart on the cluster: the mart keeps the layout make schema gave it and equals the single node's, row for row" {
	need_cluster
	build-mart -q --as-of $AS_OF
	run --separate-stderr on_cluster build-mart -v --as-of $AS_OF
	assert_success
	stderr_has "full build: no build state"
	# the swapped-in tables: per-client ones distributed by client_id with
	# core.client's shards, the aggregates reference tables, nothing local
	run --separate-stderr cq -c "select string_agg(t.table_name || ' ' || t.citus_table_type || ' '
	        || (t.colocation_id = c.colocation_id), ',' order by t.table_name::text)
	    from citus_tables t, citus_tables c
	    where c.table_name = 'core.client'::regclass and t.table_name::text like 'mart.%'"
	assert_output "mart.build_info reference false,mart.build_state reference false,mart.by_attr reference false,mart.client distributed true,mart.loan distributed true,mart.month_bin reference false,mart.roll_bin reference false,mart.vintage_bin reference false"
	run --separate-stderr cq -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
	    where n.nspname = 'mart' and c.relkind = 'r'
	      and (c.relname like '%\_next' or not exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid))"
	assert_output 0
	# the rows on both workers, and the BI role may read them
	run --separate-stderr cq -c "select count(distinct nodeport) from citus_shards
	    where table_name = 'mart.loan'::regclass and shard_size > 8192"
	assert_output 2
	run --separate-stderr cq -c "select has_table_privilege('overdue_bi', 'mart.loan', 'select')
	    and has_table_privilege('overdue_bi', 'mart.by_attr', 'select')
	    and has_table_privilege('overdue_bi', 'mart.data_mart', 'select')"
	assert_output t
	mart_sum >"$BATS_TEST_TMPDIR/single.sum"
	on_cluster mart_sum >"$BATS_TEST_TMPDIR/cluster.sum"
	(($(grep -c . "$BATS_TEST_TMPDIR/single.sum") == 8))
	diff "$BATS_TEST_TMPDIR/single.sum" "$BATS_TEST_TMPDIR/cluster.sum"
	grep -q '^loan [1-9]' "$BATS_TEST_TMPDIR/single.sum"
	cp "$BATS_TEST_TMPDIR/single.sum" "$BATS_FILE_TMPDIR/first.sum"
}

@test "overdue-report on the cluster: the monthly report in every format and amount range as on the single node" {
	need_cluster
	same_clock
	local f r i=0
	for f in tsv csv json table; do
		for r in "${RANGES[@]}"; do
			# shellcheck disable=SC2086  # words
			same "monthly$((i++))" overdue-report --as-of $AS_OF --format "$f" $r
		done
	done
	same bucket overdue-report --as-of $AS_OF --bucket 50k-100k
	# the table's title says when the mart was built
	grep -q '2024-07-01' "$BATS_TEST_TMPDIR/monthly6.single"
}

@test "overdue-report on the cluster: --loans, --by each attribute, --roll-rates and --vintage as on the single node" {
	need_cluster
	local r a f i=0
	for r in "${RANGES[@]}"; do
		# shellcheck disable=SC2086  # words
		{
			same "loans$i" overdue-report --as-of $AS_OF --loans $r
			same "roll$i" overdue-report --as-of $AS_OF --roll-rates $r
			same "vintage$i" overdue-report --as-of $AS_OF --vintage $r
			for a in "${ATTRS[@]}"; do
				same "by-$a$i" overdue-report --as-of $AS_OF --by "$a" $r
			done
		}
		i=$((i + 1))
	done
	# the other formats of the same rows
	same loans-json overdue-report --as-of $AS_OF --loans --format json --min-amount 50000
	same roll-csv overdue-report --as-of $AS_OF --roll-rates --format csv
	same vintage-table overdue-report --as-of $AS_OF --vintage --format table --max-amount 300000
	same by-json overdue-report --as-of $AS_OF --by education --format json
	# every loan of the portfolio is in --loans
	(($(wc -l <"$BATS_TEST_TMPDIR/loans0.single") == $(q -c 'select count(*) from core.loans_current') + 1))
}

@test "the dashboard and the SVG charts from the cluster's mart are the single node's" {
	need_cluster
	same_clock
	local c
	# what make dashboard writes
	same page overdue-report --as-of $AS_OF --format html
	grep -q '</html>' "$BATS_TEST_TMPDIR/page.single"
	same page-filtered overdue-report --as-of $AS_OF --format html --bucket lt50k,ge500k --min-amount 20000
	for c in share late buckets par vintage roll cure; do
		same "svg-$c" overdue-report --as-of $AS_OF --format svg --chart "$c"
	done
}

@test "notify-plan, notify-log and notify-replay on the cluster: the plan, the contact log and the replay of the single node" {
	need_cluster
	same dry notify-plan --as-of $AS_OF --dry-run
	(($(wc -l <"$BATS_TEST_TMPDIR/dry.single") > 10))
	same plan notify-plan --as-of $AS_OF --format json
	grep -q ' new contacts' "$BATS_TEST_TMPDIR/plan.single.err"
	# a second run plans nothing new
	same again notify-plan --as-of $AS_OF
	grep -q ' 0 new contacts' "$BATS_TEST_TMPDIR/again.single.err"
	# delivery results, one for a contact the log does not hold (exit 65 on both)
	local ev=$BATS_TEST_TMPDIR/events
	printf '1\tsent\t2024-06-30T10:05:00Z\n1\tdelivered\t2024-06-30T10:06:10Z\n2\tfailed\t2024-06-30T10:07:00Z\tno mailbox\n' >"$ev"
	IN=$ev same log notify-log
	run --separate-stderr notify-log <<<$'99999\tsent\t2024-06-30T10:05:00Z'
	assert_failure 65
	run --separate-stderr on_cluster notify-log <<<$'99999\tsent\t2024-06-30T10:05:00Z'
	assert_failure 65
	printf '3\trefusal\t2024-06-01\n' >"$BATS_TEST_TMPDIR/restr"
	same restr notify-log --restrictions "$BATS_TEST_TMPDIR/restr"
	# the contact log itself, but for the clock of its rows
	local log="select md5(string_agg(x, E'\n' order by x)) from (
	    select (to_jsonb(c) - 'planned_at')::text as x from notify.contact c
	    union all select (to_jsonb(e) - 'logged_at')::text from notify.contact_event e
	    union all select (to_jsonb(r) - 'loaded_at')::text from notify.restriction r) s"
	assert_equal "$(cq -c "$log")" "$(q -c "$log")"
	# the restricted client is excluded on both
	same after notify-plan --as-of $AS_OF --dry-run
	grep -q ' 1 excluded' "$BATS_TEST_TMPDIR/after.single.err"
	same replay notify-replay 2024-06-01 2024-06-30 --log /dev/null
}

@test "a sixth load: the incremental build on the cluster equals the single node's and a full build on the cluster" {
	need_cluster
	# five clients move to another region, three loans change their amount,
	# late payments of clients 20-29 come again with a later fact date
	local d=$BATS_TEST_TMPDIR/six
	mkdir -p "$d"
	jq --indent 1 '[.[] | select(.client_id <= 5) | .region = "Новая область"]' \
	    "$GEN/clients.json" >"$d/clients.json"
	jq --indent 1 '[.[] | select(.client_id >= 10 and .client_id <= 12) | .loan_amount += 1000.5]' \
	    "$GEN/loans.json" >"$d/loans.json"
	jq --indent 1 '[.[] | select(.client_id >= 20 and .client_id < 30 and .payment_date >= "2024-05-01"
	                           and .payment_fact_date != null) | .payment_fact_date = "2024-06-29"]' \
	    "$GEN/payments.json" >"$d/payments.json"
	(($(jq length "$d/payments.json") > 0))
	load_part "$d" >/dev/null 2>&1
	on_cluster load_part "$d" >/dev/null
	build-mart -q --as-of $AS_OF
	run --separate-stderr on_cluster build-mart -v --as-of $AS_OF
	assert_success
	stderr_has "build-mart: incremental from load 5"
	[[ $stderr != *"full build"* ]]
	[[ $stderr =~ changed\ clients:\ ([0-9]+) ]]
	((BASH_REMATCH[1] >= 10 && BASH_REMATCH[1] <= 75))
	local t=$BATS_TEST_TMPDIR
	mart_sum >"$t/single.sum"
	on_cluster mart_sum >"$t/inc.sum"
	diff "$t/single.sum" "$t/inc.sum"
	# the reports of the changed clients' kind too
	same_clock
	same by-region overdue-report --as-of $AS_OF --by region
	grep -q 'Новая область' "$t/by-region.single"
	same loans overdue-report --as-of $AS_OF --loans --min-amount 1000
	same monthly overdue-report --as-of $AS_OF --format json
	# and a full build on the cluster gives the same again
	run --separate-stderr on_cluster build-mart -v --full --as-of $AS_OF
	assert_success
	stderr_has "full build: --full"
	on_cluster mart_sum >"$t/full.sum"
	diff "$t/single.sum" "$t/full.sum"
	# the mart changed with the load (not both left as they were)
	run cmp -s "$t/single.sum" "$BATS_FILE_TMPDIR/first.sum"
	assert_failure 1
}

@test "build-mart killed on the cluster leaves the mart as it was; the next full build drops the half-made tables on every node" {
	need_cluster
	local t=$BATS_TEST_TMPDIR
	on_cluster mart_sum >"$t/before.sum"
	# build-mart itself in the background (its pid, not a shell's)
	PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT PGDATABASE=$CITUS_DB \
	    build-mart -q --full --as-of $AS_OF 3>&- &
	local pid=$! i
	# killed once its half-made *_next tables are there (prepare.sql commits
	# them in a transaction of their own; the swap comes later)
	for ((i = 0; i < 100; i++)); do
		[[ $(cq -c "select count(*) from pg_dist_partition where logicalrelid::text = 'mart.loan_next'") == 1 ]] && break
		sleep 0.1
	done
	kill -9 "$pid"
	wait "$pid" || true
	assert_equal "$(cq -c "select count(*) from pg_dist_partition where logicalrelid::text like 'mart.%\_next'")" 6
	on_cluster mart_sum >"$t/killed.sum"
	diff "$t/before.sum" "$t/killed.sum"
	run --separate-stderr on_cluster build-mart -v --full --as-of $AS_OF
	assert_success
	assert_equal "$(cq -c "select count(*) from pg_dist_partition where logicalrelid::text like 'mart.%\_next'")" 0
	assert_equal "$(cq -c "select count(*) from pg_class where relname like '%\_next%' and relnamespace = 'mart'::regnamespace")" 0
	on_cluster mart_sum >"$t/after.sum"
	diff "$t/before.sum" "$t/after.sum"
	# no transaction left prepared on a worker
	run --separate-stderr cq -c "select string_agg(result, ',') from run_command_on_workers('select count(*) from pg_prepared_xacts')"
	assert_output 0,0
}
