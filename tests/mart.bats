#!/usr/bin/env bats
# The mart: build-mart and overdue-report on the hand-checked ten-loan
# fixture, loaded through the real pipeline; options; the BI role; the
# seed-compatible objects.

load helpers

TEN=$FIXTURES/ten-loans

setup_file() {
	db_create
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	PATH=$OVERDUE_BIN:$PATH "$OVERDUE_TOP/pipelines/load-part" "$TEN" 2>/dev/null
	build-mart -q --as-of 2024-03-15
}
teardown_file() { db_drop; }

expected() { grep -v '^#' "$TEN/$1"; }

@test "ten loans: per-loan positions equal the hand-derived ones" {
	run --separate-stderr overdue-report --loans --format tsv
	assert_success
	assert_output "$(expected expected-loans.tsv)"
}

@test "ten loans: monthly series equals the hand-derived one" {
	run --separate-stderr overdue-report --format tsv
	assert_success
	assert_output "$(expected expected-monthly.tsv)"
}

@test "ten loans: --bucket ge500k keeps the 500 000.00 boundary loan" {
	run --separate-stderr overdue-report --bucket ge500k --format tsv
	assert_success
	assert_output "$(expected expected-monthly-ge500k.tsv)"
}

@test "ten loans: a range cutting through two amount bins is exact" {
	run --separate-stderr overdue-report --min-amount 99999.99 --max-amount 100000 --format tsv
	assert_success
	assert_output "$(expected expected-monthly-edge.tsv)"
}

@test "the fixture really went through the load path" {
	run q -c "select count(*) from core.load where status = 'committed'"
	assert_output 1
	run q -c "select count(*) from core.payments_current"
	assert_output 22
}

@test "--by: overdue share by a client attribute, NULL as unknown" {
	run --separate-stderr overdue-report --by region --format tsv
	assert_success
	# regions: i%3 -> 0 Москва, 1 Казань, 2 NULL (clients 1..11); active and overdue as of D
	# Казань: 1 closed, 4 od, 7 current, 10 not started -> 2 active, 1 overdue
	# Москва: 3 od, 6 od, 9 od -> 3, 3; unknown: 2 od, 5 closed, 8 closed, 11 current -> 2, 1
	assert_line --index 0 $'value\tactive_loans\toverdue_loans\toverdue_share'
	assert_line $'Казань\t2\t1\t0.500000'
	assert_line $'Москва\t3\t3\t1.000000'
	assert_line $'unknown\t2\t1\t0.500000'
}

@test "bucket sums add up to the whole portfolio every month" {
	whole=$(overdue-report --format tsv | cut -f2,3,5,8 | tail -n +2)
	sum=$(for b in lt50k 50k-100k 100k-500k ge500k; do overdue-report --bucket $b --format tsv | tail -n +2; done |
	    awk -F'\t' '{a[$1]+=$2; o[$1]+=$3; s[$1]+=$5*100; r[$1]+=$8*100} END {for (m in a) printf "%s\t%d\t%d\t%.2f\t%.2f\n", m, a[m], o[m], s[m]/100, r[m]/100}' | sort | cut -f2-)
	assert_equal "$sum" "$whole"
}

@test "csv and json carry the same numbers" {
	run --separate-stderr overdue-report --format csv
	assert_line --index 3 '2024-01,9,4,0.444444,697638.55,442000.36,0.633566,343500.18,2,1,0,1,0.125000,0.461558,0.103206,0.000000,1630457.61'
	run --separate-stderr overdue-report --loans --bucket lt50k --format json
	assert_output --partial '"loan_name":"T-01","loan_amount":49999.99,"status":"closed"'
	run bash -c 'overdue-report --format json | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d), d[0][\"late_share\"], d[0][\"month\"])"'
	assert_output '5 0.0 2023-11'
}

@test "table format: aligned columns, the as-of date and a bar per month" {
	run --separate-stderr env LC_ALL=C.UTF-8 overdue-report --format table
	assert_success
	assert_line --index 0 --partial 'overdue as of 2024-03-15'
	assert_line --partial '2024-03'
	[[ $output == *'█'* ]]
	run --separate-stderr env LC_ALL=C overdue-report --format table
	[[ $output == *'#####'* ]]
}

