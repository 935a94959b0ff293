#!/usr/bin/env bats
# json2tsv: seed JSON -> COPY text, rejects, broken input, and a round trip
# through a real PostgreSQL that proves the COPY escaping.

load helpers

setup_file() { db_create; }
teardown_file() { db_drop; }

CASES=$FIXTURES/json2tsv/cases.tsv

# The summary line's counts: "R W J U".
counts() { sed -n 's/^json2tsv: [a-z]*: \([0-9]*\) read, \([0-9]*\) written, \([0-9]*\) rejected, \([0-9]*\) unknown.*/\1 \2 \3 \4/p' <<<"$1"; }

@test "every case in cases.tsv: the row it becomes, or the field and reason it is rejected for" {
	local failed=0 n=0 name entity input expect
	while IFS=$'\t' read -r name entity input expect; do
		[[ -z $name || $name == \#* ]] && continue
		n=$((n + 1))
		printf '%s\n' "$input" > "$BATS_TEST_TMPDIR/in"
		json2tsv -r "$BATS_TEST_TMPDIR/rej" "$entity" "$BATS_TEST_TMPDIR/in" \
		    > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err"
		local rc=$? got
		case $expect in
		ok\ *)
			got=$(head -n 1 "$BATS_TEST_TMPDIR/out" | cut -f 2- | tr '\t' '|')
			if ((rc != 0)) || [[ $got != "${expect#ok }" ]] || [[ -s $BATS_TEST_TMPDIR/rej ]] ||
			    [[ $(sed -n 2p "$BATS_TEST_TMPDIR/out") != '\.' ]] ||
			    [[ $(head -n 1 "$BATS_TEST_TMPDIR/out" | cut -f 1) != 1 ]]; then
				echo "FAIL $name: rc=$rc got '$got' want '${expect#ok }'"; cat "$BATS_TEST_TMPDIR/err"
				failed=$((failed + 1))
			fi ;;
		reject\ *)
			local want=${expect#reject } field reason
			# (these reasons and records hold no tabs or newlines: only \\ to undo)
			field=$(cut -f 3 "$BATS_TEST_TMPDIR/rej")
			reason=$(cut -f 4 "$BATS_TEST_TMPDIR/rej" | sed 's/\\\\/\\/g')
			if ((rc != 0)) || [[ $(wc -l < "$BATS_TEST_TMPDIR/rej") != 1 ]] ||
			    [[ $field != "${want%%|*}" ]] || [[ $reason != *"${want#*|}"* ]] ||
			    [[ $(cat "$BATS_TEST_TMPDIR/out") != '\.' ]] ||
			    [[ $(cut -f 5 "$BATS_TEST_TMPDIR/rej" | sed 's/\\\\/\\/g') != "$input" ]]; then
				echo "FAIL $name: rc=$rc got field '$field' reason '$reason', want '$want'"
				failed=$((failed + 1))
			fi ;;
		*) echo "bad case line: $name"; failed=$((failed + 1)) ;;
		esac
	done < "$CASES"
	echo "$n cases, $failed failed"
	((n > 60 && failed == 0))
}

