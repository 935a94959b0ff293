#!/usr/bin/env bats
# An independent check of build-mart: the per-loan rules of SPEC 5 written
# again in SQL (tests/mart-check.sql) must agree with mart.loan on every
# loan of a generated 6 000-loan portfolio at three as-of dates, and the
# monthly aggregates must agree with the per-loan month-end snapshots; the
# monthly series, roll matrix and vintage curves recomputed from core
# (tests/mart-check-analytics.sql) must equal overdue-report's at two dates
# for four amount filters.
# The portfolio lives in core-shaped tables (tests/fixtures/mart-gen-core.sql)
# of a scratch database without the load path's schema.

load helpers

setup_file() {
	db_create
	q -q -f "$OVERDUE_TOP"/sql/schema/00_schemas.sql >/dev/null
	q -q -v n=6000 -v seed=0.4242 -f "$FIXTURES/mart-gen-core.sql" >/dev/null
	# after the generator: mart.data_mart reads core.payments_current
	for f in "$OVERDUE_TOP"/sql/schema/5*.sql; do
		q -q -f "$f" >/dev/null
	done
}
teardown_file() { db_drop; }

check_at() {
	build-mart -q --as-of "$1"
	run --separate-stderr q -v asof="$1" -f "$OVERDUE_TOP/tests/mart-check.sql"
	assert_success
	# first line: the number of loans that differ; then up to 5 of them
	assert_line --index 0 0
}

@test "the generated portfolio has the cases the check needs" {
	run q -c "select count(*) >= 6000 from core.loans_current"
	assert_output t
	run q -c "select count(*) > 0 from core.payments_current where payment_fact_date is null"
	assert_output t
	run q -c "select count(*) > 0 from core.loans_current where extract(day from loan_start_date) = 31"
	assert_output t
}

@test "independent SQL agrees on every loan as of 2019-02-28" { check_at 2019-02-28; }
@test "independent SQL agrees on every loan as of 2021-06-15" { check_at 2021-06-15; }
@test "independent SQL agrees on every loan as of 2024-12-31" { check_at 2024-12-31; }

@test "monthly aggregates equal the per-loan month-end snapshots" {
	build-mart -q --as-of 2022-03-31
	run q -c "
	    with snap as (
	        select month, count(*) filter (where status in ('current','overdue')) a,
	               count(*) filter (where status = 'overdue') o,
	               coalesce(sum(outstanding) filter (where status in ('current','overdue')), 0) s,
	               count(*) filter (where has_due_record) fl, count(*) filter (where late) fll
	        from mart.loan_month group by month),
	    agg as (
	        select month, sum(active_loans) a, sum(overdue_loans) o, sum(outstanding_k) / 100.0 s,
	               sum(flow_loans) fl, sum(flow_late) fll
	        from mart.month_bin group by month)
	    select count(*) from snap full join agg using (month)
	    where (snap.a, snap.o, snap.s, snap.fl, snap.fll) is distinct from (agg.a, agg.o, agg.s, agg.fl, agg.fll)"
	assert_output 0
}

@test "any amount range: bins + edge loans equal a direct aggregation" {
	build-mart -q --as-of 2022-03-31
	for r in "12345.67 87654.32" "50000 50000" "99999.99 500000" "0 1000000000"; do
		set -- $r
		got=$(overdue-report --min-amount "$1" --max-amount "$2" --format tsv | tail -n +2 | cut -f1-3,5,13)
		want=$(q -F $'\t' -c "
		    with m as (select generate_series(first_month, last_month, interval '1 month')::date as month from mart.build_info),
		    s as (select month, count(*) filter (where status in ('current','overdue')) a,
		                 count(*) filter (where status = 'overdue') o,
		                 sum(outstanding) filter (where status in ('current','overdue')) s,
		                 count(*) filter (where has_due_record) fl, count(*) filter (where late) fll
		          from mart.loan_month where loan_amount between $1 and $2 group by month)
		    select to_char(m.month, 'YYYY-MM'), coalesce(a, 0), coalesce(o, 0), coalesce(s, 0)::numeric(17,2),
		           case when fl > 0 then round(fll::numeric / fl, 6)::text else '' end
		    from m left join s using (month) order by m.month")
		assert_equal "$got" "$want"
	done
}

@test "--by with any amount range: pre-aggregated bins + edge loans equal a direct count" {
	build-mart -q --as-of 2022-03-31
	for attr in region count_of_children age_band; do
		for r in "12345.67 87654.32" "50000 50000" "0 1000000000"; do
			set -- $r
			got=$(overdue-report --by $attr --min-amount "$1" --max-amount "$2" --format tsv | tail -n +2 | cut -f1-3)
			want=$(q -F $'\t' -c "
			    select coalesce($attr::text, 'unknown') v,
			           count(*) filter (where status in ('current','overdue')),
			           count(*) filter (where status = 'overdue')
			    from mart.loan where loan_amount between $1 and $2
			    group by 1 order by coalesce($attr::text, 'unknown') collate \"C\"")
			[[ -n $want ]]
			assert_equal "$got" "$want"
		done
	done
}

@test "data_mart: one row per current payment record of a loan in the mart, both flag values" {
	build-mart -q --as-of 2021-06-15
	run q -c "select (select count(*) from mart.data_mart) = (select count(*) from core.payments_current p
	              where exists (select 1 from core.loans_current l where l.client_id = p.client_id and l.loan_name = p.loan_name))"
	assert_output t
	run q -c "select count(*) filter (where status), count(*) filter (where not status) from mart.data_mart"
	[[ $output != 0\|* && $output != *\|0 ]]
}