@test "bad filter values are usage errors naming the problem" {
	run -64 --separate-stderr overdue-report --min-amount abc
	assert_equal "${stderr_lines[0]}" "overdue-report: --min-amount: 'abc' is not an amount"
	run -64 --separate-stderr overdue-report --min-amount 10 --max-amount 9.99
	[[ $stderr == *'--min-amount 10 is greater than --max-amount 9.99'* ]]
	run -64 --separate-stderr overdue-report --bucket 1k-2k
	[[ $stderr == *"unknown bucket '1k-2k'"* ]]
	run -64 --separate-stderr overdue-report --as-of 2024-02-30
	[[ $stderr == *"'2024-02-30' is not a date"* ]]
	run -64 --separate-stderr overdue-report --by shoe_size
	[[ $stderr == *"unknown attribute 'shoe_size'"* ]]
	run -64 --separate-stderr overdue-report --format xml
	run -64 --separate-stderr build-mart --as-of 2024-13-01
	[[ $stderr == *"'2024-13-01' is not a date"* ]]
}

@test "a filter value is data, never SQL" {
	run -64 --separate-stderr overdue-report --min-amount "0; drop table mart.loan"
	run q -c "select count(*) from mart.loan"
	assert_output 11
}

@test "--as-of must be the mart's date" {
	run --separate-stderr overdue-report --as-of 2024-03-15 --format tsv
	assert_success
	run -65 --separate-stderr overdue-report --as-of 2024-03-16
	[[ $stderr == *'built as of 2024-03-15'* ]]
}

@test "overdue_bi reads mart and nothing in staging or core" {
	run --separate-stderr q -c "set role overdue_bi; select count(*) from mart.loan; select count(*) from mart.data_mart; select count(*) from mart.vw_overdue_by_month_and_amount"
	assert_success
	# seed view rows = (month, bucket) with a record due: Nov 2, Dec 4, Jan 3, Feb 3, Mar 1
	assert_output $'11\n22\n13'
	for rel in core.loans_current core.payment_version staging.load; do
		run --separate-stderr q -c "set role overdue_bi; select 1 from $rel limit 1"
		assert_failure
		[[ $stderr == *'permission denied'* ]]
	done
	run q -c "select rolcanlogin from pg_roles where rolname = 'overdue_bi'"
	assert_output f
}

@test "personal data is masked in the mart" {
	run q -c "select fio, passport, phone, address, birth_date from mart.client where client_id = 3"
	assert_output 'Тестов3 И. П.|453|0003|г. Тестоград|1969-01-01'
	run q -c "select count(*) from mart.data_mart where fio ~ 'Иван'"
	assert_output 0
}

@test "the e-mail is masked in the mart: its first character, ***@ and the domain; none stays NULL" {
	# two clients of the fixture gain an e-mail through the load path (an
	# export of just their records: a new version each, nothing else moves)
	d=$BATS_TEST_TMPDIR/mail
	mkdir -p "$d"
	jq --indent 2 'map(select(.client_id == 3 or .client_id == 5)
	    | .email = (if .client_id == 3 then "ivanova1987@mail.example" else "юлия.т@почта.рф" end))' \
	    "$TEN/clients.json" >"$d/clients.json"
	echo '[]' >"$d/loans.json"
	echo '[]' >"$d/payments.json"
	run --separate-stderr "$OVERDUE_TOP/pipelines/load-part" "$d"
	assert_success
	assert_equal "$(q -c 'select count(*) from core.clients_current where email is not null')" 2
	build-mart -q --as-of 2024-03-15
	run q -c "select client_id || ' ' || coalesce(email, 'null') from mart.client order by client_id"
	assert_output "$(jq -r '.[] | "\(.client_id) " + (if .client_id == 3 then "i***@mail.example"
	    elif .client_id == 5 then "ю***@почта.рф" else "null" end)' "$TEN/clients.json")"
	# the rest of the mart is as before: the other masked columns, the positions
	run q -c "select fio, passport, phone, address, birth_date from mart.client where client_id = 3"
	assert_output 'Тестов3 И. П.|453|0003|г. Тестоград|1969-01-01'
	run --separate-stderr overdue-report --loans --format tsv
	assert_output "$(expected expected-loans.tsv)"
}

@test "seed view: the seed's columns, buckets and flag semantics" {
	run q -c "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_schema = 'mart' and table_name = 'vw_overdue_by_month_and_amount'"
	assert_output 'period,year,month,loan_amount_bucket,total_loans,total_overdue_loans,pct_overdue_loans,sum_issued_loans,sum_overdue_payments'
	# Dec 2023: T-01 (late, lt50k), T-02 (short 5000, 50k-100k), T-05 (on time), T-06 (unpaid)
	run q -F' ' -c "select loan_amount_bucket, total_loans, total_overdue_loans, pct_overdue_loans, sum_issued_loans, sum_overdue_payments from mart.vw_overdue_by_month_and_amount where period = '2023-12-01' order by 1"
	assert_output "До 100 000 1 1 100.00 50000.00 5000.00
До 50 000 1 1 100.00 49999.99 16666.67
До 500 000 1 0 0.00 499999.99 0.00
От 500 000 1 1 100.00 500000.00 0.00"
	# data_mart: one row per payment record; T-07's record due on D is not flagged
	# flagged: T-01 #1 late, T-02 #2 short, T-04 #1 and T-06 #2 unpaid, T-08 #2 and #3 paid on D, T-11 #4 late
	run q -c "select count(*), count(*) filter (where status) from mart.data_mart"
	assert_output '22|7'
	run q -c "select status from mart.data_mart where loan_name = 'T-07' and payment_number = 3"
	assert_output f
}

