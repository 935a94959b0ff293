#!/usr/bin/env bats
# BI tools: the documented mart.bi_* views, read by a real LOGIN role that is
# granted overdue_bi (as Power BI, Metabase or Superset would connect), on the
# hand-checked ten-loan fixture loaded through the real pipeline; and
# `make dashboard` / `make svg` over the same mart.

load helpers

TEN=$FIXTURES/ten-loans

setup_file() {
	db_create
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	PATH=$OVERDUE_BIN:$PATH "$OVERDUE_TOP/pipelines/load-part" "$TEN" 2>/dev/null
	build-mart -q --as-of 2024-03-15
	# a person's login role, password-less over the private cluster's Unix
	# socket (trust); cluster-wide, so a unique name, dropped at teardown
	export BI_ROLE="t_bi_$$_$RANDOM"
	q -d postgres -c "create role \"$BI_ROLE\" login; grant overdue_bi to \"$BI_ROLE\""
}
teardown_file() {
	db_drop
	[[ -n ${BI_ROLE-} ]] && q -d postgres -c "drop role if exists \"$BI_ROLE\"" || true
}

# psql as the BI role
bi() { PGUSER=$BI_ROLE psql -XqAt -v ON_ERROR_STOP=1 "$@"; }

expected() { grep -v '^#' "$TEN/$1"; }

# the rows of a view in the columns of a hand-derived TSV (month first), as TSV
from_view() {	# VIEW FILE [WHERE...]
	local cols
	cols=$(expected "$2" | head -n 1 | tr '\t' '\n' | tail -n +2 | paste -sd, -)
	printf '%s\n' "$(expected "$2" | head -n 1)"
	bi -F $'\t' -c "select to_char(month, 'YYYY-MM'), $cols from mart.$1 ${3-} order by month"
}

@test "the role connects as itself, not as a superuser" {
	if ! run --separate-stderr bi -c 'select current_user, rolsuper from pg_roles where rolname = current_user'; then
		[[ ${PGHOST-} == "$("$OVERDUE_TOP/pipelines/pgctl" sockdir)" ]] &&
			fail "the private cluster refused a password-less login role: $stderr"
		skip "this server wants a password for a new login role"
	fi
	assert_success
	assert_output "$BI_ROLE|f"
}

@test "every view in mart is readable by the login role and has rows" {
	run q -c "select string_agg(table_name, ' ' order by table_name) from information_schema.views where table_schema = 'mart' and table_name like 'bi\_%'"
	assert_output 'bi_breakdown bi_breakdown_by_bucket bi_bucket bi_loans bi_monthly bi_monthly_by_bucket bi_roll bi_vintage'
	views=$(q -c "select table_name from information_schema.views where table_schema = 'mart' order by 1")
	for v in $views; do
		run --separate-stderr bi -c "select count(*) from mart.$v"
		assert_success
		(( output > 0 )) || fail "mart.$v has no rows"
	done
	for t in $(q -c "select tablename from pg_tables where schemaname = 'mart'"); do
		run --separate-stderr bi -c "select count(*) >= 0 from mart.$t"
		assert_success
	done
}

@test "the login role is refused every table of core and staging" {
	rels=$(q -c "select schemaname || '.' || tablename from pg_tables where schemaname in ('core', 'staging') order by 1")
	[[ -n $rels ]]
	for rel in $rels; do
		run --separate-stderr bi -c "select 1 from $rel limit 1"
		assert_failure
		[[ $stderr == *'permission denied'* ]] || fail "$rel: $stderr"
	done
	run --separate-stderr bi -c "select 1 from core.loans_current limit 1"
	assert_failure
}