@test "the seed's own 20-client files convert completely: rows = jq lengths, no rejects" {
	tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$BATS_TEST_TMPDIR"
	local d=$BATS_TEST_TMPDIR/seed-n20/raw_files e
	for e in clients loans payments; do
		run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/$e.rej" "$e" "$d/$e.json"
		assert_success
		local n; n=$(jq length "$d/$e.json")
		assert_equal "$(counts "$stderr")" "$n $n 0 0"
		assert_equal "$((${#lines[@]} - 1))" "$n"
		assert_equal "${lines[-1]}" '\.'
		[[ ! -s $BATS_TEST_TMPDIR/$e.rej ]]
		# recno runs 1..n and each row has recno + the seed's fields
		assert_equal "$(head -n -1 <<<"$output" | awk -F'\t' '$1 != NR {print "recno " NR}')" ''
	done
	run --separate-stderr bash -c "json2tsv clients '$d/clients.json' | head -n -1 | awk -F'\t' '{print NF}' | sort -u"
	assert_output 15
	run --separate-stderr bash -c "json2tsv payments '$d/payments.json' | head -n -1 | awk -F'\t' '{print NF}' | sort -u"
	assert_output 7
	# the split parts convert too
	for f in "$BATS_TEST_TMPDIR"/seed-n20/raw_split_files/part_*/*.json; do
		e=$(basename "$f" .json); e=${e%_*}
		run --separate-stderr json2tsv "$e" "$f"
		assert_success
		assert_equal "$(counts "$stderr" | cut -d' ' -f3)" 0
	done
}

@test "gen-clients' e-mails convert: no rejects, no unknown field, the e-mail column is the input's" {
	gen-clients -n 200 --seed 3 --as-of 2024-06-30 -o "$BATS_TEST_TMPDIR/g"
	f=$BATS_TEST_TMPDIR/g/clients.json
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" clients "$f"
	assert_success
	assert_equal "$(counts "$stderr")" "200 200 0 0"
	[[ ! -s $BATS_TEST_TMPDIR/rej ]]
	assert_equal "$(head -n -1 <<<"$output" | cut -f 15)" "$(jq -r '.[] | .email // "\\N"' "$f")"
	# some of each
	assert_equal "$(jq '[.[] | .email] | (map(select(. == null)) | length > 0) and (map(select(. != null)) | length > 0)' "$f")" true
}

@test "a BOM, any indentation, an NDJSON stream and an empty array" {
	printf '\xEF\xBB\xBF[\n\t{ "client_id" : 1 , "loan_name" : "L", "payment_number":1, "payment_date":"2010-07-09" }\n]\n' > "$BATS_TEST_TMPDIR/bom.json"
	run --separate-stderr json2tsv payments "$BATS_TEST_TMPDIR/bom.json"
	assert_success
	assert_equal "${lines[0]}" $'1\t1\tL\t1\t2010-07-09\t\\N\t\\N'
	printf '{"client_id":1,"loan_name":"A","payment_number":1,"payment_date":"2010-07-09"}\n\n{"client_id":2,"loan_name":"B","payment_number":2,"payment_date":"2010-08-09"}\n' > "$BATS_TEST_TMPDIR/nd.json"
	run --separate-stderr json2tsv payments < "$BATS_TEST_TMPDIR/nd.json"
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[1]}" $'2\t2\tB\t2\t2010-08-09\t\\N\t\\N'
	run --separate-stderr json2tsv payments <<<'[]'
	assert_success
	assert_output '\.'
	assert_equal "$(counts "$stderr")" "0 0 0 0"
}

@test "stdin: '-' and no file are the same; messages name <stdin>" {
	run --separate-stderr bash -c 'printf "[{\"client_id\":1}" | json2tsv payments -'
	assert_equal "$status" 65
	assert_equal "${stderr_lines[-2]}" "json2tsv: <stdin>:1:17: the input ends inside the top-level array (missing ']')"
}

@test "invalid UTF-8 (raw bytes) is rejected, the run goes on" {
	printf '{"client_id":1,"loan_name":"a\xff","payment_number":1,"payment_date":"2010-07-09"}\n{"client_id":1,"loan_name":"\xd0","payment_number":1,"payment_date":"2010-07-09"}\n{"client_id":1,"loan_name":"\xed\xa0\x80","payment_number":1,"payment_date":"2010-07-09"}\n{"client_id":2,"loan_name":"ok","payment_number":1,"payment_date":"2010-07-09"}\n' > "$BATS_TEST_TMPDIR/u.json"
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$BATS_TEST_TMPDIR/u.json"
	assert_success
	assert_equal "${lines[0]:0:4}" $'4\t2\t'
	assert_equal "$(cut -f 1,4 "$BATS_TEST_TMPDIR/rej")" $'1\tinvalid UTF-8 at byte 27 of the record\n2\tinvalid UTF-8 at byte 27 of the record\n3\tinvalid UTF-8 at byte 27 of the record'
	# the raw column itself is valid UTF-8 (bad bytes shown as U+FFFD)
	iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/rej" > /dev/null
}

@test "raw control characters inside strings are rejected" {
	printf '{"client_id":1,"loan_name":"a\tb","payment_number":1,"payment_date":"2010-07-09"}\n' > "$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$BATS_TEST_TMPDIR/c.json"
	assert_success
	assert_output '\.'
	[[ $(cut -f 4 "$BATS_TEST_TMPDIR/rej") == "raw control character"* ]]
}

@test "a 10 MB string is rejected in bounded memory and the next record still converts" {
	{ printf '[{"client_id":1,"loan_name":"'; head -c 10000000 /dev/zero | tr '\0' x
	  printf '","payment_number":1,"payment_date":"2010-07-09"},\n'
	  printf '{"client_id":2,"loan_name":"L","payment_number":1,"payment_date":"2010-07-09"}]\n'; } > "$BATS_TEST_TMPDIR/big.json"
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$BATS_TEST_TMPDIR/big.json"
	assert_success
	assert_equal "$(counts "$stderr")" "2 1 1 0"
	assert_equal "${lines[0]}" $'2\t2\tL\t1\t2010-07-09\t\\N\t\\N'
	assert_equal "$(cut -f 1-4 "$BATS_TEST_TMPDIR/rej")" $'1\t1\t\tstring longer than 1 MiB'
	# the raw record is cut to 64 KiB
	assert_equal "$(cut -f 5 "$BATS_TEST_TMPDIR/rej" | wc -c)" 65537
}

@test "a record over 16 MiB is skipped, not held, and rejected" {
	{ printf '{"client_id":1,"x":"'; head -c 17000000 /dev/zero | tr '\0' y; printf '"}\n'
	  printf '{"client_id":2,"loan_name":"L","payment_number":1,"payment_date":"2010-07-09"}\n'; } > "$BATS_TEST_TMPDIR/huge.json"
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$BATS_TEST_TMPDIR/huge.json"
	assert_success
	assert_equal "$(counts "$stderr")" "2 1 1 0"
	[[ $(cut -f 4 "$BATS_TEST_TMPDIR/rej") == "record larger than 16777216 bytes" ]]
	assert_equal "$(cut -f 1 <<<"${lines[0]}")" 2
}

@test "a value nested 100 000 levels deep is rejected quickly, never a crash" {
	{ printf '[{"client_id":1,"loan_name":"L","payment_number":1,"payment_date":"2010-07-09","x":'
	  head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'
	  printf '},{"client_id":2,"loan_name":"L","payment_number":1,"payment_date":"2010-07-09"}]'; } > "$BATS_TEST_TMPDIR/deep.json"
	run --separate-stderr timeout 20 json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$BATS_TEST_TMPDIR/deep.json"
	assert_success
	assert_equal "$(counts "$stderr")" "2 1 1 0"
	assert_equal "$(cut -f 4 "$BATS_TEST_TMPDIR/rej")" "nested deeper than 64 levels"
	# and as the whole record
	{ head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; } > "$BATS_TEST_TMPDIR/deep2.json"
	run --separate-stderr timeout 20 json2tsv payments "$BATS_TEST_TMPDIR/deep2.json"
	assert_success
	assert_output '\.'
}

@test "[ thanx ] is not accepted" {
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments <<<'[ thanx ]'
	assert_success
	assert_output '\.'
	assert_equal "$(counts "$stderr")" "1 0 1 0"
	[[ $(cut -f 4 "$BATS_TEST_TMPDIR/rej") == "invalid JSON"* ]]
}

@test "truncated JSON: exit 65, line:column, no end marker" {
	tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$BATS_TEST_TMPDIR"
	head -c 100000 "$BATS_TEST_TMPDIR/seed-n20/raw_files/payments.json" > "$BATS_TEST_TMPDIR/cut.json"
	run --separate-stderr json2tsv payments "$BATS_TEST_TMPDIR/cut.json"
	assert_equal "$status" 65
	[[ $output != *'\.'* ]]
	[[ ${stderr_lines[0]} =~ ^json2tsv:\ .*/cut\.json:[0-9]+:[0-9]+:\ the\ input\ ends\ inside ]]
	# the line named is the file's last line
	local line; line=$(sed -E 's/.*cut\.json:([0-9]+):.*/\1/' <<<"${stderr_lines[0]}")
	assert_equal "$line" "$(($(wc -l < "$BATS_TEST_TMPDIR/cut.json") + 1))"
}