@test "rebuilding replaces the mart in one transaction and records the date" {
	build-mart -q --as-of 2024-02-29
	run q -c "select as_of, first_month, last_month, loans, payments from mart.build_info"
	assert_output '2024-02-29|2023-11-01|2024-02-01|11|22'
	run --separate-stderr overdue-report --loans --format tsv
	# Feb 29: T-09's second installment is due that very day -> still current
	assert_line $'9\tT-09\t75000.00\tcurrent\t0\t0\t0.00\t50000.00'
	build-mart -q --as-of 2024-03-15
	run --separate-stderr overdue-report --format tsv
	assert_output "$(expected expected-monthly.tsv)"
}

@test "build-mart waits for the writer lock" {
	q -c "begin; select pg_advisory_xact_lock(7243001); select pg_sleep(2); commit" >/dev/null 3>&- &
	sleep 0.5
	start=$SECONDS
	build-mart -q --as-of 2024-03-15
	wait
	(( SECONDS - start >= 1 ))
}

@test "the mart is unlogged; emptied as by a server crash, the report says to rebuild" {
	run q -c "select string_agg(relname || ':' || relpersistence::text, ' ' order by relname) from pg_class
	          where relnamespace = 'mart'::regnamespace and relkind = 'r'"
	assert_output 'build_info:u build_state:u by_attr:u client:u loan:u month_bin:u roll_bin:u vintage_bin:u'
	# a crash resets unlogged tables to empty: what overdue-report then meets
	q -c "truncate mart.build_info, mart.build_state, mart.loan, mart.month_bin, mart.by_attr, mart.client, mart.roll_bin, mart.vintage_bin"
	run -69 --separate-stderr overdue-report --format tsv
	[[ $stderr == *'mart is not built'*'run build-mart'* ]]
	build-mart -q --as-of 2024-03-15
	run --separate-stderr overdue-report --format tsv
	assert_output "$(expected expected-monthly.tsv)"
}

# --- portfolio analytics (SPEC 5): roll matrix, cure rate, vintages ---------
# The monthly files above carry par30_share, par90_share, cure_rate and
# issued_amount too; the expected rows and their reasons are in the fixture.

ROLL_HEAD=$'month\tfrom_bucket\tloans\tto_0\tto_1_30\tto_31_60\tto_61_90\tto_91_plus\tto_closed'
VINTAGE_HEAD=$'vintage\tmonths_on_book\tloans\tever30_loans\tever30_share'

@test "ten loans: the roll matrix equals the hand-derived one" {
	run --separate-stderr overdue-report --roll-rates --format tsv
	assert_success
	assert_output "$(expected expected-roll.tsv)"
}

@test "ten loans: the vintage curves equal the hand-derived ones" {
	run --separate-stderr overdue-report --vintage --format tsv
	assert_success
	assert_output "$(expected expected-vintage.tsv)"
}

@test "ten loans: roll matrix and vintages follow --bucket, and a range equal to the bucket" {
	run --separate-stderr overdue-report --roll-rates --bucket 50k-100k --format tsv
	assert_success
	assert_output "$(expected expected-roll-50k-100k.tsv)"
	run --separate-stderr overdue-report --vintage --bucket 50k-100k --format tsv
	assert_success
	assert_output "$(expected expected-vintage-50k-100k.tsv)"
	# [50000, 99999.99] holds the same five loans, through the range path (edge bins from mart.loan)
	run --separate-stderr overdue-report --roll-rates --min-amount 50000 --max-amount 99999.99 --format tsv
	assert_success
	assert_output "$(expected expected-roll-50k-100k.tsv)"
	run --separate-stderr overdue-report --vintage --min-amount 50000 --max-amount 99999.99 --format tsv
	assert_success
	assert_output "$(expected expected-vintage-50k-100k.tsv)"
}

