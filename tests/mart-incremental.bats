#!/usr/bin/env bats
# The incremental mart (issue 9): after each of a sequence of loads and
# as-of changes, build-mart brings the mart up to date incrementally in one
# database, and `build-mart --full` rebuilds it from the same core in a
# second one; every mart table (md5 of its rows in order) and every
# overdue-report output must be byte-identical.  The path each build took is
# asserted from -v.  Then: kill -9 in the middle of an incremental build,
# an emptied mart as after a server crash, --full, the core index migration.
#
# The portfolio: gen-clients (300 clients, loans since 2016, paid up to
# 2024-06-30), cut so that most clients' loans are closed by June 2024 and
# the payments stop at 2024-05-10; the steps then send late payments, new
# clients, changed attributes and amounts, a payoff, a correction, a re-send.

load helpers
load load-helpers

D0=2024-06-15

setup_file() {
	db_create
	export FULLDB=${PGDATABASE}_full OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	psql -d postgres -XqAtc "drop database if exists \"$FULLDB\"" >/dev/null 2>&1 || true
	psql -d postgres -Xqc "create database \"$FULLDB\"" >/dev/null
	schema
	PGDATABASE=$FULLDB schema
	export GEN=$BATS_FILE_TMPDIR/gen
	gen-clients -n 300 --seed 7 --as-of 2024-06-30 --start-date 2016-01-01 -o "$GEN"
}
teardown_file() {
	[[ ${FULLDB-} == t_* ]] && psql -d postgres -XqAtc "drop database if exists \"$FULLDB\" with (force)" >/dev/null 2>&1
	db_drop
}

# --- helpers -----------------------------------------------------------------

# mkstep NAME CLIENTS LOANS PAYMENTS: a folder of three files, each the jq
# filter (over the generated file) given; $BATS_FILE_TMPDIR/NAME
mkstep() {
	local d=$BATS_FILE_TMPDIR/$1
	mkdir -p "$d"
	jq --indent 1 "$2" "$GEN/clients.json" >"$d/clients.json"
	jq --indent 1 "$3" "$GEN/loans.json" >"$d/loans.json"
	jq --indent 1 "$4" "$GEN/payments.json" >"$d/payments.json"
	echo "$d"
}

# load a folder into both databases
load_both() {
	load_part "$1" 2>/dev/null
	PGDATABASE=$FULLDB load_part "$1" 2>/dev/null
}

# Every overdue-report output the mart serves, with and without an amount
# filter, one after the other with a title line each.
REPORTS=('' --loans --roll-rates --vintage '--by gender' '--by age_band' '--by education'
	'--by count_of_children' '--by job_type' '--by family_status' '--by region')
reports() {
	local r f
	for f in '' '--min-amount 12345.67 --max-amount 287654.32'; do
		for r in "${REPORTS[@]}"; do
			echo "## overdue-report $r $f"
			# shellcheck disable=SC2086  # words
			overdue-report $r $f --format tsv || echo "failed: $?"
		done
	done
}

# build ARGS...: build-mart -v in the incremental database; its stderr in $BUILT
build() {
	BUILT=$(build-mart -v "$@" 2>&1) || { echo "$BUILT"; return 1; }
}

# the path the last build took: incremental or full (with a reason)
took() {
	case $1 in
	incremental)
		[[ $BUILT == *'build-mart: incremental from load'* && $BUILT != *'full build:'* ]] && return 0 ;;
	full)
		[[ $BUILT == *"full build: "*"$2"* ]] && return 0 ;;
	esac
	printf 'expected a %s build (%s); build-mart said:\n%s\n' "$1" "${2-}" "$BUILT"
	return 1
}

