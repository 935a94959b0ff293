#!/usr/bin/env bats
# notify-replay: six months of a generated 10 000-client portfolio, loaded
# through the real pipeline, replayed under the seed's baseline and the
# optimised policy; the contact logs checked by tests/tools/check-contacts.py
# (Python's zoneinfo, the calendar file and its own SPEC 5 positions from
# core: none of our C code); three hand-made clients with known answers.

load helpers

FROM=2024-01-01
TO=2024-06-30
CHECK=$OVERDUE_TOP/tests/tools/check-contacts.py

setup_file() {
	db_create
	export SMALL_DB="${PGDATABASE}_small"	# the hand-made clients' database
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	gen-clients -n 10000 --seed 1 --as-of 2024-06-30 -o "$BATS_FILE_TMPDIR/p"
	"$OVERDUE_TOP/pipelines/load-part" "$BATS_FILE_TMPDIR/p" 2>/dev/null
	rm -rf "$BATS_FILE_TMPDIR/p"
	cd "$BATS_FILE_TMPDIR"
	notify-replay "$FROM" "$TO" --log opt.tsv --baseline-log base.tsv --chart chart.svg >summary.tsv
	"$CHECK" opt.tsv >check-opt.tsv
	"$CHECK" base.tsv >check-base.tsv 2>/dev/null
}
teardown_file() {
	db_drop
	psql -d postgres -XqAtc "drop database if exists \"$SMALL_DB\" with (force)" >/dev/null 2>&1 || true
}

# colf FILE POLICY NAME: a column of a summary; col POLICY NAME: of the replay's
colf() {
	awk -F'\t' -v p="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	    $1 == p { if (!(c in h)) exit 2; print $h[c] }' "$1"
}
col() { colf "$BATS_FILE_TMPDIR/summary.tsv" "$@"; }
# bats-assert here has no assert_stderr
stderr_has() {
	[[ $stderr == *"$1"* ]] && return 0
	printf 'stderr does not contain: %s\n--- stderr:\n%s\n' "$1" "$stderr" >&2
	return 1
}
# chk FILE NAME: a value the checker printed
chk() { awk -F'\t' -v k="$2" '$1 == k { print $2 }' "$1"; }

@test "the summary has a row per policy and the columns SPEC 9 names" {
	run head -n 1 "$BATS_FILE_TMPDIR/summary.tsv"
	[[ $output == $'policy\tmessages\tcalls\tletters\tclients_contacted\tviolations\t'* ]]
	run cut -f 1 "$BATS_FILE_TMPDIR/summary.tsv"
	assert_output $'policy\nbaseline\noptimised'
	for c in contacts_per_client_month episodes first_contact_1d first_contact_3d first_contact_7d \
	    predue_sent predue_paid_on_time calls_max_day calls_mean_day calls_per_day; do
		run col optimised "$c"
		assert_success
		[[ -n $output ]]
	done
}

@test "optimised: zero 230-FZ violations in the independent check of its log" {
	[[ $(chk "$BATS_FILE_TMPDIR/check-opt.tsv" violations) == 0 ]]
	[[ $(col optimised violations) == 0 ]]
	# the log holds every contact the summary counts
	local n=$(($(col optimised messages) + $(col optimised calls) + $(col optimised letters)))
	((n > 1000))
	[[ $(chk "$BATS_FILE_TMPDIR/check-opt.tsv" contacts) == "$n" ]]
}

@test "baseline: its violations are counted, and the checker counts the same" {
	local v
	v=$(col baseline violations)
	((v > 0))
	[[ $(chk "$BATS_FILE_TMPDIR/check-base.tsv" violations) == "$v" ]]
	[[ $(chk "$BATS_FILE_TMPDIR/check-base.tsv" contacts) == "$(col baseline messages)" ]]
	[[ $(col baseline calls) == 0 && $(col baseline letters) == 0 ]]
}

