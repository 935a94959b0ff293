#!/usr/bin/env bats
# notify-plan and notify-log against a real warehouse: a hand-made portfolio
# of twelve clients loaded through the load path (load-part), the mart built
# as of each test's day, the plan read and the contact log checked in SQL.
# Every expected value below is worked out by hand from the rules (SPEC 5
# positions, the default policy etc/notify-policy.conf, 230-FZ hours, the
# 2024 production calendar), never captured from the program's output.
#
# The portfolio (loans without payment records: installment k is due on
# start + (k-1) months, nothing paid; arrears = installments due before D):
#   1  Москва, phone     M-1 2024-03-20, M-2 2024-04-01, M-3 2024-04-10, 1000.00 each
#   2  Новосибирск       N-1 2024-04-01, 2000.00
#   3  no region, "г. Пермь, ..."          P-1 2024-04-01, 1500.00
#   4  no region, an unknown village       U-1 2024-04-01, 1500.00
#   5  Москва, no phone, no e-mail         F-1 2024-05-10, 1000.00
#   6  Москва, no phone, an e-mail         E-1 2024-05-10, 1000.00
#   7  Москва, phone     C-7 2024-05-05, 5000.00
#   8  Москва, phone     C-8 2024-05-05, 3000.00
#   9  Москва, phone     R-9 2024-04-01, 1000.00  (bankruptcy from 2024-05-01)
#  10  Москва, phone     X-10 2024-04-01, 1000.00 (a refusal that ended 2024-03-31)
#  11  Москва, phone     D-11 2024-01-15, 1000.00: #1 paid late (01-25), #2-#4 on time
#  12  Москва, phone     D-12 2024-01-15, 1000.00: #1-#5 paid on time
# (installments of 1000.00 etc.: paid_amount; 12 installments each)

load helpers

PORT=

client() {	# id region address phone email
	local region=null phone=null email=
	[[ -n $2 ]] && region="\"$2\""
	[[ -n $4 ]] && phone="\"$4\""
	[[ -n $5 ]] && email=",\"email\":\"$5\""
	printf '{"client_id":%d,"fio":"Клиентов%d Иван Петрович","passport":"45 01 12345%d","gender":"Мужчина","birth_date":"1980-01-01","education":"Высшее","count_of_children":0,"job_type":"Найм","region":%s,"family_status":null,"address":"%s","phone":%s,"income":50000%s}' \
	    "$1" "$1" "$1" "$region" "$3" "$phone" "$email"
}
loan() {	# client name start end paid_amount
	printf '{"client_id":%d,"loan_name":"%s","loan_amount":%s,"loan_start_date":"%s","loan_end_date":"%s","payment_numbers":12,"paid_amount":%s}' \
	    "$1" "$2" "$(($5 * 12))" "$3" "$4" "$5"
}
payment() {	# client loan number due paid_on amount
	printf '{"client_id":%d,"loan_name":"%s","payment_number":%d,"payment_date":"%s","payment_fact_date":"%s","paid_fact_amount":%s}' "$@"
}
join() { local IFS=,; echo "[$*]"; }