# same_as_full AS_OF: rebuild the second database in full as of AS_OF and
# compare every table and every report with the incremental one
same_as_full() {
	local t=$BATS_TEST_TMPDIR
	PGDATABASE=$FULLDB build-mart -q --full --as-of "$1"
	mart_sum >"$t/inc.sum"
	PGDATABASE=$FULLDB mart_sum >"$t/full.sum"
	reports >"$t/inc.rep"
	PGDATABASE=$FULLDB reports >"$t/full.rep"
	grep -q '^build_info ' "$t/inc.sum"
	if ! cmp -s "$t/full.sum" "$t/inc.sum"; then
		echo "mart tables differ: full (<) and incremental (>):"
		diff "$t/full.sum" "$t/inc.sum"
		return 1
	fi
	if ! cmp -s "$t/full.rep" "$t/inc.rep"; then
		echo "reports differ: full (<) and incremental (>):"
		diff "$t/full.rep" "$t/inc.rep" | head -n 30
		return 1
	fi
	[[ $(grep -c '^failed' "$t/inc.rep") == 0 ]]
}

# --- the sequence ----------------------------------------------------------

@test "step 1, the first load: no build state yet, a full build" {
	# most clients' loans ended before May 2024 (closed); clients 1..60 keep
	# their running ones; payments up to 2024-05-10; clients 281..300 come later
	local keep='select(.client_id <= 280 and (.loan_end_date < "2024-05-01" or .client_id <= 60))'
	d=$(mkstep base '[.[] | select(.client_id <= 280)]' "[.[] | $keep]" \
	    '[.[] | select(.client_id <= 280 and .payment_date <= "2024-05-10")]')
	# payments of the loans kept only
	jq --indent 1 --slurpfile l "$d/loans.json" '
	    ($l[0] | map({key: "\(.client_id)/\(.loan_name)", value: 1}) | from_entries) as $k
	    | [.[] | select($k["\(.client_id)/\(.loan_name)"] != null)]' "$d/payments.json" >"$d/p"
	mv "$d/p" "$d/payments.json"
	load_both "$d"
	build --as-of $D0
	took full 'no build state'
	same_as_full $D0
	# the portfolio has what the steps need: few running loans, many closed
	run q -c "select count(distinct client_id) filter (where status <> 'closed') * 4 < count(distinct client_id)
	          and count(*) filter (where status = 'closed') > 100 from mart.loan"
	assert_output t
}

@test "step 2, late payments of 20 clients: incremental" {
	d=$(mkstep late '[]' '[]' \
	    '[.[] | select(.client_id <= 20 and .payment_date > "2024-05-10" and .payment_date <= "2024-06-15")]')
	[[ $(jq length "$d/payments.json") -gt 10 ]]
	load_both "$d"
	build --as-of $D0
	took incremental
	[[ $BUILT == *'changed clients: '* ]]
	same_as_full $D0
}

@test "step 3, twenty new clients with their loans and payments: incremental" {
	d=$(mkstep new '[.[] | select(.client_id > 280)]' '[.[] | select(.client_id > 280)]' \
	    '[.[] | select(.client_id > 280 and .payment_date <= "2024-06-15")]')
	load_both "$d"
	build --as-of $D0
	took incremental
	[[ $BUILT == *'changed clients: 20 '* ]]
	same_as_full $D0
	assert_equal "$(q -c 'select count(*) from mart.client')" 300
}

