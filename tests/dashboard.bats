#!/usr/bin/env bats
# The dashboard (overdue-report --format html) in a real browser: Debian's
# chromium, headless.  Two marts built through the real load path -- the
# hand-checked ten-loan fixture and a generated 300-client portfolio with
# hostile client texts -- and for each page the KPI tiles' data-value equal
# the as-of month's row of `overdue-report --format tsv` for the same filter
# (no filter, one bucket, two buckets, a min/max range).  Then: the hostile
# texts stay text, the file reaches no other host, and a person clicking and
# typing sees the tiles and the URL fragment follow.  web/README.md is the
# page's contract.  Needs chromium (pipelines/deps --browser installs it;
# without it every test here is skipped, saying so) and, for the tests that
# drive the page, playwright-core in tests/browser/node_modules.

load helpers

TEN=$FIXTURES/ten-loans
BROWSER=$OVERDUE_TOP/tests/browser
CHROMIUM=${OVERDUE_CHROMIUM:-/usr/bin/chromium}
AS_OF=2024-03-15
MONTH=2024-03
KPIS='active_loans overdue_loans overdue_share outstanding overdue_outstanding arrears par30_share par90_share issued_amount'
# The issue's hostile client name, put in the region (it reaches the page
# unmasked: the by-attribute table and the overdue-loans table), and a
# whitespace-free variant as a surname (the mart keeps the surname whole,
# sql/mart/client.sql).  Each would set window.__xss if the page ran it.
HOSTILE='</script><img src=x onerror="window.__xss=1">'
HOSTILE_FIO='</script><svg/onload=window.__xss=1;document.documentElement.dataset.xss=1>'

setup_file() {
	export DB_TEN=t_dashboard_ten_$$ DB_GEN=t_dashboard_gen_$$
	export PAGES=$BATS_FILE_TMPDIR
	local db
	for db in "$DB_TEN" "$DB_GEN"; do
		psql -d postgres -XqAtc "drop database if exists \"$db\"" >/dev/null 2>&1 || true
		psql -d postgres -Xqc "create database \"$db\"" >/dev/null
	done

	export PGDATABASE=$DB_TEN
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	"$OVERDUE_TOP/pipelines/load-part" "$TEN" 2>/dev/null
	build-mart -q --as-of "$AS_OF"
	overdue-report --format html >"$PAGES/ten.html"

	# the generated portfolio, with hostile texts in every 10th client
	local gen=$BATS_FILE_TMPDIR/gen
	gen-clients -n 300 --seed 7 --as-of "$AS_OF" --start-date 2021-01-01 -o "$gen.raw"
	mkdir -p "$gen"
	cp "$gen.raw/loans.json" "$gen.raw/payments.json" "$gen/"
	jq --arg h "$HOSTILE" --arg f "$HOSTILE_FIO" '
	    map(if .client_id % 10 == 3 then .region = $h
	        elif .client_id % 10 == 7 then .fio = ($f + " Иван Петрович")
	        else . end)' "$gen.raw/clients.json" >"$gen/clients.json"
	export PGDATABASE=$DB_GEN
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	"$OVERDUE_TOP/pipelines/load-part" "$gen" 2>/dev/null
	build-mart -q --as-of "$AS_OF"
	overdue-report --format html >"$PAGES/gen.html"
	overdue-report --format html --min-amount 75000 --max-amount 250000 >"$PAGES/gen-init.html"
	unset PGDATABASE
}
teardown_file() {
	local db
	for db in "${DB_TEN-}" "${DB_GEN-}"; do
		[[ $db == t_dashboard_* ]] || continue
		psql -d postgres -XqAtc "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || true
	done
}

need_chromium() {
	[[ -x $CHROMIUM ]] || skip "chromium not available (pipelines/deps --browser installs it)"
}
need_playwright() {
	need_chromium
	command -v node >/dev/null || skip "node not available (pipelines/deps --browser installs it)"
	[[ -f $BROWSER/node_modules/playwright-core/package.json ]] ||
		skip "playwright-core not installed (pipelines/deps --browser runs npm ci in tests/browser)"
}

