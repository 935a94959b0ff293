#!/usr/bin/env bats
# pg-stage a chunk at a time (lib/load/stagechunk.h): whatever the chunk size and
# the way a chunk's keys are looked up in core (a client_id range or key
# probes), the counts and core are the ones the files call for; a re-sent
# cumulative part stages nothing; memory does not grow with core.
# OVERDUE_STAGE_CHUNK_LINES and OVERDUE_STAGE_STRATEGY (pg-stage(1)) force
# small chunks and one strategy.

load helpers
load load-helpers

setup_file() {
	db_create
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	# 150 generated clients in 3 cumulative parts, sorted by client
	export SPLIT_DIR=$BATS_FILE_TMPDIR/split
	gen-clients -n 150 --seed 7 --as-of 2024-06-30 | json-split -p 3 -o "$SPLIT_DIR" 2>/dev/null
	# parts 2 and 3 re-send part 1: change three of its payments (the
	# first, the middle and the last) and its first client's phone in both
	local p1=$SPLIT_DIR/part_1/payments_1.json n k
	n=$(jq length "$p1")
	keys=$(jq -c --argjson n "$n" '[.[0], .[($n / 2 | floor)], .[$n - 1]]
	    | map([.client_id, .loan_name, .payment_number])' "$p1")
	cid=$(jq '.[0].client_id' "$SPLIT_DIR/part_1/clients_1.json")
	for k in 2 3; do
		f=$SPLIT_DIR/part_$k/payments_$k.json
		jq --argjson keys "$keys" 'map(if ([.client_id, .loan_name, .payment_number] as $k
		    | $keys | index([$k])) != null then .paid_fact_amount = 0.01 else . end)' "$f" >"$f.new"
		mv "$f.new" "$f"
		f=$SPLIT_DIR/part_$k/clients_$k.json
		jq --argjson id "$cid" 'map(if .client_id == $id then .phone = "+7 000 000-00-00" else . end)' \
		    "$f" >"$f.new"
		mv "$f.new" "$f"
	done
	# what every load must count, derived from the files themselves
	for k in 1 2 3; do
		for e in clients loans payments; do
			printf '%s\t%s\t%s\n' "$k" "$e" "$(want_counts "$e" "$SPLIT_DIR/part_$k/${e}_$k.json" \
			    "$( ((k > 1)) && echo "$SPLIT_DIR/part_$((k - 1))/${e}_$((k - 1)).json")")"
		done
	done >"$BATS_FILE_TMPDIR/want"
	# the reference: a load with pg-stage's defaults
	reset_db
	for k in 1 2 3; do load_part "$k" 2>/dev/null; done
	export REF_SUM=$(core_checksum) REF_VERSIONS=$(versions)
	stats >"$BATS_FILE_TMPDIR/ref"
}
teardown_file() { db_drop; }

reset_db() {
	q -c 'drop schema if exists staging, core, mart cascade' >/dev/null 2>&1
	schema
}

# read, new, changed, unchanged, rejected of file CUR when core holds
# exactly file PREV (none: empty core), by the entity's key
want_counts() {	# want_counts ENTITY CUR [PREV]
	local key
	case $1 in
	clients) key='[.client_id]' ;;
	loans) key='[.client_id, .loan_name]' ;;
	payments) key='[.client_id, .loan_name, .payment_number]' ;;
	esac
	jq -rn --slurpfile cur "$2" --slurpfile prev "${3:-/dev/null}" "
	    ((\$prev[0] // []) | map({key: ($key | tojson), value: .}) | from_entries) as \$p
	    | \$cur[0] | [length,
	        (map(select(\$p[$key | tojson] == null)) | length),
	        (map(select(\$p[$key | tojson] != null and \$p[$key | tojson] != .)) | length),
	        (map(select(\$p[$key | tojson] == .)) | length), 0] | @tsv"
}

# the load audit's counts of the committed parts
stats() {
	q -F $'\t' -c "select l.part, s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected
	    from core.load_entity_stats s join core.load l using (load_id)
	    where l.status = 'committed' order by l.part, s.entity"
}

# a digest of core's versions by their values and whether they are current
# (core_checksum also names the parts that opened and closed them)
versions() {
	q -c "select md5(string_agg(x, E'\n' order by x)) from (
	    select 'client ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
	        || (v.valid_to_load is null)::text as x from core.client_version v
	    union all
	    select 'loan ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
	        || (v.valid_to_load is null)::text from core.loan_version v
	    union all
	    select 'payment ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
	        || (v.valid_to_load is null)::text from core.payment_version v) s"
}

# pg-stage's summary lines for ENTITY in $stderr: "RANGES PROBES" each
strategies() {	# strategies ENTITY
	sed -nE "s/^pg-stage: $1: .* chunks?: ([0-9]+) range, ([0-9]+) probe.*/\1 \2/p" <<<"$stderr"
}