@test "after a rebuild the views are back, granted and described" {
	build-mart -q --as-of 2024-03-15
	run --separate-stderr bi -c "select count(*) from mart.bi_monthly; select count(*) from mart.bi_loans"
	assert_success
	assert_output $'5\n11'
	# every bi_* view and every one of its columns carries a description
	run q -c "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
	    where n.nspname = 'mart' and c.relkind = 'v' and c.relname like 'bi\_%'
	      and obj_description(c.oid, 'pg_class') is null"
	assert_output ''
	run q -c "select c.relname || '.' || a.attname from pg_class c
	    join pg_namespace n on n.oid = c.relnamespace
	    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
	    where n.nspname = 'mart' and c.relkind = 'v' and c.relname like 'bi\_%'
	      and col_description(c.oid, a.attnum) is null"
	assert_output ''
}

@test "bi_monthly_by_bucket summed over the buckets is the hand-derived monthly series" {
	# the additive columns summed, the share as sum / sum, against expected-monthly.tsv
	want=$(expected expected-monthly.tsv | cut -f1-6,8-12 | tail -n +2)
	run --separate-stderr bi -F $'\t' -c "select to_char(month, 'YYYY-MM'), sum(active_loans),
	    sum(overdue_loans), round(sum(overdue_loans) / nullif(sum(active_loans), 0), 6),
	    sum(outstanding), sum(overdue_outstanding), sum(arrears), sum(dpd_1_30), sum(dpd_31_60),
	    sum(dpd_61_90), sum(dpd_91_plus)
	    from mart.bi_monthly_by_bucket group by month order by month"
	assert_success
	assert_output "$want"
	# 4 buckets for every month of the range
	run bi -c "select count(*), count(distinct month) from mart.bi_monthly_by_bucket"
	assert_output '20|5'
}

@test "bi_monthly has every column of overdue-report's TSV, with its numbers" {
	run --separate-stderr from_view bi_monthly expected-monthly.tsv
	assert_success
	assert_output "$(expected expected-monthly.tsv)"
}

@test "one bucket of bi_monthly_by_bucket is overdue-report --bucket ge500k" {
	run --separate-stderr from_view bi_monthly_by_bucket expected-monthly-ge500k.tsv "where bucket = 'ge500k'"
	assert_success
	assert_output "$(expected expected-monthly-ge500k.tsv)"
}

@test "bucket_sort orders lt50k < 50k-100k < 100k-500k < ge500k (the seed's labels sort wrongly)" {
	run bi -c "select string_agg(bucket, ' ' order by bucket_sort) from (select distinct bucket, bucket_sort from mart.bi_monthly_by_bucket) b"
	assert_output 'lt50k 50k-100k 100k-500k ge500k'
	run bi -c "select string_agg(bucket, ' ' order by bucket_label collate \"C\") from mart.bi_bucket"
	refute_output 'lt50k 50k-100k 100k-500k ge500k'
	# the boundary loans: 49 999.99 in lt50k, 50 000.00 in 50k-100k, 500 000.00 in ge500k
	run bi -c "select string_agg(loan_amount || ' ' || bucket || ' ' || bucket_sort, ',' order by loan_amount)
	    from mart.bi_loans where loan_amount in (49999.99, 50000, 500000)"
	assert_output '49999.99 lt50k 1,50000.00 50k-100k 2,500000.00 ge500k 4'
}

@test "bi_loans: every loan's position, with the client's data masked" {
	run --separate-stderr bi -F $'\t' -c "select client_id, loan_name, loan_amount, status, dpd, dpd_bucket, arrears, outstanding
	    from mart.bi_loans order by client_id, loan_name"
	assert_success
	assert_output "$(expected expected-loans.tsv | tail -n +2)"
	run bi -c "select fio, passport, phone, address from mart.bi_loans where client_id = 3"
	assert_output 'Тестов3 И. П.|453|0003|г. Тестоград'
}