# dump FILE [HASH] -- the DOM after the page's scripts ran, as the issue
# says: plain chromium, headless, a fresh profile, virtual time.
dump() {
	local prof
	prof=$(mktemp -d "$BATS_TEST_TMPDIR/profile.XXXXXX")
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
	    --disable-component-update --no-first-run --user-data-dir="$prof" \
	    --virtual-time-budget=10000 --dump-dom "file://$1${2:+#$2}" 2>"$prof.stderr"
}

# The KPI tiles of a dumped DOM: name<TAB>data-value, sorted by name
# ("(none)" when a tile has no data-value).
dom_tiles() {
	grep -o '<[^>]* data-kpi="[^"]*"[^>]*>' <<<"$1" | awk '{
		k = $0; sub(/.* data-kpi="/, "", k); sub(/".*/, "", k)
		v = "(none)"
		if (match($0, / data-value="[^"]*"/)) v = substr($0, RSTART + 13, RLENGTH - 14)
		print k "\t" v }' | LC_ALL=C sort
}
# The <html> start tag of a dumped DOM.
html_tag() { grep -o '<html[^>]*>' <<<"$1" | head -n 1; }

# tsv_kpis DB [report options] -- the KPIs of the as-of month's row of
# overdue-report --format tsv (columns found by name in the header),
# name<TAB>value sorted by name.
tsv_kpis() {
	local db=$1; shift
	PGDATABASE=$db overdue-report --format tsv "$@" | awk -F'\t' -v m="$MONTH" -v want="$KPIS" '
	    NR == 1 {
		for (i = 1; i <= NF; i++) col[$i] = i
		n = split(want, w, " ")
		for (j = 1; j <= n; j++)
			if (!(w[j] in col)) { print "tsv: no column " w[j] > "/dev/stderr"; bad = 1 }
		next
	    }
	    $1 == m { for (j = 1; j <= n; j++) print w[j] "\t" $(col[w[j]]); found = 1 }
	    END {
		if (!found) print "tsv: no row for " m > "/dev/stderr"
		exit (bad || !found)
	    }' | LC_ALL=C sort
	local st=("${PIPESTATUS[@]}")
	((st[0] == 0 && st[1] == 0 && st[2] == 0))
}

# The lines tiles.mjs / person.mjs print for the KPIs only, sorted.
only_kpis() { awk -F'\t' -v want="$KPIS" 'BEGIN {n = split(want, w, " "); for (j = 1; j <= n; j++) k[w[j]] = 1} ($1 in k)' | LC_ALL=C sort; }

# check_tiles PAGE DB HASH [report options] -- the tiles chromium shows
# for PAGE#HASH equal the TSV for the options; the page is ready, no error.
check_tiles() {
	local page=$1 db=$2 hash=$3; shift 3
	local want dom
	want=$(tsv_kpis "$db" "$@")
	[[ -n $want ]]
	run --separate-stderr dump "$PAGES/$page" "$hash"
	assert_success
	dom=$output
	run html_tag "$dom"
	assert_output --regexp ' data-ready="1"'
	refute_output --partial 'data-error'
	run dom_tiles "$dom"
	assert_output "$want"
}

# --- tiles against the TSV, plain chromium --dump-dom ---------------------

@test "ten loans, no filter: tiles equal the TSV, data-ready set, no data-error" {
	need_chromium
	check_tiles ten.html "$DB_TEN" ''
}

@test "ten loans, #bucket=50k-100k: tiles equal --bucket 50k-100k" {
	need_chromium
	check_tiles ten.html "$DB_TEN" 'bucket=50k-100k' --bucket 50k-100k
}

@test "ten loans, #bucket=lt50k,50k-100k: tiles equal --max-amount 99999.99" {
	need_chromium
	check_tiles ten.html "$DB_TEN" 'bucket=lt50k,50k-100k' --max-amount 99999.99
}

@test "ten loans, #min=75000&max=250000: tiles equal --min-amount 75000 --max-amount 250000" {
	need_chromium
	check_tiles ten.html "$DB_TEN" 'min=75000&max=250000' --min-amount 75000 --max-amount 250000
}

@test "generated portfolio, no filter: tiles equal the TSV" {
	need_chromium
	check_tiles gen.html "$DB_GEN" ''
}