# load parts 1..3 with the environment given; the counts and core must be
# those of the files and of the default run
load_with() {	# load_with VAR=VALUE...
	local k
	reset_db
	for k in 1 2 3; do
		run --separate-stderr env "$@" "$OVERDUE_TOP/pipelines/load-part" "$k"
		assert_success
		all_stderr+=$stderr$'\n'
	done
	assert_equal "$(stats)" "$(cat "$BATS_FILE_TMPDIR/want")"
	assert_equal "$(core_checksum)" "$REF_SUM"
}

@test "default chunks: the counts are the ones derived from the files" {
	assert_equal "$(cat "$BATS_FILE_TMPDIR/ref")" "$(cat "$BATS_FILE_TMPDIR/want")"
	# and the changes are there: 3 payments and a client in part 2
	assert_equal "$(awk -F'\t' '$1 == 2 && $2 == "payments" {print $5}' "$BATS_FILE_TMPDIR/want")" 3
	assert_equal "$(awk -F'\t' '$1 == 2 && $2 == "clients" {print $5}' "$BATS_FILE_TMPDIR/want")" 1
}

@test "chunks of 7 lines, every chunk a range: the same counts and core" {
	all_stderr=
	load_with OVERDUE_STAGE_CHUNK_LINES=7 OVERDUE_STAGE_STRATEGY=range
	stderr=$all_stderr
	# parts 2 and 3 looked up by ranges only, in chunks of 7 lines
	run strategies payments
	assert_output --regexp '^0 0
[1-9][0-9]* 0
[1-9][0-9]* 0$'
}

@test "chunks of 7 lines, every chunk probed: the same counts and core" {
	all_stderr=
	load_with OVERDUE_STAGE_CHUNK_LINES=7 OVERDUE_STAGE_STRATEGY=probe
	stderr=$all_stderr
	run strategies payments
	assert_output --regexp '^0 0
0 [1-9][0-9]*
0 [1-9][0-9]*$'
}

@test "chunks of 7 and of 100 lines, chosen per chunk: the same counts and core" {
	all_stderr=
	load_with OVERDUE_STAGE_CHUNK_LINES=7 OVERDUE_STAGE_STRATEGY=auto
	all_stderr=
	load_with OVERDUE_STAGE_CHUNK_LINES=100
	# sorted cumulative parts: their chunks hold whole clients, so ranges
	stderr=$all_stderr
	run strategies payments
	assert_line --index 1 --regexp '^[1-9][0-9]* 0$'
	assert_line --index 2 --regexp '^[1-9][0-9]* 0$'
}

@test "a part in shuffled order: the same counts and core, its chunks probed" {
	reset_db
	load_part 1 2>/dev/null
	load_part 2 2>/dev/null
	d=$BATS_TEST_TMPDIR/part_3
	cp -r "$SPLIT_DIR/part_3" "$d"
	jq -c '.[]' "$SPLIT_DIR/part_3/payments_3.json" | shuf --random-source=<(yes) |
	    jq -s . >"$d/payments_3.json"
	[[ $(jq -c '.[0:5]' "$d/payments_3.json") != $(jq -c '.[0:5]' "$SPLIT_DIR/part_3/payments_3.json") ]]
	run --separate-stderr env OVERDUE_STAGE_CHUNK_LINES=100 "$OVERDUE_TOP/pipelines/load-part" --force "$d"
	assert_success
	# every chunk spans the whole client range: probes
	run strategies payments
	assert_output --regexp '^0 [1-9][0-9]*$'
	# counted as part 3 would be (it is loaded as a folder: no part number)
	assert_equal "$(q -F $'\t' -c "select s.entity, s.read, s.new, s.changed, s.unchanged, s.rejected
	    from core.load_entity_stats s join core.load l using (load_id)
	    where l.status = 'committed' and l.part is null order by s.entity")" \
	    "$(awk -F'\t' -v OFS='\t' '$1 == 3 {$1 = ""; print substr($0, 2)}' "$BATS_FILE_TMPDIR/want")"
	assert_equal "$(versions)" "$REF_VERSIONS"
}

@test "a cumulative part re-sent stages nothing, by ranges or by probes" {
	reset_db
	for k in 1 2 3; do load_part "$k" 2>/dev/null; done
	f=$SPLIT_DIR/part_3/payments_3.json
	n=$(jq length "$f")
	chunks=$(((n + 99) / 100))
	id=$(promote-core -b -f -s resend | cut -f1)
	json2tsv payments <"$f" 2>/dev/null >"$BATS_TEST_TMPDIR/p.tsv"
	run --separate-stderr env OVERDUE_STAGE_CHUNK_LINES=100 pg-stage -l "$id" -s resend payments <"$BATS_TEST_TMPDIR/p.tsv"
	assert_success
	stderr_has "payments: $n read, 0 staged, $n unchanged (load $id; "
	stderr_has " core rows looked up in $chunks chunks: $chunks range, 0 probe"
	id=$(promote-core -b -f -s resend 2>/dev/null | cut -f1)
	run --separate-stderr env OVERDUE_STAGE_CHUNK_LINES=100 OVERDUE_STAGE_STRATEGY=probe \
	    pg-stage -l "$id" -s resend payments <"$BATS_TEST_TMPDIR/p.tsv"
	assert_success
	# one current version per key: exactly n rows looked up
	stderr_has "payments: $n read, 0 staged, $n unchanged (load $id; $n core rows looked up in $chunks chunks: 0 range, $chunks probe"
	assert_equal "$(q -c "select count(*) from staging.payments where load_id = $id")" 0
}