@test "junk after ']' and a missing comma between records: exit 65, no end marker" {
	run --separate-stderr json2tsv payments <<<'[{"client_id":1,"loan_name":"L","payment_number":1,"payment_date":"2010-07-09"}] junk'
	assert_equal "$status" 65
	assert_equal "${stderr_lines[0]}" "json2tsv: <stdin>:1:82: unexpected data after the closing ']'"
	[[ $output != *'\.'* ]]
	run --separate-stderr json2tsv payments <<<$'[{"client_id":1}\n {"client_id":2}]'
	assert_equal "$status" 65
	assert_equal "$(grep -v rejected: <<<"$stderr" | head -n 1)" "json2tsv: <stdin>:2:2: expected ',' or ']' after a record"
	[[ $output != *'\.'* ]]
}

@test "read = written + rejected; the rejects file has one 5-column line per reject with true offsets" {
	local f=$BATS_TEST_TMPDIR/mix.json
	{ echo '['
	  for i in $(seq 1 300); do
		sep=,; ((i == 300)) && sep=
		if ((i % 7 == 0)); then
			echo "  {\"client_id\":$i,\"loan_name\":\"L$i\",\"payment_number\":1,\"payment_date\":\"2023-02-30\"}$sep"
		elif ((i % 11 == 0)); then
			echo "  {\"client_id\":$i,\"loan_name\":\"L\\t$i\",\"payment_number\":1,\"payment_date\":\"2010-07-09\",\"paid_fact_amount\":-1}$sep"
		else
			echo "  {\"client_id\":$i,\"loan_name\":\"L$i\",\"payment_number\":1,\"payment_date\":\"2010-07-09\",\"extra\":1}$sep"
		fi
	  done
	  echo ']'; } > "$f"
	run --separate-stderr json2tsv -r "$BATS_TEST_TMPDIR/rej" payments "$f"
	assert_success
	local rej=$(( 300 / 7 + 300 / 11 - 300 / 77 ))
	assert_equal "$(counts "$stderr")" "300 $((300 - rej)) $rej $((300 - rej))"
	assert_equal "$((${#lines[@]} - 1))" "$((300 - rej))"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/rej")" "$rej"
	assert_equal "$(awk -F'\t' 'NF != 5' "$BATS_TEST_TMPDIR/rej")" ''
	# each offset points at the '{' that starts the record, and raw is that record
	local recno off field reason raw bad=0
	while IFS=$'\t' read -r recno off field reason raw; do
		[[ $(tail -c +$((off + 1)) "$f" | head -n 1 | sed 's/,$//') == "$(printf '%s' "$raw" | sed 's/\\\\/\\/g')" ]] || bad=$((bad + 1))
		(( recno % 7 == 0 || recno % 11 == 0 )) || bad=$((bad + 1))
	done < "$BATS_TEST_TMPDIR/rej"
	assert_equal "$bad" 0
	assert_equal "$(grep -c $'\tpayment_date\timpossible date: 2023-02-30\t' "$BATS_TEST_TMPDIR/rej")" $((300 / 7))
	# every row's recno is a record that was not rejected, in order
	assert_equal "$(head -n -1 <<<"$output" | cut -f 1 | awk '$1 % 7 == 0 || ($1 % 11 == 0)')" ''
}