setup_file() {
	db_create
	"$OVERDUE_TOP/pipelines/schema" 2>/dev/null
	PORT=$BATS_FILE_TMPDIR/portfolio
	mkdir -p "$PORT"
	join "$(client 1 Москва 'г. Москва, ул. Тверская, д. 1' '+7 900 000-00-01')" \
	     "$(client 2 Новосибирск 'г. Новосибирск, ул. Ленина, д. 2' '+7 900 000-00-02')" \
	     "$(client 3 '' 'г. Пермь, ул. Ленина, д. 3' '+7 900 000-00-03')" \
	     "$(client 4 '' 'д. Неведомая, ул. Полевая, д. 4' '+7 900 000-00-04')" \
	     "$(client 5 Москва 'г. Москва, ул. Арбат, д. 5' '')" \
	     "$(client 6 Москва 'г. Москва, ул. Арбат, д. 6' '' 'client6@example.org')" \
	     "$(client 7 Москва 'г. Москва, ул. Арбат, д. 7' '+7 900 000-00-07')" \
	     "$(client 8 Москва 'г. Москва, ул. Арбат, д. 8' '+7 900 000-00-08')" \
	     "$(client 9 Москва 'г. Москва, ул. Арбат, д. 9' '+7 900 000-00-09')" \
	     "$(client 10 Москва 'г. Москва, ул. Арбат, д. 10' '+7 900 000-00-10')" \
	     "$(client 11 Москва 'г. Москва, ул. Арбат, д. 11' '+7 900 000-00-11')" \
	     "$(client 12 Москва 'г. Москва, ул. Арбат, д. 12' '+7 900 000-00-12')" \
	     >"$PORT/clients.json"
	join "$(loan 1 M-1 2024-03-20 2025-02-20 1000)" "$(loan 1 M-2 2024-04-01 2025-03-01 1000)" \
	     "$(loan 1 M-3 2024-04-10 2025-03-10 1000)" "$(loan 2 N-1 2024-04-01 2025-03-01 2000)" \
	     "$(loan 3 P-1 2024-04-01 2025-03-01 1500)" "$(loan 4 U-1 2024-04-01 2025-03-01 1500)" \
	     "$(loan 5 F-1 2024-05-10 2025-04-10 1000)" "$(loan 6 E-1 2024-05-10 2025-04-10 1000)" \
	     "$(loan 7 C-7 2024-05-05 2025-04-05 5000)" "$(loan 8 C-8 2024-05-05 2025-04-05 3000)" \
	     "$(loan 9 R-9 2024-04-01 2025-03-01 1000)" "$(loan 10 X-10 2024-04-01 2025-03-01 1000)" \
	     "$(loan 11 D-11 2024-01-15 2024-12-15 1000)" "$(loan 12 D-12 2024-01-15 2024-12-15 1000)" \
	     >"$PORT/loans.json"
	join "$(payment 11 D-11 1 2024-01-15 2024-01-25 1000)" "$(payment 11 D-11 2 2024-02-15 2024-02-15 1000)" \
	     "$(payment 11 D-11 3 2024-03-15 2024-03-15 1000)" "$(payment 11 D-11 4 2024-04-15 2024-04-15 1000)" \
	     "$(payment 12 D-12 1 2024-01-15 2024-01-15 1000)" "$(payment 12 D-12 2 2024-02-15 2024-02-15 1000)" \
	     "$(payment 12 D-12 3 2024-03-15 2024-03-15 1000)" "$(payment 12 D-12 4 2024-04-15 2024-04-15 1000)" \
	     "$(payment 12 D-12 5 2024-05-15 2024-05-15 1000)" \
	     >"$PORT/payments.json"
	PATH=$OVERDUE_BIN:$PATH "$OVERDUE_TOP/pipelines/load-part" "$PORT" 2>/dev/null
}
teardown_file() { db_drop; }