@test "step 4, changed attributes (region, gender, a birth date that changes the age band mid-June): incremental" {
	# a client whose loans are all closed becomes 26 on 2024-06-17: its age
	# band moves between D0 and the later as-of date of step 9
	age_client=$(q -c "select client_id from mart.loan where client_id > 60 group by client_id
	                   having bool_and(status = 'closed') order by client_id limit 1")
	[[ -n $age_client ]]
	echo "$age_client" >"$BATS_FILE_TMPDIR/age_client"
	d=$(mkstep attrs "[.[] | select((.client_id >= 61 and .client_id <= 66) or .client_id == $age_client)
	                 | if .client_id == $age_client then .birth_date = \"1998-06-17\"
	                   elif .client_id <= 63 then .region = \"Новая область\"
	                   else .gender = (if .gender == \"Мужчина\" then \"Женщина\" else \"Мужчина\" end) end]" \
	    '[]' '[]')
	load_both "$d"
	build --as-of $D0
	took incremental
	same_as_full $D0
	run q -c "select distinct age_band from mart.loan where client_id = $age_client"
	assert_output 18-25
}

@test "step 5, changed loans (amount bin, on the 1 000 grid, the earliest start moved, fewer installments): incremental" {
	first=$(q -c "select client_id || ' ' || loan_name from mart.loan order by loan_start_date, client_id limit 1")
	read -r fc fl <<<"$first"
	before=$(q -c 'select first_month from mart.build_info')
	d=$(mkstep amounts '[]' "[.[] | select(.client_id == 21 or .client_id == 22 or .client_id == 23 or .client_id == 25
	                                        or (.client_id == $fc and .loan_name == \"$fl\"))
	     | if .client_id == 21 then .loan_amount += 1000.5
	       elif .client_id == 22 then .loan_amount = 300000
	       elif .client_id == 23 then .loan_amount = 49999.99
	       elif .client_id == 25 then .payment_numbers = ([.payment_numbers - 3, 1] | max)
	       else .loan_start_date = \"2016-12-01\" | .loan_end_date = \"2030-01-01\" end]" '[]')
	load_both "$d"
	build --as-of $D0
	took incremental
	same_as_full $D0
	# the earliest loan moved: the first month of the series with it (unless a loan shared its month)
	run q -c "select first_month >= '$before' from mart.build_info"
	assert_output t
}

@test "step 6, a payoff: the loan closes, its last record due after the as-of date: incremental" {
	# a running loan of a client not in the late payments: its last
	# installment paid in full on June 12th, due June 18th
	pay=$(jq -r '[.[] | select(.client_id > 20 and .client_id <= 60 and .loan_end_date > "2024-09-01")][0]
	      | "\(.client_id) \(.loan_name) \(.payment_numbers) \(.paid_amount * .payment_numbers)"' "$GEN/loans.json")
	read -r pc pl pn pt <<<"$pay"
	[[ -n $pt ]]
	echo "$pc $pl" >"$BATS_FILE_TMPDIR/payoff"
	d=$BATS_FILE_TMPDIR/payoff.d
	mkdir -p "$d"
	echo '[]' >"$d/clients.json"
	echo '[]' >"$d/loans.json"
	jq -n --argjson c "$pc" --arg l "$pl" --argjson n "$pn" --argjson a "$pt" \
	    '[{client_id: $c, loan_name: $l, payment_number: $n, payment_date: "2024-06-18",
	       payment_fact_date: "2024-06-12", paid_fact_amount: $a}]' >"$d/payments.json"
	load_both "$d"
	build --as-of $D0
	took incremental
	same_as_full $D0
	run q -c "select status, last_record_date from mart.loan where client_id = $pc and loan_name = '$pl'"
	assert_output 'closed|2024-06-18'
}

@test "step 7, a payment correction in a closed loan's history: incremental" {
	# client 70's first record: paid 40 days late and 1 000.00 short
	d=$(mkstep correction '[]' '[]' \
	    '[.[] | select(.client_id == 70 and .payment_number == 1 and .payment_date <= "2024-05-10")
	     | .payment_fact_date = ((.payment_date | strptime("%Y-%m-%d") | mktime) + 40 * 86400 | strftime("%Y-%m-%d"))
	     | .paid_fact_amount = ([.paid_fact_amount - 1000, 0] | max)]')
	[[ $(jq length "$d/payments.json") -ge 1 ]]
	load_both "$d"
	build --as-of $D0
	took incremental
	same_as_full $D0
}

@test "step 8, a re-send of records core already has: a load that changes nothing, nothing recomputed" {
	d=$(mkstep resend '[.[] | select(.client_id <= 5)]' '[]' \
	    '[.[] | select(.client_id <= 5 and .payment_date > "2024-05-10" and .payment_date <= "2024-06-15")]')
	load_both "$d"
	run q -c "select status from core.load order by load_id desc limit 1"
	assert_output committed
	build --as-of $D0
	took incremental
	[[ $BUILT == *'changed clients: 0 '* ]]
	same_as_full $D0
	# the very same folder again: load-part does nothing at all
	load_both "$BATS_FILE_TMPDIR/late"
	build --as-of $D0
	took incremental
	[[ $BUILT == *'no load since'* ]]
	same_as_full $D0
}

@test "step 9, the as-of date later in the same month: incremental, the date-dependent clients only" {
	build --as-of 2024-06-20
	took incremental
	same_as_full 2024-06-20
	# what the rule had to catch: the paid-off loan's record due June 18th is
	# now in June's flow; the client who turned 26 changed band
	read -r pc pl <"$BATS_FILE_TMPDIR/payoff"
	run q -c "select m_flow[array_length(m_flow, 1)] > 0 from mart.loan where client_id = $pc and loan_name = '$pl'"
	assert_output t
	run q -c "select distinct age_band from mart.loan where client_id = $(cat "$BATS_FILE_TMPDIR/age_client")"
	assert_output 26-35
}

@test "step 10, the as-of date in another month: a full build, saying why" {
	build --as-of 2024-07-05
	took full 'the as-of date moved to another month'
	same_as_full 2024-07-05
}

@test "step 11, the as-of date moved back: a full build, saying why" {
	build --as-of 2024-07-02
	took full 'the as-of date moved back'
	same_as_full 2024-07-02
}

@test "step 12, late payments of 20 more clients after a full build: incremental again" {
	d=$(mkstep late2 '[]' '[]' \
	    '[.[] | select(.client_id > 20 and .client_id <= 40 and .payment_date > "2024-05-10")]')
	load_both "$d"
	build --as-of 2024-07-02
	took incremental
	same_as_full 2024-07-02
}

@test "step 13, a new loan for a known client: incremental" {
	d=$BATS_FILE_TMPDIR/newloan
	mkdir -p "$d"
	echo '[]' >"$d/clients.json"
	jq -n '[{client_id: 100, loan_name: "NEW-1", loan_amount: 120000.5, loan_start_date: "2024-01-15",
	         loan_end_date: "2025-01-15", payment_numbers: 12, paid_amount: 11000}]' >"$d/loans.json"
	jq -n '[range(1; 6) as $k | {client_id: 100, loan_name: "NEW-1", payment_number: $k,
	         payment_date: "2024-0\($k)-15", payment_fact_date: (if $k == 3 then null else "2024-0\($k)-20" end),
	         paid_fact_amount: (if $k == 3 then null else 11000 end)}]' >"$d/payments.json"
	load_both "$d"
	build --as-of 2024-07-02
	took incremental
	[[ $BUILT == *'changed clients: 1 '* ]]
	same_as_full 2024-07-02
}

