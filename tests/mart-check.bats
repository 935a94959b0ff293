#!/usr/bin/env bats
# An independent check of build-mart: the per-loan rules of SPEC 5 written
# again in SQL (tests/mart-check.sql) must agree with mart.loan on every
# loan of a generated 6 000-loan portfolio at three as-of dates, and the
# monthly aggregates must agree with the per-loan month-end snapshots.
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