# plan DAY [notify-plan options]: the mart as of DAY, then a dry-run plan of DAY
plan() {
	local day=$1; shift
	build-mart -q --as-of "$day"
	run --separate-stderr notify-plan --as-of "$day" --dry-run "$@"
}
# the plan row of a client (after plan)
row() { printf '%s\n' "${lines[@]}" | awk -F'\t' -v id="$1" '$1 == id'; }
# window_start window_end tz of a client's row
window() { row "$1" | cut -f4-6; }
has_email_column() {
	[[ $(q -c "select count(*) from information_schema.columns
	    where table_schema = 'core' and table_name = 'clients_current' and column_name = 'email'") == 1 ]]
}
HEAD=$'client_id\tchannel\tstep\twindow_start\twindow_end\ttz\tloans\tarrears\tmax_dpd\tpriority\tcontact_id\tfio\tphone\temail\taddress\tdue_date'

@test "the portfolio went through the load path" {
	assert_equal "$(q -c 'select count(*) from core.clients_current')" 12
	assert_equal "$(q -c 'select count(*) from core.loans_current')" 14
	assert_equal "$(q -c 'select count(*) from core.payments_current')" 9
}

@test "consolidation: a client with 3 overdue loans gets one row listing all 3" {
	plan 2024-05-14
	assert_success
	assert_line --index 0 "$HEAD"
	# M-1 due 03-20, 04-20; M-2 04-01, 05-01; M-3 04-10, 05-10: 2 x 1000.00 each overdue;
	# dpd 55, 43, 34 (max 55: ladder step 30, a letter); weight 70 % from dpd 31:
	# priority = 600000 kopecks x 70 / 100
	assert_equal "$(row 1)" $'1\tletter\tdpd30\t2024-05-14T10:00\t2024-05-14T22:00\tEurope/Moscow\tM-1,M-2,M-3\t6000.00\t55\t420000\t\tКлиентов1 Иван Петрович\t+7 900 000-00-01\t\tг. Москва, ул. Тверская, д. 1\t'
	assert_equal "$(printf '%s\n' "${lines[@]}" | awk -F'\t' '$1 == 1' | wc -l)" 1
	# one row per client, in client_id order: 1-8, 10, 11 (9 is only restricted
	# later; 12 pays on time and has nothing due within 3 days)
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -f1 | paste -sd' ')" "1 2 3 4 5 6 7 8 9 10 11"
}

@test "weekday 2024-05-14: Moscow, Novosibirsk, a city's zone, an unknown zone" {
	plan 2024-05-14
	assert_success
	# a working day: 08:00-22:00 local, from send_at 10:00
	assert_equal "$(window 1)" $'2024-05-14T10:00\t2024-05-14T22:00\tEurope/Moscow'
	assert_equal "$(window 2)" $'2024-05-14T10:00\t2024-05-14T22:00\tAsia/Novosibirsk'
	# no region, but the address names Пермь (UTC+5)
	assert_equal "$(window 3)" $'2024-05-14T10:00\t2024-05-14T22:00\tAsia/Yekaterinburg'
	# neither: the hours allowed in every zone, UTC+2 08:00 .. UTC+12 22:00 =
	# 06:00-10:00 UTC = 09:00-13:00 Moscow, from 10:00 Moscow
	assert_equal "$(window 4)" $'2024-05-14T10:00\t2024-05-14T13:00\tunknown'
	# N-1: 04-01 and 05-01 overdue, dpd 43
	assert_equal "$(row 2 | cut -f2,3,7-10)" $'letter\tdpd30\tN-1\t4000.00\t43\t280000'
}

@test "Saturday 2024-05-18: weekend hours 09:00-20:00 local" {
	plan 2024-05-18
	assert_success
	assert_equal "$(window 1)" $'2024-05-18T10:00\t2024-05-18T20:00\tEurope/Moscow'
	assert_equal "$(window 2)" $'2024-05-18T10:00\t2024-05-18T20:00\tAsia/Novosibirsk'
	# every zone on a weekend: UTC+2 09:00 = 07:00 UTC .. UTC+12 20:00 = 08:00 UTC
	assert_equal "$(window 4)" $'2024-05-18T10:00\t2024-05-18T11:00\tunknown'
}

@test "working Saturday 2024-04-27: a working day's hours" {
	plan 2024-04-27
	assert_success
	assert_equal "$(window 1)" $'2024-04-27T10:00\t2024-04-27T22:00\tEurope/Moscow'
	assert_equal "$(window 2)" $'2024-04-27T10:00\t2024-04-27T22:00\tAsia/Novosibirsk'
	# Saturday worked everywhere (UTC+12 reaches Sunday only after 12:00 UTC)
	assert_equal "$(window 4)" $'2024-04-27T10:00\t2024-04-27T13:00\tunknown'
	# dpd 26 on N-1 (from 04-01): ladder step 14, a call
	assert_equal "$(row 2 | cut -f2,3,9)" $'call\tdpd14\t26'
}

@test "holiday 2024-05-09: holiday hours 09:00-20:00 local" {
	plan 2024-05-09
	assert_success
	assert_equal "$(window 1)" $'2024-05-09T10:00\t2024-05-09T20:00\tEurope/Moscow'
	assert_equal "$(window 2)" $'2024-05-09T10:00\t2024-05-09T20:00\tAsia/Novosibirsk'
	assert_equal "$(window 3)" $'2024-05-09T10:00\t2024-05-09T20:00\tAsia/Yekaterinburg'
	# May 9 and 10 are both holidays: 07:00-08:00 UTC
	assert_equal "$(window 4)" $'2024-05-09T10:00\t2024-05-09T11:00\tunknown'
}

@test "a missing phone falls back to e-mail, then to a letter" {
	plan 2024-05-14
	assert_success
	# F-1 and E-1: due 05-10, dpd 4: ladder step 3, an SMS; no phone
	assert_equal "$(row 5 | cut -f2,3,7-10,13-15)" $'letter\tdpd3\tF-1\t1000.00\t4\t100000\t\t\tг. Москва, ул. Арбат, д. 5'
	if has_email_column; then
		assert_equal "$(row 6 | cut -f2,3,13,14)" $'email\tdpd3\t\tclient6@example.org'
	else
		assert_equal "$(row 6 | cut -f2,3)" $'letter\tdpd3'
	fi
	# those with a phone get the SMS itself: client 11's D-11 #5 is due 05-15
	# and #1 was paid late in January: a pre-due reminder
	assert_equal "$(row 11 | cut -f2,3,7-10)" $'sms\tpredue\tD-11\t0.00\t0\t0'
	# ... for the installment due 05-15, which the message names (due_date)
	assert_equal "$(row 11 | cut -f16)" 2024-05-15
	assert_equal "$(row 5 | cut -f16)" ""
}

@test "capacity: with calls_per_day = 1 the higher expected recovery gets the call" {
	# C-7 and C-8: due 05-05, dpd 9: step 7, a call; 5000.00 vs 3000.00 x 100 %
	plan 2024-05-14
	assert_success
	assert_equal "$(row 7 | cut -f2,3,8,10)" $'call\tdpd7\t5000.00\t500000'
	assert_equal "$(row 8 | cut -f2,3,8,10)" $'call\tdpd7\t3000.00\t300000'
	echo 'calls_per_day = 1' >"$BATS_TEST_TMPDIR/policy"
	plan 2024-05-14 --policy "$BATS_TEST_TMPDIR/policy"
	assert_success
	assert_equal "$(row 7 | cut -f2)" call
	# the next channel of the chain: an SMS
	assert_equal "$(row 8 | cut -f2)" sms
	assert_equal "$(printf '%s\n' "${lines[@]}" | cut -f2 | grep -c '^call$')" 1
	# sms: 8 and 11's reminder; letters: 1-5, 9, 10 (and 6 without an e-mail column)
	assert_equal "$stderr" "notify-plan: 2024-05-14: 11 contacts planned (dry run: none logged), 0 already planned, 0 excluded, 12 clients (sms 2, email $(has_email_column && echo 1 || echo 0), call 1, letter $(has_email_column && echo 7 || echo 8); 1 calls over capacity)"
}

@test "--format json: an array of objects with the same keys" {
	plan 2024-05-14 --format json
	assert_success
	run python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
r = [x for x in a if x["client_id"] == 1][0]
print(len(a), ",".join(r), r["loans"], r["arrears"], r["tz"], r["contact_id"])' <<<"$output"
	assert_output "11 client_id,channel,step,window_start,window_end,tz,loans,arrears,max_dpd,priority,contact_id,fio,phone,email,address,due_date ['M-1', 'M-2', 'M-3'] 6000 Europe/Moscow None"
}

@test "the mart must be built as of the plan's day" {
	build-mart -q --as-of 2024-05-14
	run --separate-stderr notify-plan --as-of 2024-05-15 --dry-run
	assert_failure 65
	assert_equal "$stderr" "notify-plan: the mart is built as of 2024-05-14, not 2024-05-15: run build-mart --as-of 2024-05-15"
	assert_output ''
}

@test "the restrictions list: an excluded client gets no row; dates are kept" {
	printf 'client_id\tkind\tvalid_from\tvalid_to\tnote\n9\tbankruptcy\t2024-05-01\n10\trefusal\t2024-01-01\t2024-03-31\tart. 8, withdrawn\n' \
	    >"$BATS_TEST_TMPDIR/restrictions.tsv"
	run --separate-stderr notify-log --restrictions "$BATS_TEST_TMPDIR/restrictions.tsv"
	assert_success
	assert_equal "$stderr" "notify-log: restrictions: 2 read, 2 new versions, 0 unchanged, 0 rejected"
	assert_equal "$(q -c "select client_id, kind, valid_from, coalesce(valid_to::text, '-'), coalesce(note, '-')
	    from notify.restriction order by client_id" | tr '|' ' ')" \
	    "$(printf '9 bankruptcy 2024-05-01 - -\n10 refusal 2024-01-01 2024-03-31 art. 8, withdrawn')"
	# loading the same list again adds nothing
	run --separate-stderr notify-log --restrictions "$BATS_TEST_TMPDIR/restrictions.tsv"
	assert_success
	assert_equal "$stderr" "notify-log: restrictions: 2 read, 0 new versions, 2 unchanged, 0 rejected"
	assert_equal "$(q -c 'select count(*) from notify.restriction')" 2
	plan 2024-05-14
	assert_success
	assert_equal "$(row 9)" ''
	# the refusal ended before the day: client 10 is contacted
	assert_equal "$(row 10 | cut -f2,3,9)" $'letter\tdpd30\t43'
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -f1 | paste -sd' ')" "1 2 3 4 5 6 7 8 10 11"
	# before 2024-05-01 the bankruptcy was not in force
	plan 2024-04-27
	assert_equal "$(row 9 | cut -f1)" 9
	# a bad line is rejected with its reason, the others loaded
	printf '12\trefusal\t2024-06-01\n12\tholiday\t2024-06-01\n' >"$BATS_TEST_TMPDIR/bad.tsv"
	run --separate-stderr notify-log --restrictions "$BATS_TEST_TMPDIR/bad.tsv"
	assert_failure 65
	assert_equal "${stderr_lines[0]}" "notify-log: $BATS_TEST_TMPDIR/bad.tsv:2: kind is not bankruptcy, refusal, incapacity or representative: rejected"
	assert_equal "$(q -c 'select count(*) from notify.restriction where client_id = 12')" 1
}

@test "a plan is logged once: the second run for the day adds nothing" {
	build-mart -q --as-of 2024-05-20
	run --separate-stderr notify-plan --as-of 2024-05-20
	assert_success
	# overdue on 05-20: 1-8, 10, and 11 (D-11 #5 due 05-15 unpaid); 9 excluded,
	# 12 paid #5 on time
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -f1 | paste -sd' ')" "1 2 3 4 5 6 7 8 10 11"
	# the contact ids printed are the log's rows, one per client, for the day
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -f1,11 | sort)" \
	    "$(q -F $'\t' -c "select client_id, contact_id from notify.contact where plan_day = '2024-05-20'" | sort)"
	assert_equal "$(q -c "select count(*) from notify.contact")" 10
	# C-7: dpd 15, step 14 (a call) with both of its windows and loans in the log
	assert_equal "$(q -c "select step, channel, loans, arrears, max_dpd, tz,
	    to_char(window_start at time zone 'Europe/Moscow', 'YYYY-MM-DD HH24:MI'),
	    to_char(window_end at time zone 'Europe/Moscow', 'YYYY-MM-DD HH24:MI'), local_day, episode_start
	    from notify.contact where client_id = 7" | tr '|' ' ')" \
	    'dpd14 call {C-7} 5000.00 15 Europe/Moscow 2024-05-20 10:00 2024-05-20 22:00 2024-05-20 2024-05-06'
	run --separate-stderr notify-plan --as-of 2024-05-20
	assert_success
	assert_output "$HEAD"
	assert_equal "$stderr" "notify-plan: 2024-05-20: 0 new contacts, 10 already planned, 1 excluded, 12 clients (sms 0, email 0, call 0, letter 0; 0 calls over capacity)"
	assert_equal "$(q -c "select count(*) from notify.contact")" 10
}