@test "too many changed clients: a full build, saying why, the same mart" {
	d=$(mkstep many '[]' '[]' \
	    '[.[] | select(.client_id > 40 and .client_id <= 200 and .payment_number == 1)
	     | .paid_fact_amount = .paid_fact_amount + 1]')
	load_both "$d"
	build --as-of 2024-07-02
	took full "of the mart's 300 clients to recompute: more than a quarter"
	same_as_full 2024-07-02
}

@test "--full rebuilds everything; the summary says which build ran" {
	run --separate-stderr build-mart --full --as-of 2024-07-02
	assert_success
	[[ $stderr == *'as of 2024-07-02: full: '*' loans, '*' payments, '* ]]
	run --separate-stderr build-mart --as-of 2024-07-02
	assert_success
	[[ $stderr == *'as of 2024-07-02: incremental: 0 clients recomputed (0 loans); '* ]]
	same_as_full 2024-07-02
}

# --- what must hold around the incremental path -----------------------------

@test "the build state records the load and the date, in the same transaction as the mart" {
	run q -c "select s.as_of = b.as_of, s.load_id = (select max(load_id) from core.load where status = 'committed'),
	                 s.loads = (select count(*) from core.load where status = 'committed'),
	                 s.clients = (select count(*) from mart.client), s.engine, s.mart_version
	          from mart.build_state s, mart.build_info b"
	assert_output 't|t|t|t|1|4'
	# a load with a smaller id committing later would make core differ from
	# what the state says: the next build is a full one
	q -c "update mart.build_state set loads = loads - 1" >/dev/null
	build --as-of 2024-07-02
	took full 'changed since the mart was built'
	same_as_full 2024-07-02
}

# the backend of a build-mart that waits for a lock
waiting_build() {
	q -c "select count(*) from pg_stat_activity where datname = current_database()
	      and wait_event_type = 'Lock' and query like '%build_info%'"
}