@test "a changed row in the middle of a chunk is staged, whatever the strategy" {
	reset_db
	for k in 1 2 3; do load_part "$k" 2>/dev/null; done
	f=$SPLIT_DIR/part_3/payments_3.json
	n=$(jq length "$f")
	# record 151 (recno 151) sits in the middle of the second 100-line chunk
	jq '.[150].paid_fact_amount = 0.03' "$f" | json2tsv payments 2>/dev/null >"$BATS_TEST_TMPDIR/p.tsv"
	want=$(jq -r '.[150] | "\(.client_id) \(.loan_name) \(.payment_number)"' "$f")
	for how in range probe auto; do
		id=$(promote-core -b -f -s changed 2>/dev/null | cut -f1)
		run --separate-stderr env OVERDUE_STAGE_CHUNK_LINES=100 OVERDUE_STAGE_STRATEGY=$how \
		    pg-stage -l "$id" -s changed payments <"$BATS_TEST_TMPDIR/p.tsv"
		assert_success
		stderr_has "payments: $n read, 1 staged, $((n - 1)) unchanged (load $id; "
		assert_equal "$(q -c "select recno || ' ' || client_id || ' ' || loan_name || ' ' || payment_number
		    || ' ' || paid_fact_amount from staging.payments where load_id = $id")" "151 $want 0.03"
	done
}

@test "pg-stage's memory does not grow with core" {
	[[ -x /usr/bin/time ]] || skip "no /usr/bin/time to read the peak RSS"
	reset_db
	id=$(promote-core -b -f -s grown | cut -f1)
	# the same 3 000 input lines against a core of 3 000 and of 900 000
	# payments (30 000 clients, a loan each, 30 payments a loan)
	grow() {	# grow FROM TO: clients FROM..TO with their loans and payments
		q -c "insert into core.client select g, $id from generate_series($1, $2) g" \
		  -c "insert into core.client_version (client_id, valid_from_load, fio, passport, gender,
		      birth_date, education, job_type, income)
		      select g, $id, 'f', 'p', 'M', date '1980-01-01', 'e', 'j', 1 from generate_series($1, $2) g" \
		  -c "insert into core.loan select g, 'L-' || g, $id from generate_series($1, $2) g" \
		  -c "insert into core.payment_version (client_id, loan_name, payment_number, valid_from_load,
		      payment_date, payment_fact_date, paid_fact_amount)
		      select g, 'L-' || g, n, $id, date '2020-01-01' + n * 30, null, null
		      from generate_series($1, $2) g, generate_series(1, 30) n" \
		  -c "analyze core.client, core.payment_version" >/dev/null
	}
	grow 1 100
	q -c "update core.load set status = 'committed' where load_id = $id" >/dev/null
	# clients 1..100's payments as json2tsv writes them, one amount changed a client
	q -c "set datestyle = 'ISO, YMD'" -c "copy (select row_number() over (order by client_id, payment_number),
	    client_id, loan_name, payment_number, payment_date, payment_fact_date,
	    case when payment_number = 7 then 1.00 else paid_fact_amount end
	    from core.payment_version order by client_id, payment_number) to stdout" >"$BATS_TEST_TMPDIR/p.tsv"
	printf '\\.\n' >>"$BATS_TEST_TMPDIR/p.tsv"
	peak() {
		local id
		id=$(promote-core -b -f -s grown 2>/dev/null | cut -f1)
		/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" pg-stage -l "$id" -s grown payments \
		    <"$BATS_TEST_TMPDIR/p.tsv" 2>"$BATS_TEST_TMPDIR/err" || cat "$BATS_TEST_TMPDIR/err" >&2
		grep -q 'payments: 3000 read, 100 staged, 2900 unchanged' "$BATS_TEST_TMPDIR/err" ||
		    { cat "$BATS_TEST_TMPDIR/err" >&2; return 1; }
		tail -n 1 "$BATS_TEST_TMPDIR/rss"
	}
	small=$(peak)
	grow 101 30000
	big=$(peak)
	echo "peak RSS: $small KiB with 3 000 core payments, $big KiB with 900 000" >&2
	# the old whole-core hash set alone took 16 to 32 MiB for 900 000 rows
	((big - small < 8192)) || fail "peak RSS grew by $((big - small)) KiB with core"
	((big < 256 * 1024)) || fail "peak RSS $big KiB"
}
