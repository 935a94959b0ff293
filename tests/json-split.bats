#!/usr/bin/env bats
# json-split: cumulative and delta parts by loan start date, from the tagged
# stream or from a folder; the seed's own split reproduced; atomic output.

load helpers

export LC_ALL=C

setup_file() {
	export SEEDDIR=$BATS_FILE_TMPDIR/seed
	mkdir -p "$SEEDDIR"
	tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$SEEDDIR"
	export RAW=$SEEDDIR/seed-n20/raw_files SEEDSPLIT=$SEEDDIR/seed-n20/raw_split_files
	[[ -s $RAW/loans.json ]]
	# a tagged stream made from the seed's files with jq (independent of gen-clients):
	# each client, then each of its loans followed by that loan's payments
	export STREAM=$BATS_FILE_TMPDIR/seed.ndjson
	jq -c --slurpfile l "$RAW/loans.json" --slurpfile p "$RAW/payments.json" '
	    .[] as $c
	    | ({_entity: "client"} + $c),
	      ($l[0][] | select(.client_id == $c.client_id) as $loan
	       | ({_entity: "loan"} + $loan),
	         ($p[0][] | select(.client_id == $loan.client_id and .loan_name == $loan.loan_name)
	          | {_entity: "payment"} + .))' "$RAW/clients.json" > "$STREAM"
}

# sorted, key-sorted records of a JSON array file, one a line
recs() { jq -S -c '.[]' "$1" | sort; }
# the records of several files, as a sorted set
recset() { for f in "$@"; do jq -S -c '.[]' "$f"; done | sort; }
count() { jq length "$1"; }

@test "folder input: 5 cumulative parts of ceil(i*L/N) loans, part 1 and 5 as the seed's" {
	run --separate-stderr json-split -p 5 -o "$BATS_TEST_TMPDIR/out" "$RAW"
	assert_success
	assert_equal "$stderr" ""
	out=$BATS_TEST_TMPDIR/out
	L=$(count "$RAW/loans.json")
	assert_equal "$L" 32
	for i in 1 2 3 4 5; do
		assert_equal "$(count "$out/part_$i/loans_$i.json")" "$(( (i * L + 4) / 5 ))"
	done
	# part 1 has the seed's counts 6/7/1275 and the very same records
	assert_equal "$(count "$out/part_1/clients_1.json")" 6
	assert_equal "$(count "$out/part_1/payments_1.json")" 1275
	for e in clients loans payments; do
		assert_equal "$(recs "$out/part_1/${e}_1.json")" "$(recs "$SEEDSPLIT/part_1/${e}_1.json")"
		assert_equal "$(recs "$out/part_5/${e}_5.json")" "$(recs "$RAW/$e.json")"
	done
	# the seed's input is already in start-date order: the last part is its input, byte for byte
	cmp "$out/part_5/loans_5.json" "$RAW/loans.json"
	cmp "$out/part_5/clients_5.json" "$RAW/clients.json"
	cmp "$out/part_1/loans_1.json" "$SEEDSPLIT/part_1/loans_1.json"
	# nothing else is left in the output folder
	run ls -A "$out"
	assert_output "$(printf 'part_%s\n' 1 2 3 4 5)"
}