@test "without --rejects the first 10 rejects are described on stderr and the rest counted" {
	for i in $(seq 1 25); do echo '{"client_id":"abc"}'; done > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr json2tsv payments < "$BATS_TEST_TMPDIR/bad.json"
	assert_success
	assert_output '\.'
	assert_equal "$(grep -c 'rejected: client_id: not a number' <<<"$stderr")" 10
	[[ $stderr == *"15 more rejected records not shown"* ]]
	assert_equal "$(counts "$stderr")" "25 0 25 0"
}

@test "--max-rejects stops with 65 and no end marker" {
	for i in $(seq 1 5); do echo '{"client_id":"abc"}'; done > "$BATS_TEST_TMPDIR/bad.json"
	run --separate-stderr json2tsv --max-rejects 2 payments "$BATS_TEST_TMPDIR/bad.json"
	assert_equal "$status" 65
	[[ $output != *'\.'* ]]
	[[ $stderr == *"more than 2 rejected records: stopping"* ]]
	run --separate-stderr json2tsv -m 5 payments "$BATS_TEST_TMPDIR/bad.json"
	assert_success
	assert_output '\.'
	run --separate-stderr json2tsv --max-rejects x payments
	assert_equal "$status" 64
}

@test "usage errors: unknown entity 64, missing file 66, unwritable rejects 73" {
	run --separate-stderr json2tsv payment < /dev/null
	assert_equal "$status" 64
	[[ $stderr == *"unknown entity 'payment'"* ]]
	run --separate-stderr json2tsv
	assert_equal "$status" 64
	run --separate-stderr json2tsv payments "$BATS_TEST_TMPDIR/nope.json"
	assert_equal "$status" 66
	run --separate-stderr json2tsv -r /nonexistent/dir/rej payments < /dev/null
	assert_equal "$status" 73
}