@test "generated portfolio, #bucket=50k-100k: tiles equal --bucket 50k-100k" {
	need_chromium
	check_tiles gen.html "$DB_GEN" 'bucket=50k-100k' --bucket 50k-100k
}

@test "generated portfolio, #bucket=lt50k,50k-100k: tiles equal --max-amount 99999.99" {
	need_chromium
	check_tiles gen.html "$DB_GEN" 'bucket=lt50k,50k-100k' --max-amount 99999.99
}

@test "generated portfolio, #min=75000&max=250000: tiles equal --min-amount 75000 --max-amount 250000" {
	need_chromium
	check_tiles gen.html "$DB_GEN" 'min=75000&max=250000' --min-amount 75000 --max-amount 250000
}

@test "two buckets: counts and money are the sums of the two buckets' TSVs, the share is Σ overdue / Σ active" {
	need_chromium
	local a b
	a=$(tsv_kpis "$DB_GEN" --bucket lt50k)
	b=$(tsv_kpis "$DB_GEN" --bucket 50k-100k)
	# integers only: money to kopecks, the share rounded half up to 6 decimals
	want=$(printf '%s\n%s\n' "$a" "$b" | awk -F'\t' '
	    function k(s) { if (s !~ /\./) return s * 100; sub(/\./, "", s); return s + 0 }
	    $1 ~ /_loans$/ { n[$1] += $2 }
	    $1 ~ /^(outstanding|overdue_outstanding|arrears|issued_amount)$/ { m[$1] += k($2) }
	    END {
		for (x in n) printf "%s\t%.0f\n", x, n[x]	# (mawk: %d stops at 2^31)
		for (x in m) printf "%s\t%.0f.%02d\n", x, int(m[x] / 100), m[x] % 100
		num = n["overdue_loans"]; den = n["active_loans"]
		if (den == 0) print "overdue_share\t"
		else { q = int((2 * num * 1000000 + den) / (2 * den)); printf "overdue_share\t%d.%06d\n", int(q / 1000000), q % 1000000 }
	    }' | LC_ALL=C sort)
	run --separate-stderr dump "$PAGES/gen.html" 'bucket=lt50k,50k-100k'
	assert_success
	run bash -c 'grep -vE "^(par30_share|par90_share)\b"' <<<"$(dom_tiles "$output")"
	assert_output "$want"
}

@test "no hash: the filter given to overdue-report --format html applies" {
	need_chromium
	check_tiles gen-init.html "$DB_GEN" '' --min-amount 75000 --max-amount 250000
}

# --- hostile texts, other hosts ---------------------------------------------

@test "the hostile client texts stay text: nothing ran, nothing was injected" {
	need_chromium
	# the texts are in the mart, so they reach the page's data
	run q -d "$DB_GEN" -c "select count(*) from mart.client where region = \$\$$HOSTILE\$\$"
	assert_output 30
	run q -d "$DB_GEN" -c "select count(*) from mart.client where fio like \$\$$HOSTILE_FIO%\$\$"
	assert_output 30
	run --separate-stderr dump "$PAGES/gen.html"
	assert_success
	dom=$output
	run html_tag "$dom"
	assert_output --regexp ' data-ready="1"'
	refute_output --partial 'data-error'
	refute_output --partial 'data-xss'
	# shown as text, escaped in the serialized DOM ...
	[[ $dom == *'&lt;/script&gt;&lt;img src=x onerror="window.__xss=1"&gt;'* ]]
	# ... and never as an element
	run grep -ciE '<img[^>]*onerror|<svg[^>]*onload' <<<"$dom"
	assert_output 0
}

@test "playwright: window.__xss stays unset, no script error, no request leaves the file" {
	need_playwright
	run --separate-stderr timeout 120 node "$BROWSER/tiles.mjs" "$PAGES/gen.html"
	assert_success
	assert_line $'ready\t1'
	assert_line $'error\t'
	assert_line $'xss\tunset'
	refute_line --regexp '^(request|pageerror|console|dialog)'$'\t'
	# a hostile fragment is data too
	run --separate-stderr timeout 120 node "$BROWSER/tiles.mjs" "$PAGES/gen.html" \
	    'bucket=%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E&min=%3Csvg/onload=window.__xss=1%3E'
	assert_success
	assert_line $'xss\tunset'
	refute_line --regexp '^(request|dialog)'$'\t'
}

@test "the file holds no URL of another host and loads nothing from outside" {
	local f
	for f in "$PAGES/ten.html" "$PAGES/gen.html"; do
		[[ -s $f ]]
		run grep -Eo '[a-z][a-z0-9+.-]*://[^"'"'"' )<>]*' "$f"
		assert_output ''
		# src=/href= attributes and CSS url(): only data: or #fragment
		run bash -c 'grep -Eio "\b(src|href)=(\"[^\"]*\"|'"'"'[^'"'"']*'"'"'|[^ >\"'"'"']+)" "$1" | grep -Eiv "=[\"'"'"']?(data:|#|\$)"' _ "$f"
		assert_output ''
		# (CSS url() is lower case; JS's URL.createObjectURL( is not one)
		run bash -c 'grep -Eo "\burl\([^)]*\)" "$1" | grep -Ev "url\([\"'"'"']?(data:|#)"' _ "$f"
		assert_output ''
		# no <link>, no external script, no <iframe>/<object>/<embed>
		run grep -ciE '<(link|iframe|object|embed)\b|<script[^>]*\bsrc=' "$f"
		assert_output 0
	done
}

# --- a person with a mouse and a keyboard -----------------------------------

# section NAME -- the lines person.mjs printed for step NAME
section() { awk -F'\t' -v s="$1" '$1 == "step" {on = ($2 == s); next} on' <<<"$output"; }
# hash_has HASH PARAM=VALUE...: the fragment holds each pair
hash_has() {
	local h=${1#\#} p; shift
	for p in "$@"; do
		tr '&' '\n' <<<"$h" | grep -qxF "$p" || { echo "hash '#$h' lacks $p" >&2; return 1; }
	done
}

@test "a person clicks a bucket toggle and types a range: the tiles and the URL follow" {
	need_playwright
	local shots=$BATS_TEST_TMPDIR/shots s
	run --separate-stderr timeout 180 node "$BROWSER/person.mjs" "$PAGES/gen.html" "$shots"
	assert_success
	refute_line --regexp '^(request|pageerror|console|dialog)'$'\t'

	local whole one range
	whole=$(tsv_kpis "$DB_GEN")
	one=$(tsv_kpis "$DB_GEN" --bucket 50k-100k)
	range=$(tsv_kpis "$DB_GEN" --min-amount 75000 --max-amount 250000)

	s=$(section default)
	assert_equal "$(only_kpis <<<"$s")" "$whole"
	assert_equal "$(grep $'^hash\t' <<<"$s")" $'hash\t'
	assert_equal "$(grep $'^pressed\t' <<<"$s")" $'pressed\t'
	grep -qE $'^render_ms\t[0-9]+(\\.[0-9]+)?$' <<<"$s"

	s=$(section bucket)
	assert_equal "$(only_kpis <<<"$s")" "$one"
	assert_equal "$(grep $'^pressed\t' <<<"$s")" $'pressed\t50k-100k'
	hash_has "$(grep $'^hash\t' <<<"$s" | cut -f2)" bucket=50k-100k
	grep -qx $'ready\t1' <<<"$s"
	grep -qx $'error\t' <<<"$s"
	grep -qE $'^filter_ms\t[0-9]+(\\.[0-9]+)?$' <<<"$s"

	s=$(section none)
	assert_equal "$(only_kpis <<<"$s")" "$whole"

	s=$(section range)
	assert_equal "$(only_kpis <<<"$s")" "$range"
	hash_has "$(grep $'^hash\t' <<<"$s" | cut -f2)" min=75000 max=250000
	grep -qx $'xss\tunset' <<<"$s"

	# the screenshots: PNGs, and the filtered view looks different
	for s in default bucket range; do
		run od -An -tx1 -N8 "$shots/$s.png"
		assert_output ' 89 50 4e 47 0d 0a 1a 0a'
		(($(stat -c %s "$shots/$s.png") > 10000))
	done
	run cmp -s "$shots/default.png" "$shots/bucket.png"
	assert_failure
	if [[ -n ${OVERDUE_SHOTS-} ]]; then
		mkdir -p "$OVERDUE_SHOTS"
		cp "$shots"/*.png "$OVERDUE_SHOTS/"
	fi
}