@test "the log's steps are not repeated in an episode, and its contacts count against the caps" {
	# after 05-20's plan (the test above): on 05-21 every overdue client's top
	# step is the one taken on 05-20 -- nobody is contacted
	plan 2024-05-21
	assert_success
	assert_output "$HEAD"
	# 05-24: E-1's dpd 14 (step 14, a call; no phone, so an e-mail or a letter);
	# C-7's dpd 19 is still step 14: nothing
	plan 2024-05-24
	assert_success
	assert_equal "$(row 7)" ''
	if has_email_column; then
		assert_equal "$(row 6 | cut -f2,3)" $'email\tdpd14'
		# one message a week: the e-mail of Monday 05-20 fills it; a letter instead
		echo 'message_caps = 1 1 16' >"$BATS_TEST_TMPDIR/policy"
		plan 2024-05-24 --policy "$BATS_TEST_TMPDIR/policy"
		assert_equal "$(row 6 | cut -f2,3)" $'letter\tdpd14'
		# the next ISO week is free again (dpd 17: still step 14, not yet taken)
		plan 2024-05-27 --policy "$BATS_TEST_TMPDIR/policy"
		assert_equal "$(row 6 | cut -f2,3)" $'email\tdpd14'
	fi
}

@test "the contact log refuses UPDATE and DELETE, even to its owner; the writer role may only read and append" {
	assert_equal "$(q -c "select count(*) from notify.contact")" 10
	for sql in "update notify.contact set channel = 'sms'" "delete from notify.contact" \
	    "update notify.contact_event set detail = 'x' where false" "delete from notify.restriction" \
	    "truncate notify.contact"; do
		run --separate-stderr q -c "$sql"
		assert_failure
		[[ $stderr == *'is append-only: '* ]] || fail "$sql: $stderr"
	done
	for sql in "update notify.contact set channel = 'sms'" "delete from notify.contact_event" \
	    "truncate notify.restriction" "update notify.restriction set note = 'x'"; do
		run --separate-stderr q -c "set role overdue_notify; $sql"
		assert_failure
		[[ $stderr == *'permission denied for table'* ]] || fail "$sql: $stderr"
	done
	assert_equal "$(q -c "select count(*) from notify.contact")" 10
	# it can read and append
	run --separate-stderr q -c "set role overdue_notify; select count(*) from notify.contact"
	assert_output 10
	run --separate-stderr q -c "set role overdue_notify;
	    insert into notify.restriction (client_id, kind, valid_from, source, loaded_at)
	    values (12, 'incapacity', '2024-06-01', 'test', '2024-06-01 12:00+00')"
	assert_success
	# and nothing else on any table of the schema
	assert_equal "$(q -c "select count(*) from information_schema.role_table_grants
	    where grantee = 'overdue_notify' and privilege_type not in ('SELECT', 'INSERT')")" 0
}