@test "kill -9 in the middle of an incremental build: the old mart stays readable, the next build is right" {
	d=$(mkstep late3 '[]' '[]' \
	    '[.[] | select(.client_id > 40 and .client_id <= 50 and .payment_date > "2024-06-15")
	     | .paid_fact_amount = (.paid_fact_amount / 2 | floor)]')
	load_both "$d"
	before=$(mart_sum)
	before_rep=$(reports)
	# hold build_info: the build does all its work, then waits to write it
	q -c "begin; lock table mart.build_info in exclusive mode; select pg_sleep(30); commit" >/dev/null 2>&1 3>&- &
	holder=$!
	sleep 0.5
	build-mart -q --as-of 2024-07-02 2>/dev/null 3>&- &
	pid=$!
	for _ in $(seq 100); do [[ $(waiting_build) == 1 ]] && break; sleep 0.1; done
	assert_equal "$(waiting_build)" 1
	# meanwhile a reader sees the old mart, whole
	assert_equal "$(mart_sum)" "$before"
	kill -9 "$pid"
	wait "$pid" || true
	q -c "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()
	      and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()" >/dev/null
	wait "$holder" || true
	for _ in $(seq 100); do [[ $(waiting_build) == 0 ]] && break; sleep 0.1; done
	assert_equal "$(mart_sum)" "$before"
	assert_equal "$(reports)" "$before_rep"
	build --as-of 2024-07-02
	took incremental
	same_as_full 2024-07-02
}

@test "a server crash empties the mart and its build state together: the next build is full and right" {
	run q -c "select relpersistence from pg_class where oid = 'mart.build_state'::regclass"
	assert_output u
	# what a crash leaves of the UNLOGGED mart (tests/mart.bats does the same)
	q -c "truncate mart.build_info, mart.build_state, mart.loan, mart.month_bin, mart.by_attr,
	      mart.client, mart.roll_bin, mart.vintage_bin"
	build --as-of 2024-07-02
	took full 'no build state'
	same_as_full 2024-07-02
	build --as-of 2024-07-02
	took incremental
}

@test "a mart without its build_info (emptied by hand) is rebuilt in full" {
	q -c "delete from mart.build_info"
	build --as-of 2024-07-02
	took full 'mart.build_info does not match'
	same_as_full 2024-07-02
}

@test "a core that is not the load path's (plain tables) is always built in full, with no build state" {
	db=${PGDATABASE}_plain
	psql -d postgres -Xqc "drop database if exists \"$db\"" -c "create database \"$db\"" >/dev/null
	PGDATABASE=$db q -q -f "$OVERDUE_TOP"/sql/schema/00_schemas.sql >/dev/null
	PGDATABASE=$db q -q -v n=300 -v seed=0.42 -f "$FIXTURES/mart-gen-core.sql" >/dev/null
	for f in "$OVERDUE_TOP"/sql/schema/5*.sql; do PGDATABASE=$db q -q -f "$f" >/dev/null; done
	BUILT=$(PGDATABASE=$db build-mart -v --as-of 2021-06-15 2>&1)
	took full "core is not the load path's versioned core"
	run env PGDATABASE=$db psql -XqAt -c 'select count(*) from mart.build_state'
	psql -d postgres -Xqc "drop database \"$db\" with (force)" >/dev/null
	assert_output 0
}

@test "pipelines/schema --if-changed brings the valid_from_load indexes to an existing warehouse" {
	q -c "drop index core.client_version_from_load, core.loan_version_from_load, core.payment_version_from_load;
	      delete from core.schema_version where version = 5;
	      update core.schema_files set sha256 = repeat('0', 64)" >/dev/null
	run --separate-stderr "$OVERDUE_TOP/pipelines/schema" --if-changed
	assert_success
	run q -c "select count(*) from pg_indexes where schemaname = 'core' and indexname like '%_from_load'"
	assert_output 3
	run q -c "select count(*) from core.schema_version where version = 5"
	assert_output 1
	# the dirty clients are found through them
	run q -c "explain (costs off) select client_id from core.payment_version where valid_from_load > 1000"
	assert_output --partial payment_version_from_load
}