@test "| head -1 ends quietly with status 0" {
	awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "{\"client_id\":%d,\"loan_name\":\"L\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}\n", i }' > "$BATS_TEST_TMPDIR/many.json"
	run --separate-stderr bash -c "json2tsv payments '$BATS_TEST_TMPDIR/many.json' | head -n 1; echo \"rc=\${PIPESTATUS[0]}\""
	assert_equal "${lines[0]}" $'1\t1\tL\t1\t2010-07-09\t\\N\t\\N'
	assert_equal "${lines[1]}" 'rc=0'
	assert_equal "$stderr" ''
}

@test "escaping is right: the TSV loads with psql \\copy and every value equals PostgreSQL's own JSON decoding" {
	local f=$BATS_TEST_TMPDIR/esc.ndjson
	cat > "$f" <<'JSON'
{"client_id":1,"loan_name":"tab\there","payment_number":1,"payment_date":"2010-07-09","paid_fact_amount":0.5}
{"client_id":2,"loan_name":"new\nline and\r\nCRLF","payment_number":2,"payment_date":"2010-07-09","paid_fact_amount":12}
{"client_id":3,"loan_name":"back\\slash \\N \\. \\t","payment_number":3,"payment_date":1262304000000,"paid_fact_amount":"99999999.99"}
{"client_id":4,"loan_name":"<script>alert('x')</script> \"quoted\" \/","payment_number":4,"payment_date":"2010-07-09T10:00:00Z"}
{"client_id":5,"loan_name":"Ж\u00e9\u20ac\ud83d\ude00 \u0001\u001f\b\f","payment_number":5,"payment_date":"2024-02-29","payment_fact_date":null}
{"client_id":6,"loan_name":"\\","payment_number":6,"payment_date":"2010-07-09","paid_fact_amount":1e2}
JSON
	json2tsv payments "$f" > "$BATS_TEST_TMPDIR/p.tsv"
	q -c 'create table j2t_pay (recno bigint, client_id bigint, loan_name text, payment_number int,
	        payment_date date, payment_fact_date date, paid_fact_amount numeric(17,2))'
	q -c 'create table j2t_raw (recno bigserial, j jsonb)'
	# the raw lines, byte for byte (CSV with quote/delimiter bytes that never occur)
	q -c "\\copy j2t_raw (j) from '$f' with (format csv, quote e'\\x01', delimiter e'\\x02')"
	run --separate-stderr q -c "\\copy j2t_pay from '$BATS_TEST_TMPDIR/p.tsv'"
	assert_success
	run --separate-stderr q -c "select count(*) from j2t_pay"
	assert_output 6
	run --separate-stderr q -c "
	    select r.recno from j2t_raw r left join j2t_pay p using (recno)
	    where p.recno is null
	       or p.client_id <> (r.j->>'client_id')::bigint
	       or p.loan_name is distinct from r.j->>'loan_name'
	       or p.payment_number <> (r.j->>'payment_number')::int
	       or p.paid_fact_amount is distinct from (r.j->>'paid_fact_amount')::numeric
	       or p.payment_fact_date is distinct from (r.j->>'payment_fact_date')::date"
	assert_success
	assert_output ''
	run --separate-stderr q -c "select payment_date from j2t_pay order by recno"
	assert_output $'2010-07-09\n2010-07-09\n2010-01-01\n2010-07-09\n2024-02-29\n2010-07-09'
}

# same ARGS...: json2tsv -j 1 and -j 2, 3, 4 write the same stdout, rejects
# file, stderr and status.  The rejects file is named by the word REJ in ARGS.
same() {
	local d=$BATS_TEST_TMPDIR/same j a x
	mkdir -p "$d"
	for j in 1 2 3 4; do
		a=("${@//REJ/$d/rej.$j}")
		json2tsv -j "$j" "${a[@]}" > "$d/out.$j" 2> "$d/err.$j" && echo 0 > "$d/rc.$j" || echo $? > "$d/rc.$j"
		[[ -e $d/rej.$j ]] || : > "$d/rej.$j"
	done
	for j in 2 3 4; do
		for x in out err rc rej; do
			cmp "$d/$x.1" "$d/$x.$j" || { echo "-j $j differs from -j 1 in $x: $*"; return 1; }
		done
	done
}