# --- the monthly series and the portfolio analytics (SPEC 5) ----------------
# tests/mart-check-analytics.sql computes, from core and independently of the
# mart, every loan's state at every monthly snapshot and from it the monthly
# series (all 17 columns), the roll matrix and the vintage curves, for an
# amount range; overdue-report's TSV (columns found by name) must equal it
# line for line, for every filter below.

MONTHLY_COLS='month active_loans overdue_loans overdue_share outstanding overdue_outstanding par_share arrears dpd_1_30 dpd_31_60 dpd_61_90 dpd_91_plus late_share par30_share par90_share cure_rate issued_amount'
ROLL_COLS='month from_bucket loans to_0 to_1_30 to_31_60 to_61_90 to_91_plus to_closed'
VINTAGE_COLS='vintage months_on_book loans ever30_loans ever30_share'

# FILTER|LO|HI: overdue-report's options and the same range for the SQL
# (NULL = open; amounts have 2 decimals, so "< 100000" is "<= 99999.99")
FILTERS=(
	'|NULL|NULL'
	'--min-amount 12345.67 --max-amount 87654.32|12345.67|87654.32'
	'--bucket 50k-100k|50000|99999.99'
	'--min-amount 500000|500000|NULL'
)

# project a TSV with a header onto the named columns, header dropped; a
# missing column is an error
project() {
	awk -F'\t' -v want="$1" '
	    NR == 1 { n = split(want, w, " ")
	              for (i = 1; i <= NF; i++) h[$i] = i
	              for (j = 1; j <= n; j++) if (!(w[j] in h)) { print "no column " w[j] > "/dev/stderr"; bad = 1; exit 1 }
	              next }
	    { s = $(h[w[1]]); for (j = 2; j <= n; j++) s = s "\t" $(h[w[j]]); print s }
	    END { exit bad }' "$2"
}

# same LABEL WANT GOT: equal files, else the first differences and failure
same() {
	if ! cmp -s "$2" "$3"; then
		echo "$1: independent SQL (<) and overdue-report (>) differ; first differences:"
		diff "$2" "$3" | head -n 24
		return 1
	fi
}

# compare_one WHAT COLS FUNC FILTER LO HI: overdue-report WHAT FILTER against chk.FUNC(LO, HI)
compare_one() {
	local what=$1 cols=$2 func=$3 filter=$4 lo=$5 hi=$6 t=$BATS_TEST_TMPDIR
	# shellcheck disable=SC2086  # the filter is words
	overdue-report $what $filter --format tsv >"$t/report.tsv" || { echo "overdue-report $what $filter failed"; return 1; }
	project "$cols" "$t/report.tsv" >"$t/got.tsv" || return 1
	q -F $'\t' -c "select * from chk.$func($lo, $hi)" >"$t/want.tsv" || return 1
	[[ -s $t/want.tsv ]] || { echo "chk.$func($lo, $hi) is empty"; return 1; }
	same "overdue-report $what $filter" "$t/want.tsv" "$t/got.tsv"
}

analytics_at() {
	build-mart -q --as-of "$1"
	q -q -v asof="$1" -f "$OVERDUE_TOP/tests/mart-check-analytics.sql" >/dev/null
	local f filter lo hi
	for f in "${FILTERS[@]}"; do
		IFS='|' read -r filter lo hi <<<"$f"
		compare_one "" "$MONTHLY_COLS" monthly "$filter" "$lo" "$hi"
		compare_one --roll-rates "$ROLL_COLS" roll "$filter" "$lo" "$hi"
		compare_one --vintage "$VINTAGE_COLS" vintage "$filter" "$lo" "$hi"
	done
}

@test "independent SQL: monthly series, par30/90, cure, issued, roll matrix and vintages as of 2021-06-15" {
	analytics_at 2021-06-15
}

@test "independent SQL: monthly series, par30/90, cure, issued, roll matrix and vintages as of 2024-12-31" {
	analytics_at 2024-12-31
	# the portfolio has what the measures need: every from-bucket rolls, cures happen,
	# some loans reach 91+ and some vintages have ever-30 loans
	run q -c "select count(distinct state) from chk.snap where state between 1 and 4"
	assert_output 4
	run q -c "select count(*) > 0 from chk.snap cur join chk.snap prev using (client_id, loan_name)
	          where prev.month = (cur.month - interval '1 month')::date and prev.state = 4 and cur.state in (0, 5)"
	assert_output t
	run q -c "select count(*) > 0 from chk.vintage(null, null) where ever30_loans > 0 and ever30_loans < loans"
	assert_output t
}

@test "the analytics comparison fails on a single changed value and shows it" {
	build-mart -q --as-of 2021-06-15
	q -q -v asof=2021-06-15 -f "$OVERDUE_TOP/tests/mart-check-analytics.sql" >/dev/null
	run compare_one --roll-rates "$ROLL_COLS" roll "" NULL NULL
	assert_success
	# one loan's state at one snapshot moved from 1-30 to 31-60: one roll cell changes
	q -c "update chk.snap set state = 2, dpd = 31 where (client_id, loan_name, month) =
	      (select client_id, loan_name, month from chk.snap where state = 1 and month < '2021-06-01'
	       order by month desc, client_id, loan_name limit 1)"
	run compare_one --roll-rates "$ROLL_COLS" roll "" NULL NULL
	assert_failure
	assert_line --index 0 --partial 'independent SQL (<) and overdue-report (>) differ'
	assert_line --regexp '^< 2021-0[1-6]	'
	run compare_one "" "$MONTHLY_COLS" monthly "" NULL NULL
	assert_failure
}