@test "optimised: fewer messages and fewer contacts than the baseline" {
	local b o
	b=$(col baseline messages)
	o=$(col optimised messages)
	((o < b))
	((o + $(col optimised calls) + $(col optimised letters) < b))
	echo "# messages: baseline $b, optimised $o" >&3
}

@test "every overdue episode lasting a week got a first contact within 7 days (episodes from core, independently)" {
	local c=$BATS_FILE_TMPDIR/check-episodes.tsv
	run --separate-stderr "$CHECK" --episodes "$FROM" "$TO" "$BATS_FILE_TMPDIR/opt.tsv"
	assert_success
	printf '%s\n' "$output" >"$c"
	[[ $(chk "$c" missed_7d) == 0 ]]
	(($(chk "$c" episodes_7d) > 100))
	# the replay's own counts agree with the checker's
	for k in episodes episodes_1d episodes_3d episodes_7d first_contact_1d first_contact_3d \
	    first_contact_7d no_channel_7d; do
		[[ $(col optimised "$k") == "$(chk "$c" "$k")" ]] || { echo "$k: $(col optimised "$k") vs $(chk "$c" "$k")"; false; }
	done
	# those not contacted are the clients nobody can reach
	[[ $(($(col optimised first_contact_7d) + $(col optimised no_channel_7d))) == "$(col optimised episodes_7d)" ]]
	# the baseline messages every overdue loan on its first day
	[[ $(col baseline first_contact_1d) == "$(col baseline episodes_1d)" ]]
}

@test "the call capacity: a policy with 5 calls a day never makes more" {
	cd "$BATS_TEST_TMPDIR"
	printf 'calls_per_day = 5\n' >policy.conf
	run --separate-stderr notify-replay "$FROM" "$TO" --policy policy.conf --log cap.tsv
	assert_success
	printf '%s\n' "$output" >cap-summary.tsv
	(($(colf cap-summary.tsv optimised calls_max_day) == 5))
	[[ $(colf cap-summary.tsv optimised calls_per_day) == 5 ]]
	run "$CHECK" cap.tsv
	assert_success
	[[ $(chk <(echo "$output") violations) == 0 ]]
	(($(chk <(echo "$output") calls_max_local_day) <= 5))
	(($(chk <(echo "$output") calls_max_local_day) == 5))
	# fewer calls than with 200 a day
	(($(colf cap-summary.tsv optimised calls) < $(col optimised calls)))
}

@test "the chart: well-formed SVG whose two lines hold each policy's contacts per day" {
	run python3 - "$BATS_FILE_TMPDIR/chart.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1])
ns = {"s": "http://www.w3.org/2000/svg"}
lines = t.getroot().findall(".//s:polyline", ns)
for l in lines:
    v = [int(x) for x in l.get("data-values").split()]
    print(l.get("data-policy"), len(v), sum(v))
PY
	assert_success
	assert_line "baseline 182 $(col baseline messages)"
	assert_line "optimised 182 $(($(col optimised messages) + $(col optimised calls) + $(col optimised letters)))"
}

@test "the same history replayed twice gives the same summary and log" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr notify-replay "$FROM" "$TO" --log again.tsv
	assert_success
	assert_output "$(cat "$BATS_FILE_TMPDIR/summary.tsv")"
	cmp again.tsv "$BATS_FILE_TMPDIR/opt.tsv"
}

# Three hand-made clients, one loan each: installment 2 of 1 000.00 due
# 2024-01-10 is paid on 01-25, so each is overdue 01-11 .. 01-24.  The
# ladder (1:sms 3:sms 7:call 14:call) at 10:00 local: Novosibirsk by region
# (03:00Z); Perm by the address's city (Yekaterinburg time), no phone and no
# e-mail, so letters (05:00Z); no zone at all, so 10:00 Moscow (07:00Z),
# which every Russian zone allows on those days.
small_db() {
	psql -d postgres -XqAtc "drop database if exists \"$SMALL_DB\"" >/dev/null 2>&1
	psql -d postgres -Xqc "create database \"$SMALL_DB\"" >/dev/null
	PGDATABASE=$SMALL_DB "$OVERDUE_TOP/pipelines/schema" 2>/dev/null
}