# mix N: N payments as NDJSON with rejects (every 7th impossible date, every
# 11th a string client_id), unknown fields whose names first appear late, and
# optionally (JUNK=1) a structure error at the end.
mix() {
	awk -v n="$1" -v junk="${JUNK:-0}" 'BEGIN {
		for (i = 1; i <= n; i++) {
			d = (i % 7 == 0) ? "2023-02-30" : "2010-07-09"
			id = (i % 11 == 0) ? "\"x\"" : i
			u = (i % 997 == 0) ? sprintf(",\"late%d\":1", int(i / 3000)) : ""
			printf "{\"client_id\":%s,\"loan_name\":\"L\\t%d\",\"payment_number\":1,\"payment_date\":\"%s\",\"paid_fact_amount\":%d.5%s}\n", id, i, d, i, u
		}
		if (junk) print "{\"client_id\":1,"
	}'
}

@test "-j 1, 2, 3, 4: the same bytes on the seed sample (several batches)" {
	tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$BATS_TEST_TMPDIR"
	local d=$BATS_TEST_TMPDIR/seed-n20/raw_files e
	for e in clients loans payments; do
		same "$e" "$d/$e.json"
	done
	# the payments three times over: more than three 512 KiB batches
	{ echo '['; for i in 1 2 3; do ((i > 1)) && echo ','; sed '1d;$d' "$d/payments.json"; done; echo ']'; } > "$BATS_TEST_TMPDIR/p3.json"
	(( $(stat -c %s "$BATS_TEST_TMPDIR/p3.json") > 3 * 512 * 1024 ))
	same -r REJ payments "$BATS_TEST_TMPDIR/p3.json"
}

@test "-j 1, 2, 3, 4: the same bytes with rejects, unknown fields and a structure error" {
	mix 30000 > "$BATS_TEST_TMPDIR/mix.ndjson"
	JUNK=1 mix 30000 > "$BATS_TEST_TMPDIR/bad.ndjson"
	same payments "$BATS_TEST_TMPDIR/mix.ndjson"
	same -r REJ payments "$BATS_TEST_TMPDIR/mix.ndjson"
	same payments "$BATS_TEST_TMPDIR/bad.ndjson"
	same -r REJ payments "$BATS_TEST_TMPDIR/bad.ndjson"
	run -65 json2tsv -j 2 payments "$BATS_TEST_TMPDIR/bad.ndjson"
	[[ $output != *'\.'* ]]
	# late0..late9 first appear in later batches; the first 8 are named (21 934
	# is rejected, so 22 931 is where late7 first counts), late8 is not
	run --separate-stderr json2tsv -j 2 payments "$BATS_TEST_TMPDIR/mix.ndjson"
	assert_success
	[[ $stderr == *'unknown field "late7" (first in record 22931)'* ]]
	[[ $stderr != *late8* ]]
}

@test "--max-rejects stops at the same record with any -j, also at a batch boundary" {
	mix 30000 > "$BATS_TEST_TMPDIR/mix.ndjson"
	local m
	# 30000 records hold 6623 rejects; stop early, mid-way, at the last, never
	for m in 0 1 9 10 11 600 2500 4000 6622 6623; do
		same -m "$m" payments "$BATS_TEST_TMPDIR/mix.ndjson"
		same -r REJ -m "$m" payments "$BATS_TEST_TMPDIR/mix.ndjson"
	done
	# small records: a batch is 4096 of them; rejects at 4096, 4097 and 8192
	awk 'BEGIN { for (i = 1; i <= 9000; i++)
		if (i == 4096 || i == 4097 || i == 8192) print "{\"client_id\":0}"
		else printf "{\"client_id\":%d,\"loan_name\":\"L\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}\n", i }' \
	    > "$BATS_TEST_TMPDIR/edge.ndjson"
	for m in 0 1 2 3; do
		same -m "$m" payments "$BATS_TEST_TMPDIR/edge.ndjson"
		same -r REJ -m "$m" payments "$BATS_TEST_TMPDIR/edge.ndjson"
	done
	run --separate-stderr json2tsv -j 2 -m 0 payments "$BATS_TEST_TMPDIR/edge.ndjson"
	assert_equal "$status" 65
	[[ $stderr == *'4096 read, 4095 written, 1 rejected'* ]]
	run --separate-stderr json2tsv -j 2 -m 1 payments "$BATS_TEST_TMPDIR/edge.ndjson"
	[[ $stderr == *'4097 read, 4095 written, 2 rejected'* ]]
}

@test "--jobs: 1..64, anything else is a usage error" {
	run -64 json2tsv -j 0 payments < /dev/null
	run -64 json2tsv --jobs 65 payments < /dev/null
	run -64 json2tsv -j x payments < /dev/null
	run -0 --separate-stderr json2tsv --jobs 64 payments < /dev/null
	assert_output '\.'
}