@test "bi_breakdown is overdue-report --by, with sort keys" {
	run bi -F $'\t' -c "select value, active_loans, overdue_loans, overdue_share from mart.bi_breakdown where attribute = 'region' order by value_sort"
	# Казань: T-01 closed, T-04 od, T-07 current, T-10 not started; Москва: T-03, T-06, T-09 od;
	# unknown: T-02 od, T-11 current (T-05, T-08 closed)
	assert_output $'Казань\t2\t1\t0.500000\nМосква\t3\t3\t1.000000\nunknown\t2\t1\t0.500000'
	run bi -c "select string_agg(distinct attribute_sort || attribute, ' ' order by attribute_sort || attribute) from mart.bi_breakdown"
	assert_output '1gender 2age_band 3education 4count_of_children 5job_type 6family_status 7region'
	# the per-bucket rows add up to the whole
	run bi -c "select count(*) from mart.bi_breakdown w join (select attribute, value, sum(active_loans) a, sum(overdue_loans) o
	    from mart.bi_breakdown_by_bucket group by 1, 2) b using (attribute, value) where (w.active_loans, w.overdue_loans) is distinct from (b.a, b.o)"
	assert_output 0
}

@test "bi_roll is the hand-derived roll matrix, zeros included" {
	run --separate-stderr bi -F $'\t' -c "select to_char(month, 'YYYY-MM'), from_bucket, max(from_loans),
	    sum(loans) filter (where to_sort = 0), sum(loans) filter (where to_sort = 1),
	    sum(loans) filter (where to_sort = 2), sum(loans) filter (where to_sort = 3),
	    sum(loans) filter (where to_sort = 4), sum(loans) filter (where to_sort = 5)
	    from mart.bi_roll group by month, from_bucket, from_sort order by month, from_sort"
	assert_success
	assert_output "$(expected expected-roll.tsv | tail -n +2)"
	run bi -c "select share, worse from mart.bi_roll where month = '2024-03-01' and from_bucket = '1-30' and to_state = '31-60'"
	assert_output '0.250000|t'
}

@test "bi_vintage is the hand-derived vintage curve" {
	run --separate-stderr bi -F $'\t' -c "select to_char(vintage, 'YYYY-MM'), months_on_book, loans, ever30_loans, ever30_share
	    from mart.bi_vintage order by vintage, months_on_book"
	assert_success
	assert_output "$(expected expected-vintage.tsv | tail -n +2)"
}

# make dashboard / make svg on this database, with the programs of this build
# (-o: never rebuild them here), writing into the test's folder
mk() {
	make -s -C "$OVERDUE_TOP" B="${OVERDUE_BIN%/bin}" -o "$OVERDUE_BIN/overdue-report" "$@"
}

@test "make dashboard writes the page whole and prints its file:// URL" {
	d=$BATS_TEST_TMPDIR/out
	mkdir "$d"
	run --separate-stderr mk dashboard DASHBOARD="$d/dashboard.html" BUCKET=50k-100k
	assert_success
	assert_output "dashboard: file://$d/dashboard.html"
	run grep -c '</html>' "$d/dashboard.html"
	assert_output 1
	run ls -A "$d"
	assert_output dashboard.html
	# a failing report leaves the page as it was, and no temporary file
	cp "$d/dashboard.html" "$BATS_TEST_TMPDIR/before"
	run --separate-stderr mk dashboard DASHBOARD="$d/dashboard.html" BUCKET=no-such-bucket
	assert_failure
	cmp "$BATS_TEST_TMPDIR/before" "$d/dashboard.html"
	run ls -A "$d"
	assert_output dashboard.html
}

@test "make svg CHART=NAME writes chart-NAME.svg; an unknown chart is a usage error" {
	run --separate-stderr mk svg CHART=share CHART_DIR="$BATS_TEST_TMPDIR"
	assert_success
	assert_output "svg: file://$BATS_TEST_TMPDIR/chart-share.svg"
	run grep -c '<svg' "$BATS_TEST_TMPDIR/chart-share.svg"
	assert_success
	run --separate-stderr mk svg CHART=pie CHART_DIR="$BATS_TEST_TMPDIR"
	assert_failure
	[[ $stderr == *'make svg: give CHART= one of: share late buckets par vintage roll cure'* ]]
}