three_clients() {
	local d=$1 id
	mkdir -p "$d"
	cat >"$d/clients.json" <<'JSON'
[
{"client_id":1,"fio":"Иванов Иван Иванович","passport":"01 02 030405","gender":"Мужчина","birth_date":"1980-01-01","education":"Высшее","count_of_children":0,"job_type":"Работает по найму","region":"Новосибирск","family_status":"В браке","address":"г. Новосибирск, ул. Ленина, д. 1","phone":"+7 (913) 000-00-01","income":50000},
{"client_id":2,"fio":"Петров Пётр Петрович","passport":"01 02 030406","gender":"Мужчина","birth_date":"1981-01-01","education":"Высшее","count_of_children":0,"job_type":"Работает по найму","region":null,"family_status":"В браке","address":"г. Пермь, ул. Ленина, д. 2","phone":null,"income":50000},
{"client_id":3,"fio":"Сидорова Анна Сергеевна","passport":"01 02 030407","gender":"Женщина","birth_date":"1982-01-01","education":"Высшее","count_of_children":0,"job_type":"Работает по найму","region":null,"family_status":"В браке","address":null,"phone":"+7 (900) 000-00-03","income":50000}
]
JSON
	{
		echo '['
		for id in 1 2 3; do
			printf '{"client_id":%d,"loan_name":"L-%d","loan_amount":6000,"loan_start_date":"2023-12-10","loan_end_date":"2024-05-10","payment_numbers":6,"paid_amount":1000}%s\n' \
			    "$id" "$id" "$([[ $id == 3 ]] || echo ,)"
		done
		echo ']'
	} >"$d/loans.json"
	{
		echo '['
		for id in 1 2 3; do
			printf '{"client_id":%d,"loan_name":"L-%d","payment_number":1,"payment_date":"2023-12-10","payment_fact_date":"2023-12-10","paid_fact_amount":1000},\n' "$id" "$id"
			printf '{"client_id":%d,"loan_name":"L-%d","payment_number":2,"payment_date":"2024-01-10","payment_fact_date":"2024-01-25","paid_fact_amount":1000}%s\n' \
			    "$id" "$id" "$([[ $id == 3 ]] || echo ,)"
		done
		echo ']'
	} >"$d/payments.json"
}

