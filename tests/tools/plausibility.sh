#!/usr/bin/env bash
# tests/tools/plausibility.sh DIR AS_OF -- is gen-clients' data believable?
# Reads DIR/{clients,loans,payments}.json (seed format, e.g. from
# `gen-clients -n 10000 --seed 1 --as-of 2024-06-30 -o DIR`) with jq and awk
# only (never the generator's own code) and prints, as of AS_OF:
#   - loans by status (not_started/closed/current/overdue, SPEC §5) and the
#     share of active loans that are overdue;
#   - the distribution of terms and of amounts (seed buckets, quantiles);
#   - the overdue share by job_type, education, age band and income band.
# A loan is overdue when the sum of installments due before AS_OF exceeds
# the sum paid on or before AS_OF (paid_fact_amount with fact date <= AS_OF).
set -euo pipefail
dir=${1:?usage: plausibility.sh DIR AS_OF}
asof=${2:?usage: plausibility.sh DIR AS_OF}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

jq -r '.[] | [.client_id, .job_type, .education, .birth_date, .income] | @tsv' \
    "$dir/clients.json" > "$tmp/clients"
jq -r '.[] | [.client_id, .loan_name, .loan_amount, .loan_start_date,
    .payment_numbers, .paid_amount] | @tsv' "$dir/loans.json" > "$tmp/loans"
jq -r --arg d "$asof" '.[] | select(.payment_fact_date != null and .payment_fact_date <= $d)
    | [.client_id, .loan_name, (.paid_fact_amount // 0)] | @tsv' \
    "$dir/payments.json" > "$tmp/paid"

# due(D): installments k with add_months(start, k-1) < D, in whole kopecks
awk -F'\t' -v asof="$asof" '
function dim(y, m) { return m == 2 ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28) : \
    (m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31) }
function due(start, k,    y, m, d, i) {
	y = substr(start, 1, 4) + 0; m = substr(start, 6, 2) + 0; d = substr(start, 9, 2) + 0
	i = y * 12 + m - 1 + k - 1; y = int(i / 12); m = i % 12 + 1
	if (d > dim(y, m)) d = dim(y, m)
	return sprintf("%04d-%02d-%02d", y, m, d)
}
function kop(x) { return int(x * 100 + (x < 0 ? -0.5 : 0.5)) }
FILENAME ~ /clients$/ { job[$1] = $2; edu[$1] = $3; birth[$1] = $4; inc[$1] = $5; next }
FILENAME ~ /paid$/ { paid[$1 SUBSEP $2] += kop($3); next }
{
	key = $1 SUBSEP $2; n = $5; a = kop($6); nd = 0
	for (k = 1; k <= n; k++) if (due($4, k) < asof) nd++
	total = n * a; dueamt = nd * a; p = paid[key] + 0
	if ($4 > asof) st = "not_started"
	else if (total - p <= 0) st = "closed"
	else if (dueamt - p > 0) st = "overdue"
	else st = "current"
	print $1 "\t" $2 "\t" $3 "\t" n "\t" st "\t" job[$1] "\t" edu[$1] "\t" birth[$1] "\t" inc[$1]
}' "$tmp/clients" "$tmp/paid" "$tmp/loans" > "$tmp/status"

echo "== loans by status as of $asof"
cut -f5 "$tmp/status" | sort | uniq -c
awk -F'\t' '$5 == "overdue" { o++ } $5 == "overdue" || $5 == "current" { a++ }
    END { printf "overdue share of active loans: %d / %d = %.1f %%\n", o, a, 100 * o / a }' "$tmp/status"

echo "== terms (payment_numbers)"
cut -f4 "$tmp/status" | sort -n | uniq -c | sort -k2n | awk '{ printf "%s:%s ", $2, $1 } END { print "" }'
echo "== amounts: seed buckets and quantiles (roubles)"
awk -F'\t' '{ b = $3 < 50000 ? "lt50k" : $3 < 100000 ? "50k-100k" : $3 < 500000 ? "100k-500k" : "ge500k"; c[b]++; n++ }
    END { for (b in c) printf "%-10s %6d %5.1f %%\n", b, c[b], 100 * c[b] / n }' "$tmp/status" | sort
cut -f3 "$tmp/status" | sort -n | awk '{ v[NR] = $1 } END {
    printf "min %s  p10 %s  p25 %s  median %s  p75 %s  p90 %s  max %s\n",
    v[1], v[int(NR * .1) + 1], v[int(NR * .25) + 1], v[int(NR * .5) + 1], v[int(NR * .75) + 1],
    v[int(NR * .9) + 1], v[NR] }'

by() {	# by TITLE COLUMN-EXPRESSION
	echo "== overdue share of active loans by $1"
	awk -F'\t' -v asof="$asof" "
	function age(b,    y) { y = substr(asof, 1, 4) - substr(b, 1, 4); if (substr(asof, 6, 5) < substr(b, 6, 5)) y--; return y }
	function band(a) { return a < 18 ? \"other\" : a <= 25 ? \"18-25\" : a <= 35 ? \"26-35\" : a <= 45 ? \"36-45\" : a <= 60 ? \"46-60\" : a <= 75 ? \"61-75\" : \"other\" }
	function ib(x) { return x < 40000 ? \"a <40k\" : x < 80000 ? \"b 40-80k\" : x < 150000 ? \"c 80-150k\" : \"d >=150k\" }
	\$5 == \"overdue\" || \$5 == \"current\" { v = $2; act[v]++; if (\$5 == \"overdue\") o[v]++ }
	END { for (v in act) printf \"  %-20s %6d active %5.1f %% overdue\n\", v, act[v], 100 * o[v] / act[v] }" "$tmp/status" | sort
}
by job_type '$6'
by education '$7'
by "age band at $asof" 'band(age($8))'
by "income band" 'ib($9)'
