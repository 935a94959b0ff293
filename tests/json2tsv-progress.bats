#!/usr/bin/env bats
# Progress on stderr (lib/progress.c) for json2tsv and pg-stage: a line with
# records, records/s and the share read when stderr is a terminal, nothing
# through a pipe; and the load's summary block of pipelines/load-part.

load helpers
load load-helpers

setup_file() {
	db_create
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	# the first line after 0 s instead of 2 s: the inputs here are small
	export OVERDUE_PROGRESS_AFTER=0
}
teardown_file() { db_drop; }

# 20 000 payment records (more than the 4096 between two looks at the clock)
many() {
	awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"client_id\":%d,\"loan_name\":\"L\",\"payment_number\":1,\"payment_date\":\"2010-07-09\"}\n", i }' \
	    >"$BATS_TEST_TMPDIR/many.json"
}

# run a command with stderr (and stdout) on a pseudo-terminal
on_tty() {
	command -v script >/dev/null || skip "no script(1) (util-linux) to make a pseudo-terminal"
	script -qec "$1" /dev/null
}

@test "json2tsv through a pipe: no progress, only the summary line" {
	many
	run --separate-stderr bash -c "json2tsv payments <'$BATS_TEST_TMPDIR/many.json' | wc -l"
	assert_success
	assert_output 20001
	assert_equal "$stderr" 'json2tsv: payments: 20000 read, 20000 written, 0 rejected, 0 unknown fields ignored'
}

@test "json2tsv on a terminal: records, records/s and the share read, cleared before the summary" {
	many
	run on_tty "json2tsv payments <'$BATS_TEST_TMPDIR/many.json' >'$BATS_TEST_TMPDIR/out' 2>/dev/tty"
	assert_success
	[[ $output == *$'\r''json2tsv payments: '*' records, '*' records/s, '*'% read'* ]] ||
	    fail "no progress line in: $(cat -A <<<"$output")"
	# the last progress line is blanked (\r spaces \r) before the summary
	local cleared=$'\r +\rjson2tsv: payments: 20000 read'
	[[ $output =~ $cleared ]] ||
	    fail "progress not cleared: $(cat -A <<<"$output")"
	# the data itself is the same as without a terminal
	json2tsv payments <"$BATS_TEST_TMPDIR/many.json" 2>/dev/null | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "load-part through a pipe: no progress; a summary block whose counts are the load audit's" {
	d=$(seed20)
	export SPLIT_DIR=$d/raw_split_files
	schema
	run --separate-stderr load_part 1
	assert_success
	[[ $stderr != *records/s* && $stderr != *$'\r'* ]] || fail "progress through a pipe: $stderr"
	load=$(q -c "select max(load_id) from core.load where status = 'committed'")
	for e in clients loans payments; do
		want=$(q -F ' ' -c "select read, new, changed, unchanged, rejected
		    from core.load_entity_stats where load_id = $load and entity = '$e'")
		[[ $(grep -E "^  stage $e +[0-9]+\.[0-9]{3} " <<<"$stderr" | tr -s ' ' | cut -d ' ' -f 5-) == "$want" ]] ||
		    fail "no summary line 'stage $e ... $want' in: $stderr"
	done
	grep -Eq '^  promote-core +[0-9]+\.[0-9]{3}$' <<<"$stderr"
	# make status: the trend has this load with its records read
	run --separate-stderr psql -X -q -P pager=off -v ON_ERROR_STOP=1 -f "$OVERDUE_TOP/sql/ops/status.sql"
	assert_success
	grep -Eq "^ +$load part_1 +$(q -c "select sum(read) from core.load_entity_stats where load_id = $load") .*#+\$" <<<"$output" ||
	    fail "no trend line for load $load: $output"
	run awk 'length > 80' <<<"$(sed -n '/^Load times/,$p' <<<"$output")"
	assert_output ''
}

@test "load-part on a terminal: pg-stage shows its progress" {
	d=$(seed20)
	export SPLIT_DIR=$d/raw_split_files
	schema
	run on_tty "'$OVERDUE_TOP/pipelines/load-part' 2 2>&1"
	assert_success
	[[ $output == *$'\r''pg-stage payments: '*' records, '*' records/s'* ]] ||
	    fail "no pg-stage progress in: $(cat -A <<<"$output")"
	assert_equal "$(q -c "select status from core.load order by load_id desc limit 1")" committed
}