@test "each part: its loans are the first by start date, with exactly their payments and clients" {
	json-split -p 5 -o "$BATS_TEST_TMPDIR/out" "$RAW"
	out=$BATS_TEST_TMPDIR/out
	for i in 1 2 3 4 5; do
		d=$out/part_$i
		want_loans=$(jq -c 'to_entries | sort_by(.value.loan_start_date, .key) | map(.value)
		    | .[0:'"$(count "$d/loans_$i.json")"'] | map([.client_id, .loan_name]) | sort' "$RAW/loans.json")
		got_loans=$(jq -c 'map([.client_id, .loan_name]) | sort' "$d/loans_$i.json")
		assert_equal "$got_loans" "$want_loans"
		# loans come in start-date order
		run jq -e 'map(.loan_start_date) | . == sort' "$d/loans_$i.json"
		assert_success
		want_pay=$(jq -c --slurpfile l "$d/loans_$i.json" \
		    '[.[] | select([.client_id, .loan_name] as $k | $l[0] | any([.client_id, .loan_name] == $k))] | length' \
		    "$RAW/payments.json")
		assert_equal "$(count "$d/payments_$i.json")" "$want_pay"
		want_cl=$(jq -c '[.[].client_id] | unique' "$d/loans_$i.json")
		assert_equal "$(jq -c '[.[].client_id]' "$d/clients_$i.json")" "$want_cl"
	done
}

@test "--seed-compat reproduces the seed's raw_split_files byte for byte" {
	run --separate-stderr json-split -S -p 5 -o "$BATS_TEST_TMPDIR/out" "$RAW"
	assert_success
	run diff -r "$BATS_TEST_TMPDIR/out" "$SEEDSPLIT"
	assert_success
	assert_output ""
}

@test "--seed-compat on the 1000-client seed sample (equal start dates, interleaved payments)" {
	[[ -e $SEED_DATA/seed-n1000.tar.xz ]] || skip "seed-n1000.tar.xz not available (only in the project's shared folder)"
	tar -xJf "$SEED_DATA/seed-n1000.tar.xz" -C "$BATS_TEST_TMPDIR"
	run --separate-stderr json-split -S -p 5 -o "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/seed-n1000/raw_files"
	assert_success
	run diff -r "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/seed-n1000/raw_split_files"
	assert_success
}

@test "the tagged stream on stdin gives the same parts as the folder" {
	json-split -p 5 -o "$BATS_TEST_TMPDIR/dir" "$RAW"
	run --separate-stderr json-split -p 5 -o "$BATS_TEST_TMPDIR/str" < "$STREAM"
	assert_success
	for i in 1 2 3 4 5; do
		for e in clients loans payments; do
			assert_equal "$(recs "$BATS_TEST_TMPDIR/str/part_$i/${e}_$i.json")" \
			    "$(recs "$BATS_TEST_TMPDIR/dir/part_$i/${e}_$i.json")"
		done
		# loans in the same (start date) order
		cmp "$BATS_TEST_TMPDIR/str/part_$i/loans_$i.json" "$BATS_TEST_TMPDIR/dir/part_$i/loans_$i.json"
	done
	# a stream file as the argument works too
	run --separate-stderr json-split -p 2 -o "$BATS_TEST_TMPDIR/f" "$STREAM"
	assert_success
	assert_equal "$(count "$BATS_TEST_TMPDIR/f/part_1/loans_1.json")" 16
}

@test "gen-clients | json-split: 5 cumulative parts, the last one equals the full data set" {
	command -v gen-clients >/dev/null || skip "gen-clients is not built yet"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 | json-split -p 5 -o "$BATS_TEST_TMPDIR/X"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/FULL"
	X=$BATS_TEST_TMPDIR/X
	L=$(count "$BATS_TEST_TMPDIR/FULL/loans.json")
	(( L > 100 ))
	prev=0
	for i in 1 2 3 4 5; do
		n=$(count "$X/part_$i/loans_$i.json")
		assert_equal "$n" "$(( (i * L + 4) / 5 ))"
		(( n >= prev ))
		prev=$n
		# cumulative: part i-1 is contained in part i
		if (( i > 1 )); then
			run comm -23 <(recs "$X/part_$((i - 1))/payments_$((i - 1)).json") <(recs "$X/part_$i/payments_$i.json")
			assert_output ""
		fi
	done
	for e in clients loans payments; do
		assert_equal "$(recs "$X/part_5/${e}_5.json")" "$(recs "$BATS_TEST_TMPDIR/FULL/$e.json")"
	done
	# the _entity tag is gone, and the seed's member order is kept
	run jq -e 'all(.[]; has("_entity") | not)' "$X/part_5/payments_5.json"
	assert_success
	run jq -r '.[0] | keys_unsorted | join(",")' "$X/part_5/loans_5.json"
	assert_output "client_id,loan_name,loan_amount,loan_start_date,loan_end_date,payment_numbers,paid_amount"
}

@test "gen-clients | json-split twice gives identical bytes" {
	command -v gen-clients >/dev/null || skip "gen-clients is not built yet"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 | json-split -p 5 -o "$BATS_TEST_TMPDIR/a"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 | json-split -p 5 -o "$BATS_TEST_TMPDIR/b"
	run diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
	# and re-running into the same folder replaces the parts with the same bytes
	cp -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/a0"
	gen-clients -n 100 --seed 1 --as-of 2024-06-30 | json-split -p 5 -o "$BATS_TEST_TMPDIR/a"
	run diff -r "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/a0"
	assert_success
}

@test "--delta: loans and payments of the parts are disjoint and make up the whole set" {
	run --separate-stderr json-split -d -p 5 -o "$BATS_TEST_TMPDIR/d" "$RAW"
	assert_success
	d=$BATS_TEST_TMPDIR/d
	L=32
	for e in loans payments; do
		files=()
		total=0
		for i in 1 2 3 4 5; do
			files+=("$d/part_$i/${e}_$i.json")
			total=$(( total + $(count "$d/part_$i/${e}_$i.json") ))
		done
		assert_equal "$total" "$(count "$RAW/$e.json")"
		assert_equal "$(recset "${files[@]}")" "$(recs "$RAW/$e.json")"
	done
	for i in 1 2 3 4 5; do
		assert_equal "$(count "$d/part_$i/loans_$i.json")" \
		    "$(( (i * L + 4) / 5 - ((i - 1) * L + 4) / 5 ))"
		# every loan's client is in the same part (parts load on their own)
		run jq -n -e --slurpfile l "$d/part_$i/loans_$i.json" --slurpfile c "$d/part_$i/clients_$i.json" \
		    '($l[0] | map(.client_id) | unique) == ($c[0] | map(.client_id))'
		assert_success
	done
	files=("$d"/part_*/clients_*.json)
	assert_equal "$(recset "${files[@]}" | uniq)" "$(recs "$RAW/clients.json")"
}

@test "-p 1: one part holding everything" {
	run --separate-stderr json-split -p 1 -o "$BATS_TEST_TMPDIR/o" "$RAW"
	assert_success
	for e in clients loans payments; do
		cmp "$BATS_TEST_TMPDIR/o/part_1/${e}_1.json" "$SEEDSPLIT/part_5/${e}_5.json"
	done
	[[ ! -e $BATS_TEST_TMPDIR/o/part_2 ]]
}

@test "-p larger than the number of loans" {
	head -n 4 "$STREAM" > "$BATS_TEST_TMPDIR/small"	# one client, one loan, 2 payments
	assert_equal "$(jq -r ._entity "$BATS_TEST_TMPDIR/small" | paste -sd,)" "client,loan,payment,payment"
	run --separate-stderr json-split -p 3 -o "$BATS_TEST_TMPDIR/o" < "$BATS_TEST_TMPDIR/small"
	assert_success
	for i in 1 2 3; do
		assert_equal "$(count "$BATS_TEST_TMPDIR/o/part_$i/loans_$i.json")" 1
		assert_equal "$(count "$BATS_TEST_TMPDIR/o/part_$i/payments_$i.json")" 2
	done
	run --separate-stderr json-split -d -p 3 -o "$BATS_TEST_TMPDIR/d" < "$BATS_TEST_TMPDIR/small"
	assert_success
	assert_equal "$(count "$BATS_TEST_TMPDIR/d/part_1/loans_1.json")" 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/d/part_2/loans_2.json")" "[]"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/d/part_3/clients_3.json")" "[]"
}

@test "empty input: every part is written, with empty arrays" {
	run --separate-stderr json-split -p 2 -o "$BATS_TEST_TMPDIR/o" < /dev/null
	assert_success
	for i in 1 2; do
		for e in clients loans payments; do
			assert_equal "$(cat "$BATS_TEST_TMPDIR/o/part_$i/${e}_$i.json")" "[]"
		done
	done
}

@test "records that cannot be placed by date go to the last part, with a warning" {
	{
		echo '{"_entity":"client","client_id":1,"fio":"A"}'
		echo '{"_entity":"client","client_id":2,"fio":"B"}'
		echo '{"_entity":"loan","client_id":1,"loan_name":"L1","loan_start_date":"2020-01-05"}'
		echo '{"_entity":"loan","client_id":1,"loan_name":"L2","loan_start_date":"2020-02-30"}'
		echo '{"_entity":"loan","client_id":1,"loan_name":"L3","loan_start_date":1577836800000}'
		echo '{"_entity":"payment","client_id":1,"loan_name":"L1","payment_number":1}'
		echo '{"_entity":"payment","client_id":9,"loan_name":"LX","payment_number":1}'
	} > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr json-split -p 2 -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/in"
	assert_success
	[[ $stderr == *"1 loan(s) without a usable loan_start_date"* ]]
	[[ $stderr == *"1 payment(s) of loans not in the input"* ]]
	o=$BATS_TEST_TMPDIR/o
	# 2 dated loans: L3 (2020-01-01, epoch ms) first, then L1
	assert_equal "$(jq -c 'map(.loan_name)' "$o/part_1/loans_1.json")" '["L3"]'
	assert_equal "$(jq -c 'map(.loan_name)' "$o/part_2/loans_2.json")" '["L3","L1","L2"]'
	assert_equal "$(jq -c 'map(.client_id)' "$o/part_1/clients_1.json")" '[1]'
	assert_equal "$(jq -c 'map(.client_id)' "$o/part_2/clients_2.json")" '[1,2]'
	assert_equal "$(jq -c 'map(.loan_name)' "$o/part_1/payments_1.json")" '[]'
	assert_equal "$(jq -c 'map(.loan_name)' "$o/part_2/payments_2.json")" '["L1","LX"]'
}

@test "values are copied as written: 0.0, escapes, non-ASCII" {
	printf '%s\n' '{"_entity":"client","client_id":7,"fio":"Ёлкин \u0041\"x\"","count_of_children":0.0,"income":1e3}' \
	    '{"_entity":"loan","client_id":7.0,"loan_name":"A","loan_start_date":"2020-01-01T10:00:00+03:00","paid_amount":10.50}' \
	    > "$BATS_TEST_TMPDIR/in"
	run --separate-stderr json-split -p 1 -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/in"
	assert_success
	expected=$(printf '%s\n' '[' '  {' '    "client_id":7,' '    "fio":"Ёлкин \u0041\"x\"",' \
	    '    "count_of_children":0.0,' '    "income":1e3' '  }')
	assert_equal "$(cat "$BATS_TEST_TMPDIR/o/part_1/clients_1.json")" "$expected"$'\n]'
	grep -q '"paid_amount":10.50$' "$BATS_TEST_TMPDIR/o/part_1/loans_1.json"
}

@test "bad options exit 64 with the usage" {
	for args in "-p 0" "-p abc" "-p -3" "-p 10001" "-x" "a b"; do
		# shellcheck disable=SC2086
		run --separate-stderr json-split $args -o "$BATS_TEST_TMPDIR/o"
		assert_equal "$status" 64
		[[ $stderr == *"usage: json-split"* ]]
	done
	[[ ! -e $BATS_TEST_TMPDIR/o ]]
}

@test "a missing input folder, file or one of the three files exits 66" {
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/nope"
	assert_equal "$status" 66
	mkdir "$BATS_TEST_TMPDIR/two"
	cp "$RAW/clients.json" "$RAW/loans.json" "$BATS_TEST_TMPDIR/two/"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/two"
	assert_equal "$status" 66
	[[ $stderr == *payments.json* ]]
	[[ ! -e $BATS_TEST_TMPDIR/o ]]
}

@test "truncated JSON exits 65 and leaves no part, old parts untouched" {
	json-split -p 2 -o "$BATS_TEST_TMPDIR/o" "$RAW"
	cp -r "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/before"
	mkdir "$BATS_TEST_TMPDIR/cut"
	cp "$RAW/clients.json" "$RAW/loans.json" "$BATS_TEST_TMPDIR/cut/"
	head -c 100000 "$RAW/payments.json" > "$BATS_TEST_TMPDIR/cut/payments.json"
	run --separate-stderr json-split -p 3 -o "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/cut"
	assert_equal "$status" 65
	[[ $stderr == *"payments.json"*"truncated"* ]]
	run diff -r "$BATS_TEST_TMPDIR/o" "$BATS_TEST_TMPDIR/before"
	assert_success
	# the same for a stream cut in the middle of a record, into a fresh folder
	head -c 5000 "$STREAM" > "$BATS_TEST_TMPDIR/cut.ndjson"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/n" < "$BATS_TEST_TMPDIR/cut.ndjson"
	assert_equal "$status" 65
	run ls -A "$BATS_TEST_TMPDIR/n"
	assert_output ""
}

@test "bad data exits 65: a record without _entity, an unknown _entity, an invalid literal" {
	echo '{"client_id":1}' > "$BATS_TEST_TMPDIR/a"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/o" < "$BATS_TEST_TMPDIR/a"
	assert_equal "$status" 65
	[[ $stderr == *'_entity'* ]]
	echo '{"_entity":"lender","client_id":1}' > "$BATS_TEST_TMPDIR/b"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/o" < "$BATS_TEST_TMPDIR/b"
	assert_equal "$status" 65
	echo '{"_entity":"client","client_id":nul}' > "$BATS_TEST_TMPDIR/c"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/o" < "$BATS_TEST_TMPDIR/c"
	assert_equal "$status" 65
	[[ $stderr == *"line 1"* ]]
	run ls -A "$BATS_TEST_TMPDIR/o"
	assert_output ""
}

@test "an output folder that cannot be created exits 73" {
	touch "$BATS_TEST_TMPDIR/file"
	run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/file/sub" "$RAW"
	assert_equal "$status" 73
	if (( EUID != 0 )); then
		mkdir "$BATS_TEST_TMPDIR/ro"
		chmod 555 "$BATS_TEST_TMPDIR/ro"
		run --separate-stderr json-split -o "$BATS_TEST_TMPDIR/ro" "$RAW"
		assert_equal "$status" 73
	fi
}

@test "re-running with fewer parts removes the extra parts; stale temporary folders are removed" {
	o=$BATS_TEST_TMPDIR/o
	json-split -p 5 -o "$o" "$RAW"
	mkdir "$o/part_2.tmp.abcdef" "$o/keep"
	echo x > "$o/notes.txt"
	run --separate-stderr json-split -p 3 -o "$o" "$RAW"
	assert_success
	run ls -A "$o"
	assert_output "$(printf '%s\n' keep notes.txt part_1 part_2 part_3)"
	assert_equal "$(count "$o/part_3/loans_3.json")" 32
}

@test "SPLIT_DIR is the default output folder" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr env SPLIT_DIR="$BATS_TEST_TMPDIR/env-out" json-split -p 2 "$RAW"
	assert_success
	[[ -s $BATS_TEST_TMPDIR/env-out/part_2/loans_2.json ]]
	run --separate-stderr env -u SPLIT_DIR json-split -p 2 "$RAW"
	assert_success
	[[ -s $BATS_TEST_TMPDIR/data/split/part_2/loans_2.json ]]
}

@test "--help's usage line, --version" {
	run --separate-stderr json-split --help
	assert_success
	assert_line --index 0 "usage: json-split [-dSv] [-p parts] [-o dir] [dir | file]"
	run --separate-stderr json-split --version
	assert_output "json-split (overdue) 0.1.0"
}
