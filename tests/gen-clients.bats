#!/usr/bin/env bats
# gen-clients: options and errors, determinism, the seed's format, the
# tagged NDJSON stream, the schedule and value rules of the issue.
# Expected values come from the seed sample and from independent jq/awk
# computations, never from the generator's own output.

load helpers

SEED_RAW=${SEED_RAW:-/tmp/seed/seed-n20/raw_files}

setup_file() {
	# the seed's 20-client sample: field names and order to compare with
	export SEEDDIR=$BATS_FILE_TMPDIR/seed
	mkdir -p "$SEEDDIR"
	if [[ -f $SEED_RAW/clients.json ]]; then
		cp "$SEED_RAW"/*.json "$SEEDDIR"/
	else
		tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$BATS_FILE_TMPDIR"
		cp "$BATS_FILE_TMPDIR"/seed-n20/raw_files/*.json "$SEEDDIR"/
	fi
	export GEN=$BATS_FILE_TMPDIR/gen
	gen-clients -n 300 --seed 1 --as-of 2024-06-30 -o "$GEN"
	export LC_ALL=C.UTF-8
}

keys() { jq -c '[.[] | keys_unsorted] | unique | .[]' "$1"; }

@test "same seed and options give identical bytes; another seed differs" {
	run -0 bash -c 'gen-clients -n 100 --seed 1 --as-of 2024-06-30 | sha256sum'
	first=$output
	run -0 bash -c 'gen-clients -n 100 --seed 1 --as-of 2024-06-30 | sha256sum'
	assert_equal "$output" "$first"
	run -0 bash -c 'gen-clients -n 100 --seed 2 --as-of 2024-06-30 | sha256sum'
	[[ $output != "$first" ]]
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/a"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/b"
	run -0 diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "a client does not depend on how many come before or after it" {
	run -0 bash -c 'gen-clients -n 30 --seed 5 --as-of 2024-06-30 | sha256sum'
	small=$output
	run -0 bash -c "gen-clients -n 60 --seed 5 --as-of 2024-06-30 |
	    awk '{ match(\$0, /\"client_id\":[0-9]+/) } substr(\$0, RSTART + 12, RLENGTH - 12) + 0 <= 30' | sha256sum"
	assert_equal "$output" "$small"
}

@test "--as-of given: output does not depend on the clock" {
	# a clock in 2031: time() and clock_gettime() interposed with LD_PRELOAD
	command -v cc >/dev/null || skip "no C compiler for the clock shim"
	cat > "$BATS_TEST_TMPDIR/clock.c" <<'C'
#include <time.h>
time_t time(time_t *t) { if (t) *t = 1924992000; return 1924992000; }
int clock_gettime(clockid_t c, struct timespec *ts) { (void)c; ts->tv_sec = 1924992000; ts->tv_nsec = 0; return 0; }
C
	cc -shared -fPIC -o "$BATS_TEST_TMPDIR/clock.so" "$BATS_TEST_TMPDIR/clock.c"
	shim() { LD_PRELOAD=$BATS_TEST_TMPDIR/clock.so ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 "$@"; }
	# the shim works: without --as-of, loans now start up to 2031
	run -0 bash -c "$(declare -f shim); shim gen-clients -n 200 | jq -r 'select(._entity == \"loan\") | .loan_start_date' | sort | tail -1"
	[[ $output > 2026-12-31 ]]
	run -0 bash -c 'gen-clients -n 50 --as-of 2024-06-30 | sha256sum'
	a=$output
	run -0 bash -c "$(declare -f shim); shim gen-clients -n 50 --as-of 2024-06-30 | sha256sum"
	assert_equal "$output" "$a"
}

@test "without --as-of the export date is today" {
	today=$(date +%F)
	run -0 bash -c "gen-clients -n 50 | jq -r 'select(._entity == \"payment\") | .payment_fact_date' | sort | tail -1"
	[[ $output < "$today" || $output == "$today" ]]
	run -0 bash -c "gen-clients -n 50 | jq -r 'select(._entity == \"loan\") | .loan_start_date' | sort | tail -1"
	[[ $output < "$today" || $output == "$today" ]]
}

@test "-o writes the seed's three files with the seed's fields in the seed's order" {
	for f in clients loans payments; do
		[[ -f $GEN/$f.json ]]
		run -0 keys "$GEN/$f.json"
		mine=$output
		run -0 keys "$SEEDDIR/$f.json"
		# clients carry one field more than the seed's, after the seed's: email
		[[ $f != clients ]] || output=$(jq -c '. + ["email"]' <<<"$output")
		assert_equal "$mine" "$output"
		[[ ${#lines[@]} -eq 1 ]]	# one key list, the same in every record
	done
	run -0 jq length "$GEN/clients.json"
	assert_output 300
}

@test "-o layout: indent 2, no space after the colon, UTF-8 unescaped, like the seed" {
	run -0 head -c 40 "$GEN/clients.json"
	assert_output --regexp '^\[
  \{
    "client_id":1,
    "fio":"'
	run -1 grep -c '\\u' "$GEN/clients.json"
	assert_output 0
	# the seed ends with "]" and no newline; so do we
	assert_equal "$(tail -c 3 "$GEN/loans.json" | od -An -c | tr -d ' ')" '}\n]'
	assert_equal "$(tail -c 3 "$SEEDDIR/loans.json" | od -An -c | tr -d ' ')" '}\n]'
	# no temporary files left behind
	run -0 ls -A "$GEN"
	assert_output $'clients.json\nloans.json\npayments.json'
}

@test "NDJSON stream: tags first, seed fields in order, client/loan/payment nesting" {
	run -0 bash -c "gen-clients -n 40 --as-of 2024-06-30 | jq -c 'keys_unsorted' | sort -u"
	c=$(jq -c '.[0] | ["_entity"] + keys_unsorted + ["email"]' "$SEEDDIR/clients.json")
	l=$(jq -c '.[0] | ["_entity"] + keys_unsorted' "$SEEDDIR/loans.json")
	p=$(jq -c '.[0] | ["_entity"] + keys_unsorted' "$SEEDDIR/payments.json")
	assert_equal "$output" "$(printf '%s\n' "$c" "$l" "$p" | sort -u)"
	# the order: client i, then each loan followed by its payments; ids 1..N
	gen-clients -n 40 --as-of 2024-06-30 > "$BATS_TEST_TMPDIR/s"
	run -0 awk '
	    { match($0, /"_entity":"[a-z]+"/); e = substr($0, RSTART + 11, RLENGTH - 12)
	      match($0, /"client_id":[0-9]+/); id = substr($0, RSTART + 12, RLENGTH - 12) + 0 }
	    e == "client" { if (id != last + 1) bad = bad " client " id; last = id; cur = id; loan = ""; next }
	    e == "loan" { if (id != cur) bad = bad " loan-of " id; match($0, /"loan_name":"[^"]*"/); loan = substr($0, RSTART, RLENGTH); next }
	    e == "payment" { if (id != cur || index($0, loan) == 0) bad = bad " payment " NR; next }
	    { bad = bad " tag " NR }
	    END { print (bad == "" ? "ok " last : bad) }' "$BATS_TEST_TMPDIR/s"
	assert_output "ok 40"
	# the stream carries the same records as -o writes
	gen-clients -n 40 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/d"
	run -0 bash -c "jq -c 'select(._entity == \"payment\") | del(._entity)' '$BATS_TEST_TMPDIR/s' | sha256sum"
	a=$output
	run -0 bash -c "jq -c '.[]' '$BATS_TEST_TMPDIR/d/payments.json' | sha256sum"
	assert_equal "$output" "$a"
}

@test "loans: 1-5 per client, term 3-60, amount 10 000-1 000 000, unique names" {
	run -0 jq -r '[group_by(.client_id)[] | length] | "\(min) \(max)"' "$GEN/loans.json"
	assert_output "1 5"
	run -0 jq -r '[.[].client_id] | unique | length' "$GEN/loans.json"
	assert_output 300
	run -0 jq '[.[] | select(.payment_numbers < 3 or .payment_numbers > 60
	    or .loan_amount < 10000 or .loan_amount > 1000000)] | length' "$GEN/loans.json"
	assert_output 0
	run -0 jq '[.[] | select(.loan_name | test("^[A-Z]{3}-[0-9]{5}$") | not)] | length' "$GEN/loans.json"
	assert_output 0
	run -0 jq '[group_by(.client_id)[] | select(([.[].loan_name] | unique | length) != length)] | length' "$GEN/loans.json"
	assert_output 0
	run -0 jq '[.[] | select(.loan_start_date < "2010-01-01" or .loan_start_date > "2024-06-30")] | length' "$GEN/loans.json"
	assert_output 0
}

# add_months(date, k) with the day clamped, in awk (independent of lib/date.c)
AWK_DUE='
function dim(y, m) { return m == 2 ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31) }
function addm(s, k,   y, m, d, i) { y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	i = y * 12 + m - 1 + k; y = int(i / 12); m = i % 12 + 1; if (d > dim(y, m)) d = dim(y, m)
	return sprintf("%04d-%02d-%02d", y, m, d) }'

@test "loan_end_date is the due date of the last installment (clamped add_months)" {
	run -0 bash -c "jq -r '.[] | [.loan_start_date, .payment_numbers, .loan_end_date] | @tsv' '$GEN/loans.json' |
	    awk -F'\t' '$AWK_DUE { if (addm(\$1, \$2 - 1) != \$3) { print \"bad\", \$0; n++ } } END { print n + 0, NR }'"
	assert_output --regexp '^0 [0-9]+$'
}

@test "payments: due date of installment k is add_months(start, k-1); number within 1..n; in order" {
	run -0 bash -c "jq -r --slurpfile l '$GEN/loans.json' '
	    (\$l[0] | map({key: \"\(.client_id)/\(.loan_name)\", value: .}) | from_entries) as \$m |
	    .[] | \$m[\"\(.client_id)/\(.loan_name)\"] as \$x |
	    [.payment_number, \$x.payment_numbers, \$x.loan_start_date, .payment_date] | @tsv' '$GEN/payments.json' |
	    awk -F'\t' '$AWK_DUE { if (\$1 < 1 || \$1 > \$2 || addm(\$3, \$1 - 1) != \$4) { print \"bad\", \$0; n++ } } END { print n + 0 }'"
	assert_output 0
	run -0 jq '[group_by([.client_id, .loan_name])[] | select(([.[].payment_number] | unique) != [.[].payment_number])] | length' "$GEN/payments.json"
	assert_output 0
	# every payment belongs to a generated loan
	run -0 bash -c "jq -r '.[] | \"\(.client_id)/\(.loan_name)\"' '$GEN/payments.json' | sort -u > '$BATS_TEST_TMPDIR/p';
	    jq -r '.[] | \"\(.client_id)/\(.loan_name)\"' '$GEN/loans.json' | sort -u > '$BATS_TEST_TMPDIR/l';
	    comm -23 '$BATS_TEST_TMPDIR/p' '$BATS_TEST_TMPDIR/l' | wc -l"
	assert_output 0
}

@test "nothing after the as-of date: no fact date, no due date; fact dates not before the start" {
	run -0 jq '[.[] | select(.payment_fact_date > "2024-06-30" or .payment_date > "2024-06-30"
	    or .payment_fact_date == null or .paid_fact_amount == null or .paid_fact_amount <= 0)] | length' "$GEN/payments.json"
	assert_output 0
}

@test "money: at most 2 decimals everywhere, paid_amount is an annuity above amount/n" {
	for f in clients loans payments; do
		run -0 bash -c "grep -E '\"(income|loan_amount|paid_amount|paid_fact_amount)\":' '$GEN/$f.json' | grep -vcE ':-?[0-9]+(\\.[0-9]{1,2})?,?\$' || true"
		assert_output 0
	done
	# interest makes the installment larger than amount/n but the total at most 2.5x the amount
	run -0 jq '[.[] | select(.paid_amount * .payment_numbers < .loan_amount
	    or .paid_amount * .payment_numbers > 2.5 * .loan_amount)] | length' "$GEN/loans.json"
	assert_output 0
}

@test "behaviours: late, partial, missed, early payoff and default all occur" {
	# late: paid after the due date
	run -0 jq '[.[] | select(.payment_fact_date > .payment_date)] | length' "$GEN/payments.json"
	(( output > 0 ))
	# partial: less than the installment
	run -0 jq --slurpfile l "$GEN/loans.json" '($l[0] | map({key: "\(.client_id)/\(.loan_name)", value: .paid_amount}) | from_entries) as $m |
	    [.[] | select(.paid_fact_amount < $m["\(.client_id)/\(.loan_name)"])] | length' "$GEN/payments.json"
	(( output > 0 ))
	# gaps (missed installments) and loans whose records stop early (payoff, default)
	run -0 jq '[group_by([.client_id, .loan_name])[] | select(length != .[-1].payment_number)] | length' "$GEN/payments.json"
	(( output > 0 ))
	run -0 jq --slurpfile l "$GEN/loans.json" '($l[0] | map({key: "\(.client_id)/\(.loan_name)", value: .}) | from_entries) as $m |
	    [group_by([.client_id, .loan_name])[] | $m["\(.[0].client_id)/\(.[0].loan_name)"] as $x |
	     select($x.loan_end_date < "2024-06-30" and .[-1].payment_number < $x.payment_numbers)] | length' "$GEN/payments.json"
	(( output > 0 ))
}

@test "clients: 18-75 at every loan start, gender-consistent Russian names, formats" {
	run -0 bash -c "jq -r --slurpfile c '$GEN/clients.json' '(\$c[0] | map({key: \"\(.client_id)\", value: .birth_date}) | from_entries) as \$b |
	    .[] | [\$b[\"\(.client_id)\"], .loan_start_date] | @tsv' '$GEN/loans.json' |
	    awk -F'\t' '{ a = substr(\$2, 1, 4) - substr(\$1, 1, 4); if (substr(\$2, 6) < substr(\$1, 6)) a--; if (a < 18 || a > 75) n++ } END { print n + 0 }'"
	assert_output 0
	run -0 jq '[.[] | select(.gender == "Мужчина" and (.fio | test("^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+вич$") | not))] | length' "$GEN/clients.json"
	assert_output 0
	run -0 jq '[.[] | select(.gender == "Женщина" and (.fio | test("^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+вна$") | not))] | length' "$GEN/clients.json"
	assert_output 0
	run -0 jq '[.[] | select(.gender != "Мужчина" and .gender != "Женщина")] | length' "$GEN/clients.json"
	assert_output 0
	run -0 jq '[.[] | select(.passport | test("^[0-9]{2} [0-9]{2} [0-9]{6}$") | not)] | length' "$GEN/clients.json"
	assert_output 0
	run -0 jq '[.[] | select(.phone != null and (.phone | gsub("[^0-9]"; "") | test("^79[0-9]{9}$") | not))] | length' "$GEN/clients.json"
	assert_output 0
	# optional fields are sometimes null, as in the seed; required ones never
	for k in count_of_children region family_status address phone email; do
		run -0 jq "[.[] | select(.$k == null)] | length" "$GEN/clients.json"
		(( output > 0 && output < 150 ))
	done
	run -0 jq '[.[] | select(.client_id == null or .fio == null or .passport == null or .birth_date == null
	    or .education == null or .job_type == null or .income == null)] | length' "$GEN/clients.json"
	assert_output 0
}

@test "email: about 70 % of clients, the transliterated surname and digits at a reserved example domain" {
	# the share: 70 % of 300 clients, +-4 standard deviations
	run -0 jq '[.[] | select(.email != null)] | length' "$GEN/clients.json"
	(( output >= 180 && output <= 240 )) || fail "$output of 300 clients have an e-mail"
	# never an empty string, never anything but a string or null
	run -0 jq '[.[] | select(has("email") | not) , select(.email != null and (.email | type) != "string")] | length' "$GEN/clients.json"
	assert_output 0
	# shape: [initial. or initial_]surname digits @ one of the RFC 2606/6761 names
	run -0 jq -r '.[] | .email // empty' "$GEN/clients.json"
	bad=$(grep -vcE '^([a-z]{1,2}[._])?[a-z]+[0-9]{1,4}@(mail\.example|inbox\.example|example\.com|example\.org|example\.net)$' <<<"$output" || true)
	assert_equal "$bad" 0
	# the surname is the fio's first word in Latin letters (a table written here, not the program's)
	run -0 jq -r '
	    {"а":"a","б":"b","в":"v","г":"g","д":"d","е":"e","ё":"e","ж":"zh","з":"z","и":"i","й":"y",
	     "к":"k","л":"l","м":"m","н":"n","о":"o","п":"p","р":"r","с":"s","т":"t","у":"u","ф":"f",
	     "х":"kh","ц":"ts","ч":"ch","ш":"sh","щ":"shch","ъ":"","ы":"y","ь":"","э":"e","ю":"yu","я":"ya"} as $m |
	    .[] | select(.email != null) |
	    (.fio | split(" ")[0] | explode | map(if . >= 1040 and . <= 1071 then . + 32 elif . == 1025 then 1105 else . end)
	      | implode | split("") | map($m[.] // "?") | join("")) as $lat |
	    select(.email | split("@")[0] | test("^([a-z]{1,2}[._])?" + $lat + "[0-9]+$") | not) | "\(.fio) \(.email)"' "$GEN/clients.json"
	assert_output ''
	# deterministic for a seed, and the same client has the same address however many are generated
	run -0 bash -c "gen-clients -n 40 --seed 1 --as-of 2024-06-30 | jq -r 'select(._entity == \"client\") | .email'"
	assert_equal "$output" "$(jq -r '.[:40][] | .email' "$GEN/clients.json")"
}

@test "the values of categorical fields are the seed's" {
	for k in gender education job_type region family_status; do
		run -0 bash -c "jq -r '.[].$k // empty' '$GEN/clients.json' | sort -u | grep -vxFf <(jq -r '.[].$k // empty' '$SEEDDIR/clients.json' /tmp/seed/seed-n1000/raw_files/clients.json 2>/dev/null | sort -u) || true"
		assert_output ''
	done
}

@test "--risk-table agrees with the man page" {
	run -0 gen-clients --risk-table
	assert_line --index 0 $'attribute\tvalue\tpoints'
	(( ${#lines[@]} > 30 ))
	page=$OVERDUE_TOP/man/gen-clients.1
	for line in "${lines[@]:1}"; do
		IFS=$'\t' read -r a v p <<< "$line"
		grep -qxF ".It $a Ta $v Ta $p" "$page" || fail "man page lacks: $a $v $p"
	done
}

@test "usage errors exit 64 with a message naming the problem" {
	run -64 --separate-stderr gen-clients -n abc
	assert_output ''
	[[ $stderr == *"gen-clients: -n"*"abc"* ]]
	run -64 --separate-stderr gen-clients -n -1
	[[ $stderr == *"-n"*"-1"* ]]
	run -64 --separate-stderr gen-clients --as-of 2023-02-30
	[[ $stderr == *"--as-of: no such day"*"2023-02-30"* ]]
	run -64 --separate-stderr gen-clients --as-of 2023-2-3
	[[ $stderr == *"--as-of: not a date in the form YYYY-MM-DD"* ]]
	run -64 --separate-stderr gen-clients --start-date 2024-13-01
	[[ $stderr == *"--start-date"* ]]
	run -64 --separate-stderr gen-clients --seed x
	[[ $stderr == *"--seed"* ]]
	run -64 --separate-stderr gen-clients --start-date 2025-01-01 --as-of 2024-01-01
	[[ $stderr == *"after"* ]]
	run -64 --separate-stderr gen-clients -n
	[[ $stderr == *"requires an argument"* ]]
	run -64 --separate-stderr gen-clients extra
	[[ $stderr == *"extra"* ]]
}

@test "-o: missing directories are created; an uncreatable one exits 73 and leaves nothing" {
	run -0 gen-clients -n 2 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/x/y/z"
	[[ -s $BATS_TEST_TMPDIR/x/y/z/payments.json ]]
	touch "$BATS_TEST_TMPDIR/file"
	run -73 --separate-stderr gen-clients -n 2 -o "$BATS_TEST_TMPDIR/file/sub"
	[[ $stderr == "gen-clients: cannot create directory"* ]]
	mkdir "$BATS_TEST_TMPDIR/ro" && chmod 555 "$BATS_TEST_TMPDIR/ro"
	if [[ $(id -u) != 0 ]]; then
		run -73 --separate-stderr gen-clients -n 2 -o "$BATS_TEST_TMPDIR/ro"
		run -0 ls -A "$BATS_TEST_TMPDIR/ro"
		assert_output ''
	fi
	run -73 --separate-stderr gen-clients -n 2 -o /proc/gen-clients-test
	[[ $stderr == *"/proc/gen-clients-test"* ]]
}

@test "-o replaces old files only when the new ones are complete" {
	d=$BATS_TEST_TMPDIR/out
	gen-clients -n 5 --as-of 2024-06-30 -o "$d"
	old=$(cat "$d"/*.json | sha256sum)
	# a killed run leaves the old files and no temporary ones
	timeout -s TERM 0.3 gen-clients -n 100000000 --as-of 2024-06-30 -o "$d" 3>&- || true
	assert_equal "$(cat "$d"/*.json | sha256sum)" "$old"
	run -0 ls -A "$d"
	assert_output $'clients.json\nloans.json\npayments.json'
}

@test "| head -1 exits 0 quietly; a full disk is an error" {
	run -0 --separate-stderr bash -c 'gen-clients -n 100000 --as-of 2024-06-30 | head -1'
	assert_output --partial '"_entity":"client"'
	assert_equal "$stderr" ''
	run --separate-stderr bash -c 'set -o pipefail; gen-clients -n 100000 --as-of 2024-06-30 | head -1 >/dev/null'
	assert_success
	[[ -w /dev/full ]] || skip "no /dev/full"
	run -74 --separate-stderr bash -c 'gen-clients -n 5 --as-of 2024-06-30 > /dev/full'
	[[ $stderr == *"gen-clients:"*"write error"* ]]
	run -74 --separate-stderr bash -c 'gen-clients -n 100000 --as-of 2024-06-30 > /dev/full'
	[[ $stderr == *"No space left"* ]]
}

@test "-n 0 writes empty arrays and an empty stream" {
	run -0 gen-clients -n 0 --as-of 2024-06-30
	assert_output ''
	gen-clients -n 0 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/e"
	run -0 jq -c . "$BATS_TEST_TMPDIR/e/clients.json" "$BATS_TEST_TMPDIR/e/payments.json"
	assert_output $'[]\n[]'
}

@test "a plausible portfolio: 8-20 % of active loans overdue, unemployed worse than employed" {
	run -0 "$OVERDUE_TOP/tests/tools/plausibility.sh" "$GEN" 2024-06-30
	share=$(sed -n 's/^overdue share of active loans: .* = \([0-9.]*\) %$/\1/p' <<< "$output")
	[[ -n $share ]]
	awk -v s="$share" 'BEGIN { exit !(s >= 8 && s <= 20) }' || fail "overdue share $share %"
	unemployed=$(awk '/Безработный/ { print $(NF-2) }' <<< "$output")
	employed=$(awk '/Работает по найму/ { print $(NF-2) }' <<< "$output")
	awk -v u="$unemployed" -v e="$employed" 'BEGIN { exit !(u > e) }' || fail "unemployed $unemployed <= employed $employed"
}