@test "three hand-made clients: the contacts, their times and zones are the ones derived by hand" {
	small_db
	export PGDATABASE=$SMALL_DB
	cd "$BATS_TEST_TMPDIR"
	# an empty core: nothing to do, the logs hold their header only
	run --separate-stderr notify-replay 2024-01-01 2024-01-31 --log empty.tsv
	assert_success
	assert_line --index 1 --regexp $'^baseline\t0\t0\t0\t0\t0\t'
	assert_line --index 2 --regexp $'^optimised\t0\t0\t0\t0\t0\t'
	[[ $(cat empty.tsv) == $'client_id\tchannel\tsent_at\ttz\tloans' ]]

	three_clients three
	"$OVERDUE_TOP/pipelines/load-part" three 2>/dev/null
	run --separate-stderr notify-replay 2024-01-01 2024-01-31 --log opt.tsv --baseline-log base.tsv
	assert_success
	run cat opt.tsv
	assert_output "$(printf '%s\n' $'client_id\tchannel\tsent_at\ttz\tloans' \
	    $'1\tsms\t2024-01-11T03:00:00Z\tAsia/Novosibirsk\tL-1' \
	    $'1\tsms\t2024-01-13T03:00:00Z\tAsia/Novosibirsk\tL-1' \
	    $'1\tcall\t2024-01-17T03:00:00Z\tAsia/Novosibirsk\tL-1' \
	    $'1\tcall\t2024-01-24T03:00:00Z\tAsia/Novosibirsk\tL-1' \
	    $'2\tletter\t2024-01-11T05:00:00Z\tAsia/Yekaterinburg\tL-2' \
	    $'2\tletter\t2024-01-13T05:00:00Z\tAsia/Yekaterinburg\tL-2' \
	    $'2\tletter\t2024-01-17T05:00:00Z\tAsia/Yekaterinburg\tL-2' \
	    $'2\tletter\t2024-01-24T05:00:00Z\tAsia/Yekaterinburg\tL-2' \
	    $'3\tsms\t2024-01-11T07:00:00Z\tunknown\tL-3' \
	    $'3\tsms\t2024-01-13T07:00:00Z\tunknown\tL-3' \
	    $'3\tcall\t2024-01-17T07:00:00Z\tunknown\tL-3' \
	    $'3\tcall\t2024-01-24T07:00:00Z\tunknown\tL-3')"
	# the baseline: an SMS a day for 14 days each, at 07:00Z, whatever the
	# zone or the phone; days 19-21 January break the week's cap of 4
	[[ $(grep -c $'\tsms\t' base.tsv) == 42 ]]
	[[ $(grep -c $'^2\tsms\t2024-01-1[1-9]T07:00:00Z\tAsia/Yekaterinburg\tL-2$\|^2\tsms\t2024-01-2[0-4]T07:00:00Z\tAsia/Yekaterinburg\tL-2$' base.tsv) == 14 ]]
	run --separate-stderr notify-replay 2024-01-01 2024-01-31 --log opt.tsv
	assert_line --index 1 --regexp $'^baseline\t42\t0\t0\t3\t9\t'
	assert_line --index 2 --regexp $'^optimised\t4\t4\t4\t3\t0\t'
	run "$CHECK" base.tsv
	[[ $(chk <(echo "$output") violations) == 9 ]]
	# a refusal from 01-15 on (the restrictions list): client 3 gets its two SMS only
	q -c "insert into notify.restriction (client_id, kind, valid_from, source, loaded_at)
	    values (3, 'refusal', '2024-01-15', 'notify-replay.bats', '2024-02-01T00:00:00Z')"
	run --separate-stderr notify-replay 2024-01-01 2024-01-31 --log restricted.tsv
	assert_success
	run grep $'^3\t' restricted.tsv
	assert_output "$(printf '%s\n' $'3\tsms\t2024-01-11T07:00:00Z\tunknown\tL-3' \
	    $'3\tsms\t2024-01-13T07:00:00Z\tunknown\tL-3')"
}

@test "usage errors exit 64, unreadable or bad files 66 / 65, no core 69" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr notify-replay 2024-01-01 2024-06-30
	assert_failure 64
	stderr_has "--log FILE is required"
	stderr_has "usage: notify-replay"
	run --separate-stderr notify-replay 2024-06-30 2024-01-01 --log x.tsv
	assert_failure 64
	stderr_has "TO (2024-01-01) is before FROM (2024-06-30)"
	run --separate-stderr notify-replay 2024-02-30 2024-06-30 --log x.tsv
	assert_failure 64
	stderr_has "'2024-02-30' is not a date"
	run --separate-stderr notify-replay 2024-01-01 --log x.tsv
	assert_failure 64
	run --separate-stderr notify-replay 2024-01-01 2024-06-30 --log x.tsv --policy nosuch.conf
	assert_failure 66
	printf 'calls_per_day = lots\n' >bad.conf
	run --separate-stderr notify-replay 2024-01-01 2024-06-30 --log x.tsv --policy bad.conf
	assert_failure 65
	stderr_has "bad.conf:1"
	run --separate-stderr notify-replay 2024-01-01 2024-06-30 --log /nonexistent/dir/x.tsv
	assert_failure 73
	run --separate-stderr notify-replay -d "dbname=postgres" 2024-01-01 2024-06-30 --log x.tsv
	assert_failure 69
	stderr_has "notify-replay: core does not exist"
	run --separate-stderr notify-replay --help
	assert_success
	assert_line --index 0 --partial "usage: notify-replay [-v] [-d conninfo] FROM TO"
}