@test "notify-log appends delivery results and rejects an unknown contact_id" {
	id7=$(q -c "select contact_id from notify.contact where client_id = 7")
	id2=$(q -c "select contact_id from notify.contact where client_id = 2")
	printf 'contact_id\tevent\tat\tdetail\n%s\tsent\t2024-05-20T07:00:05Z\n%s\tdelivered\t2024-05-20T07:01:00Z\tok\n999999999\tsent\t2024-05-20T07:00:00Z\n%s\tread\t2024-05-20T07:02:00Z\n' \
	    "$id7" "$id7" "$id2" >"$BATS_TEST_TMPDIR/results.tsv"
	run --separate-stderr notify-log <"$BATS_TEST_TMPDIR/results.tsv"
	assert_failure 65
	assert_equal "${stderr_lines[0]}" 'notify-log: stdin:5: event is not sent, delivered, failed or bounced: rejected'
	assert_equal "${stderr_lines[1]}" 'notify-log: stdin:4: contact_id 999999999 is not in the contact log: rejected'
	assert_equal "${stderr_lines[2]}" 'notify-log: events: 4 read, 2 appended, 0 already logged, 2 rejected'
	assert_equal "$(q -c "select client_id, event, to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), coalesce(detail, '-')
	    from notify.contact_event order by at" | tr '|' ' ')" \
	    "$(printf '7 sent 2024-05-20 07:00:05 -\n7 delivered 2024-05-20 07:01:00 ok')"
	# fed back again: nothing is appended twice
	run --separate-stderr notify-log <<<"$id7	sent	2024-05-20T07:00:05Z"
	assert_success
	assert_equal "$stderr" 'notify-log: events: 1 read, 0 appended, 1 already logged, 0 rejected'
	assert_equal "$(q -c 'select count(*) from notify.contact_event')" 2
}

@test "--help, --version and usage errors" {
	run --separate-stderr notify-plan --help
	assert_success
	assert_line --index 0 'usage: notify-plan [-d conninfo] [--as-of YYYY-MM-DD] [--policy FILE] [--calendar FILE] [--zones FILE] [--format tsv|json] [--dry-run]'
	run --separate-stderr notify-plan --format xml
	assert_failure 64
	run --separate-stderr notify-plan --as-of 2024-02-30
	assert_failure 64
	run --separate-stderr notify-log --version
	assert_success
	assert_output --partial 'notify-log (overdue)'
	run --separate-stderr notify-log --restrictions "$BATS_TEST_TMPDIR/none.tsv"
	assert_failure 66
}