@test "ten loans: --bucket ge500k: T-06 rolls one bucket a month, T-10 (not started) is in no vintage" {
	run --separate-stderr overdue-report --roll-rates --bucket ge500k --format tsv
	assert_success
	# T-06: Nov 0 -> Dec 1-30 (dpd 1) -> Jan 31-60 (32) -> Feb 61-90 (61) -> Mar 61-90 (76); one loan, one cell a month
	assert_output "$ROLL_HEAD
2023-12	0	1	0	1	0	0	0	0
2023-12	1-30	0	0	0	0	0	0	0
2023-12	31-60	0	0	0	0	0	0	0
2023-12	61-90	0	0	0	0	0	0	0
2023-12	91+	0	0	0	0	0	0	0
2024-01	0	0	0	0	0	0	0	0
2024-01	1-30	1	0	0	1	0	0	0
2024-01	31-60	0	0	0	0	0	0	0
2024-01	61-90	0	0	0	0	0	0	0
2024-01	91+	0	0	0	0	0	0	0
2024-02	0	0	0	0	0	0	0	0
2024-02	1-30	0	0	0	0	0	0	0
2024-02	31-60	1	0	0	0	1	0	0
2024-02	61-90	0	0	0	0	0	0	0
2024-02	91+	0	0	0	0	0	0	0
2024-03	0	0	0	0	0	0	0	0
2024-03	1-30	0	0	0	0	0	0	0
2024-03	31-60	0	0	0	0	0	0	0
2024-03	61-90	1	0	0	0	1	0	0
2024-03	91+	0	0	0	0	0	0	0"
	run --separate-stderr overdue-report --vintage --bucket ge500k --format tsv
	assert_success
	# 2023-11: T-06 alone, dpd 0, 1, 32, 61, 76 at Nov .. Mar; 2024-03 (T-10, starts Mar 20 > D): no rows
	assert_output "$VINTAGE_HEAD
2023-11	0	1	0	0.000000
2023-11	1	1	0	0.000000
2023-11	2	1	1	1.000000
2023-11	3	1	1	1.000000
2023-11	4	1	1	1.000000"
}

@test "ten loans: a filter holding only the not-started T-10: no exposure, nothing issued, empty roll rows, no vintage" {
	run --separate-stderr overdue-report --min-amount 1000000 --format tsv
	assert_success
	# every month: no active loan (shares empty), no record due, nothing overdue before, T-10 not issued by D
	assert_line --index 0 --partial $'late_share\tpar30_share\tpar90_share\tcure_rate\tissued_amount'
	for m in 2023-11 2023-12 2024-01 2024-02 2024-03; do
		assert_line "$m	0	0		0.00	0.00		0.00	0	0	0	0					0.00"
	done
	assert_equal "${#lines[@]}" 6
	run --separate-stderr overdue-report --roll-rates --min-amount 1000000 --format tsv
	assert_success
	# five rows per month but the first, also when no loan is in the from-bucket
	assert_equal "${#lines[@]}" 21
	assert_line --index 1 $'2023-12\t0\t0\t0\t0\t0\t0\t0\t0'
	assert_line --index 20 $'2024-03\t91+\t0\t0\t0\t0\t0\t0\t0'
	run --separate-stderr overdue-report --vintage --min-amount 1000000 --format tsv
	assert_success
	assert_output "$VINTAGE_HEAD"
}

@test "ten loans: as of the first month's last day there is no roll month, one vintage month" {
	build-mart -q --as-of 2023-11-30
	# Nov 30 = D: the Nov row of expected-monthly.tsv holds as it is (T-06's inst 1 due on D is not
	# in late_share's flow, but T-02's on-time record keeps it 0/1 = 0.000000; cure empty: first month)
	run --separate-stderr overdue-report --format tsv
	assert_success
	assert_output "$(expected expected-monthly.tsv | head -n 2)"
	run --separate-stderr overdue-report --roll-rates --format tsv
	assert_success
	assert_output "$ROLL_HEAD"
	# T-02, T-06, T-11 started in Nov, none dpd > 30 (T-11: 29)
	run --separate-stderr overdue-report --vintage --format tsv
	assert_success
	assert_output "$VINTAGE_HEAD
2023-11	0	3	0	0.000000"
	run --separate-stderr overdue-report --loans --format tsv
	# T-10 and the loans starting after Nov 30 are not_started: dpd 0, arrears 0.00, outstanding 0.00
	assert_line $'10\tT-10\t1000000.00\tnot_started\t0\t0\t0.00\t0.00'
	assert_line $'1\tT-01\t49999.99\tnot_started\t0\t0\t0.00\t0.00'
	assert_line $'11\tT-11\t72000.36\toverdue\t29\t1-30\t12000.06\t72000.36'
	build-mart -q --as-of 2024-03-15
}
