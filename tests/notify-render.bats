#!/usr/bin/env bats
# notify-render (a plan into SMS, e-mail, a call list, letters) and
# pipelines/notify-send (sendmail -t and an HTTP SMS gateway).  Messages are
# read back by real parsers: Python's email package and csv module; the
# gateway is a local HTTP sink on 127.0.0.1; sendmail is a fake on PATH.

load helpers

HDR=$'client_id\tchannel\tstep\twindow_start\twindow_end\ttz\tloans\tarrears\tmax_dpd\tpriority\tcontact_id\tfio\tphone\temail\taddress'
SEND=$OVERDUE_TOP/pipelines/notify-send

setup() {
	T=$BATS_TEST_TMPDIR
	export SINK_DIR=$T/sink
	mkdir -p "$SINK_DIR/mail" "$T/bin"
	# the fake sendmail: each message on its stdin into a file, with its arguments and environment
	cat >"$T/bin/sendmail" <<'SH'
#!/usr/bin/env bash
n=$(($(ls "$SINK_DIR/mail" | grep -c '\.eml$') + 1))
cat >"$SINK_DIR/mail/$n.eml"
printf '%s\n' "$*" >"$SINK_DIR/mail/$n.args"
env >"$SINK_DIR/mail/$n.env"
if [[ -n ${FAKE_SENDMAIL_FAIL-} ]] && grep -q -F "$FAKE_SENDMAIL_FAIL" "$SINK_DIR/mail/$n.eml"; then
	echo "fake sendmail: refused" >&2
	exit 75
fi
SH
	chmod +x "$T/bin/sendmail"
	PATH=$T/bin:$PATH
	# a policy with a creditor of our own, to find in every message
	cat >"$T/policy.conf" <<'CONF'
creditor_name = ООО МКК «Тестовый кредитор»
creditor_phone = +7 495 123-45-67
predue_days = 3
CONF
	unset OVERDUE_SMS_URL OVERDUE_SMS_TOKEN OVERDUE_SMS_TOKEN_FILE OVERDUE_MAIL_FROM
	SINK_PID=
}

teardown() {
	db_drop		# the test that made one
	if [[ -n ${SINK_PID-} ]]; then
		kill "$SINK_PID" 2>/dev/null || true
		wait "$SINK_PID" 2>/dev/null || true
	fi
}

# local "YYYY-MM-DDTHH:MM" in zone $1, $2 minutes from now
at() { TZ=$1 date -d "$2 minutes" +%Y-%m-%dT%H:%M; }

# row CONTACT CHANNEL STEP FIO PHONE EMAIL ADDRESS [ZONE [FROM_MIN [TO_MIN [LOANS [ARREARS [DPD]]]]]]
row() {
	local zone=${8:-Asia/Novosibirsk}
	local z=$zone
	[[ $zone == unknown ]] && z=Europe/Moscow
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
	    "$((1000 + $1))" "$2" "$3" "$(at "$z" "${9:--60}")" "$(at "$z" "${10:-120}")" "$zone" \
	    "${11:-ZM-$1}" "${12:-1234.50}" "${13:-5}" 123450 "$1" "$4" "$5" "$6" "$7"
}

# N copies of a character
rep() { local s=; for ((i = 0; i < $2; i++)); do s+=$1; done; printf '%s' "$s"; }

# The HTTP sink: records every request (path, headers, body, and whether
# `ps` showed the token or curl while the request was open) as JSON lines.
start_sink() {
	cat >"$T/sink.py" <<'PY'
import http.server, json, os, subprocess, sys
log, portfile, token = sys.argv[1], sys.argv[2], os.environ['SINK_TOKEN']
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        ps = subprocess.run(['ps', '-eo', 'args'], capture_output=True, text=True).stdout
        rec = {'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()},
               'body': body.decode('utf-8'), 'ps_token': token in ps,
               'ps_curl': any(l.startswith('curl') for l in ps.splitlines())}
        with open(log, 'a') as f:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
        fail = b'+79990000500' in body
        self.send_response(500 if fail else 200)
        self.send_header('Content-Type', 'application/json')
        self.end_headers()
        self.wfile.write(b'{"error":"no route"}' if fail else b'{"id":"gw-1","status":"accepted"}')
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(('127.0.0.1', 0), H)
with open(portfile + '.tmp', 'w') as f:
    f.write(str(srv.server_port))
os.rename(portfile + '.tmp', portfile)
srv.serve_forever()
PY
	# the token to look for comes in the environment: ps shows arguments
	SINK_TOKEN=$1 python3 "$T/sink.py" "$SINK_DIR/requests.jsonl" "$T/port" 3>&- &
	SINK_PID=$!
	for ((i = 0; i < 100; i++)); do [[ -s $T/port ]] && break; sleep 0.1; done
	[[ -s $T/port ]] || fail "the HTTP sink did not start"
	PORT=$(cat "$T/port")
}

# --- notify-render -------------------------------------------------------------

@test "SMS segments: 70/71/134/135 Cyrillic characters are 1/2/2/3 (UCS-2), 160/161 Latin 1/2 (GSM-7)" {
	mkdir "$T/tpl"
	printf '{fio}\n' >"$T/tpl/sms-overdue.txt"
	{
		echo "$HDR"
		n=0
		for len in 70 71 134 135; do
			n=$((n + 1))
			row $n sms dpd1 "$(rep ж $len)" '+7 912 000-00-0'$n '' ''
		done
		for len in 160 161; do
			n=$((n + 1))
			row $n sms dpd1 "$(rep a $len)" '+7 912 000-00-0'$n '' ''
		done
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --templates "$T/tpl" --channel sms <"$T/plan.tsv"
	assert_success
	assert_equal "${lines[0]}" $'contact_id\tphone\tsegments\tencoding\ttext'
	assert_equal "$(cut -f1-4 <<<"$output" | tail -n +2)" "$(printf '%s\n' \
	    $'1\t+79120000001\t1\tUCS-2' $'2\t+79120000002\t2\tUCS-2' $'3\t+79120000003\t2\tUCS-2' \
	    $'4\t+79120000004\t3\tUCS-2' $'5\t+79120000005\t1\tGSM-7' $'6\t+79120000006\t2\tGSM-7')"
	# the text is the template filled: the name, whole
	assert_equal "$(sed -n 2p <<<"$output" | cut -f5)" "$(rep ж 70)"
}

@test "the default SMS states the creditor's name and phone, the loans and the amount; a newline is escaped" {
	mkdir "$T/tpl"
	printf 'Строка 1\nСтрока 2 {creditor_phone}\n' >"$T/tpl/sms-dpd3.txt"
	{
		echo "$HDR"
		row 1 sms dpd1 'Иванов Иван Петрович' '8 (912) 345-67-89' '' '' Europe/Moscow -60 120 'ZM-1,ZM-2' 15234.05
		row 2 sms predue 'Петрова Анна Ильинична' '+7 912 345 67 80' '' '' Europe/Moscow -60 120 ZM-3 0.00 0
		row 3 sms dpd3 'Сидоров Пётр' '+7 912 345 67 81' '' ''
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --policy "$T/policy.conf" --templates "$T/tpl" --channel sms <"$T/plan.tsv"
	assert_success
	t1=$(sed -n 2p <<<"$output" | cut -f5)
	[[ $t1 == *'ООО МКК «Тестовый кредитор»'* && $t1 == *'+7 495 123-45-67'* ]] || fail "no creditor: $t1"
	[[ $t1 == 'Иван Петрович, '* ]] || fail "not addressed by name and patronymic: $t1"
	[[ $t1 == *'ZM-1, ZM-2'* && $t1 == *'15 234,05 руб.'* ]] || fail "no loans or amount: $t1"
	t2=$(sed -n 3p <<<"$output" | cut -f5)
	[[ $t2 == *'ООО МКК «Тестовый кредитор»'* && $t2 == *'+7 495 123-45-67'* && $t2 == *'ZM-3'* ]] ||
	    fail "pre-due: $t2"
	[[ $t2 == *'в ближайшие 3 дня'* ]] || fail "pre-due without a due date: the policy's horizon: $t2"
	# a step's own template wins; its newline is \n in the TSV
	assert_equal "$(sed -n 4p <<<"$output" | cut -f5)" 'Строка 1\nСтрока 2 +7 495 123-45-67'
}

@test "a due_date column gives the pre-due reminder its date; columns are found by name" {
	# the same columns in another order, plus two the plan may grow
	{
		printf 'contact_id\tdue_date\tfio\tphone\temail\taddress\textra\tclient_id\tchannel\tstep\twindow_start\twindow_end\ttz\tloans\tarrears\tmax_dpd\tpriority\n'
		printf '7\t2024-06-06\tПетрова Анна Ильинична\t+79123456780\t\t\tx\t70\tsms\tpredue\t2024-06-03T10:00\t2024-06-03T22:00\tEurope/Moscow\tZM-7\t0.00\t0\t0\n'
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_success
	[[ ${lines[1]} == $'7\t+79123456780\t'* && ${lines[1]} == *'06.06.2024'* ]] || fail "${lines[1]}"
}

@test "a dry-run plan (no contact_id) can be looked at, not sent" {
	{
		echo "$HDR"
		row 1 sms dpd1 'Иванов Иван' '+79123456789' '' '' | awk -F '\t' -v OFS='\t' '{ $11 = ""; print }'
		row 2 email dpd3 'Петрова Анна' '' 'anna@example.org' '' | awk -F '\t' -v OFS='\t' '{ $11 = ""; print }'
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_success
	[[ ${lines[1]} == $'\t+79123456789\t2\tUCS-2\t'* ]] || fail "${lines[1]}"
	run --separate-stderr notify-render --channel sms --format json <"$T/plan.tsv"
	[[ $output == '{"contact_id":null,'* ]] || fail "$output"
	run --separate-stderr notify-render --channel email <"$T/plan.tsv"
	assert_success
	[[ $output == *'Message-ID: <notify.c1002.'* && $output != *X-Overdue-Contact* ]] || fail "$output"
	run --separate-stderr notify-render --outdir "$T/out" <"$T/plan.tsv"
	assert_equal "$status" 65
	assert_equal "$stderr" 'notify-render: line 2: no contact_id: a plan made with --dry-run is not in the contact log, so it cannot be sent'
	[[ ! -e $T/out ]] || fail "a folder was made"
}

@test "JSON SMS: one gateway request a line" {
	{ echo "$HDR"; row 5 sms dpd1 'Иванов Иван Петрович' '+7 912 345 67 89' '' ''; } >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms --format json <"$T/plan.tsv"
	assert_success
	run python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d["contact_id"], d["phone"], d["encoding"], d["segments"] >= 1, "Иван Петрович" in d["text"])' <<<"$output"
	assert_output '5 +79123456789 UCS-2 True True'
}

@test "unknown placeholders, bad plan lines and bad usage are refused with their place" {
	mkdir "$T/tpl"
	printf 'Здравствуйте!\nДолг {debt} руб.\n' >"$T/tpl/sms-overdue.txt"
	{ echo "$HDR"; row 1 sms dpd1 'Иванов Иван' '+79123456789' '' ''; } >"$T/plan.tsv"
	run --separate-stderr notify-render --templates "$T/tpl" --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	assert_equal "$stderr" "notify-render: $T/tpl/sms-overdue.txt: line 2: unknown placeholder {debt}"
	assert_output ''
	# a bad line: its number
	{ echo "$HDR"; row 1 sms dpd1 'А Б' '+79123456789' '' ''; row 2 fax dpd1 'В Г' '+79123456780' '' ''; } >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	assert_equal "$stderr" "notify-render: line 3: unknown channel 'fax' (sms, email, call or letter)"
	assert_output ''
	printf '%s\n1\tsms\n' "$HDR" >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	assert_equal "$stderr" 'notify-render: line 2: 2 fields, the header has 15'
	{ echo "$HDR"; row 1 sms dpd1 'А Б' '+79123456789' '' '' Mars/Olympus; } >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	[[ $stderr == "notify-render: line 2: tz 'Mars/Olympus'"* ]] || fail "$stderr"
	{ echo "$HDR"; row 1 sms dpd1 'А Б' '+79123456789' '' '' Europe/Moscow -60 120 ZM-1 12.345; } >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	[[ $stderr == "notify-render: line 2: arrears '12.345'"* ]] || fail "$stderr"
	{ echo "$HDR"; row 1 sms dpd1 'А Б' '+79123456789' '' ''; row 1 sms dpd1 'В Г' '+79123456780' '' ''; } >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	assert_equal "$stderr" 'notify-render: line 3: contact_id 1 again (line 2)'
	printf 'client_id\tchannel\n' >"$T/plan.tsv"
	run --separate-stderr notify-render --channel sms <"$T/plan.tsv"
	assert_equal "$status" 65
	[[ $stderr == *'line 1: no column step'* ]] || fail "$stderr"
	# usage
	run --separate-stderr notify-render <"$T/plan.tsv"
	assert_equal "$status" 64
	[[ $stderr == *'usage: notify-render '* ]] || fail "$stderr"
	run --separate-stderr notify-render --channel fax </dev/null
	assert_equal "$status" 64
	run --separate-stderr notify-render --channel email --format json </dev/null
	assert_equal "$status" 64
	OVERDUE_MAIL_FROM='a b@c' run --separate-stderr notify-render --channel email <"$T/plan.tsv"
	assert_equal "$status" 64
}

# Parse messages with Python's email package and print what a reader sees.
read_mail() {
	python3 - "$@" <<'PY'
import email, email.header, email.policy, email.utils, sys
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        raw = f.read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    # email.headerregistry keeps the white space between two encoded-words of
    # a display name (RFC 2047 6.2: ignore it; Python's own output of a long
    # name fails the same round trip), so names are decoded by email.header
    old = email.message_from_bytes(raw)
    def addr(h):
        name, spec = email.utils.parseaddr(str(email.header.make_header(email.header.decode_header(old[h]))))
        assert spec == m[h].addresses[0].addr_spec
        return '%s <%s>' % (name, spec)
    print('subject=' + str(m['Subject']))
    print('from=' + addr('From'))
    print('to=' + addr('To'))
    print('date=%s' % (email.utils.parsedate_to_datetime(str(m['Date'])) is not None))
    print('message-id=' + str(m['Message-ID']))
    print('type=%s charset=%s cte=%s' % (m.get_content_type(), m.get_content_charset(), m['Content-Transfer-Encoding']))
    print('defects=%d' % (len(m.defects) + sum(len(m[h].defects) for h in ('From', 'To', 'Subject'))))
    print('ascii-header=%s' % all(b < 128 for b in raw.split(b'\n\n', 1)[0]))
    print('max-line=%d' % max(len(l) for l in raw.split(b'\n')))
    print('body=' + m.get_content().replace('\r\n', '\n').replace('\n', '|'))
PY
}

@test "e-mail: an mbox of RFC 5322 messages; Python's email package reads the Cyrillic back" {
	mkdir "$T/tpl"
	printf 'Просроченный платёж по договору {loans}\n\nЗдравствуйте, {given_names}!\nДолг: {arrears} руб.\n{creditor_name}, {creditor_phone}\n' \
	    >"$T/tpl/email-overdue.txt"
	{
		echo "$HDR"
		row 1 email dpd3 'Иванов Иван Петрович' '' 'ivan.petrov@example.ru' ''
		row 2 email dpd3 'Петрова Анна Ильинична' '' 'anna@example.org' ''
	} >"$T/plan.tsv"
	OVERDUE_MAIL_FROM=collect@bank.example run --separate-stderr notify-render --policy "$T/policy.conf" \
	    --templates "$T/tpl" --channel email <"$T/plan.tsv"
	assert_success
	printf '%s\n' "$output" >"$T/out.mbox"
	# the messages as they were written (get_bytes: no re-folding by the library)
	run python3 -c 'import mailbox,sys; mb = mailbox.mbox(sys.argv[1]); [open(sys.argv[2] + "/m%d.eml" % i, "wb").write(mb.get_bytes(k)) for i, k in enumerate(mb.keys())]; print(len(mb))' \
	    "$T/out.mbox" "$T"
	assert_output 2
	run read_mail "$T/m0.eml"
	assert_success
	assert_line 'subject=Просроченный платёж по договору ZM-1'
	assert_line 'from=ООО МКК «Тестовый кредитор» <collect@bank.example>'
	assert_line 'to=Иванов Иван Петрович <ivan.petrov@example.ru>'
	assert_line 'date=True'
	assert_line --regexp '^message-id=<notify\.1\.[0-9]{8}@bank\.example>$'
	assert_line 'type=text/plain charset=utf-8 cte=base64'
	assert_line 'defects=0'
	assert_line 'ascii-header=True'
	assert_line 'body=Здравствуйте, Иван Петрович!|Долг: 1 234,50 руб.|ООО МКК «Тестовый кредитор», +7 495 123-45-67|'
	run read_mail "$T/m1.eml"
	assert_line 'to=Петрова Анна Ильинична <anna@example.org>'
	assert_line --regexp '^max-line=([0-9]|[1-6][0-9]|7[0-8])$'
}

@test "call list: RFC 4180 CSV that Python's csv module reads, with the script and the creditor" {
	{
		echo "$HDR"
		row 1 call dpd7 'Иванов Иван Петрович' '+7 (912) 345-67-89' '' '' Europe/Moscow -60 120 'ZM-1,ZM-2' 99999.99 8
		row 2 call dpd14 '=HYPERLINK("http://x")' '89123456780' '' ''
		row 3 sms dpd1 'Не звонить' '+79123456781' '' ''
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --policy "$T/policy.conf" --channel call <"$T/plan.tsv"
	assert_success
	printf '%s\n' "$output" >"$T/calls.csv"
	[[ $(head -c 200 "$T/calls.csv") == *$'\r\n'* ]] || fail "rows end with CRLF"
	run python3 - "$T/calls.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
print(len(rows))
for r in rows:
    s = r['script']
    print(r['contact_id'], r['phone'], r['loans'], r['arrears'], r['max_dpd'], r['fio'],
          'ООО МКК «Тестовый кредитор»' in s, '+7 495 123-45-67' in s, '99 999,99' in s, s.count('\n'))
PY
	assert_success
	assert_line --index 0 2
	assert_line --index 1 '1 +79123456789 ZM-1,ZM-2 99999.99 8 Иванов Иван Петрович True True True 5'
	# a formula in the data stays text in a spreadsheet
	assert_line --index 2 "2 +79123456780 ZM-2 1234.50 5 '=HYPERLINK(\"http://x\") True True False 5"
}

@test "letters: printable text with the address, the creditor and the amount, form feeds between" {
	{
		echo "$HDR"
		row 1 letter dpd30 'Смирнов Олег Олегович' '' '' 'г. Пермь, ул. Мира, д. 5, кв. 7' Asia/Yekaterinburg -60 120 ZM-1 5000.00 31
		row 2 letter dpd90 'Орлова Вера Павловна' '' '' 'г. Казань, ул. Баумана, д. 1'
		row 3 letter dpd90 'Без Адреса' '' '' ''
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --policy "$T/policy.conf" --channel letter <"$T/plan.tsv"
	assert_success
	assert_equal "$stderr" 'notify-render: line 4: contact 3: no postal address for letter; not rendered'
	assert_equal "$(tr -cd '\f' <<<"$output" | wc -c)" 1
	first=${output%%$'\f'*}
	for want in 'Смирнов Олег Олегович' 'г. Пермь, ул. Мира, д. 5, кв. 7' 'ООО МКК «Тестовый кредитор»' \
	    '+7 495 123-45-67' '5 000,00 руб.' 'ZM-1' '31 день' 'Олег Олегович'; do
		[[ $first == *"$want"* ]] || fail "letter 1 lacks '$want'"
	done
	[[ ${output#*$'\f'} == *'Орлова Вера Павловна'* ]] || fail "letter 2"
}

@test "--outdir: one new folder with every channel's files, the send queue in window order; never reused" {
	{
		echo "$HDR"
		row 1 sms dpd1 'Иванов Иван' '+79123456789' '' '' Asia/Novosibirsk -60 120
		row 2 email dpd3 'Петрова Анна' '' 'anna@example.org' '' Europe/Kaliningrad -30 120
		row 3 call dpd7 'Сидоров Пётр' '+79123456781' '' ''
		row 4 letter dpd30 'Орлова Вера' '' '' 'г. Казань'
		row 5 email dpd3 'Без Почты' '' 'not-an-address' ''
		row 6 sms dpd1 'Во Владивостоке' '+79123456782' '' '' Asia/Vladivostok -90 120
	} >"$T/plan.tsv"
	run --separate-stderr notify-render --outdir "$T/out" <"$T/plan.tsv"
	assert_success
	run bash -c "cd '$T/out' && find . -type f | sort"
	assert_output "$(printf '%s\n' ./calls.csv ./email/2.eml ./letters/4.txt ./queue.tsv ./rejects.tsv \
	    ./sms.tsv ./sms/1.json ./sms/6.json)"
	[[ $(stat -c %a "$T/out") == 700 ]] || fail "the folder holds personal data: 0700"
	# the queue: by the window's opening in UTC (each is now minus its offset)
	utc() {	# the plan's window_start of contact $1, its zone's offset $2, in UTC
		date -u -d "$(awk -F '\t' -v c="$1" '$11 == c { sub("T", " ", $4); print $4 }' "$T/plan.tsv") $2" \
		    +%Y-%m-%dT%H:%M:00Z
	}
	n6=$(utc 6 +1000) n1=$(utc 1 +0700) n2=$(utc 2 +0200)
	assert_equal "$(cut -f1,2,3,5 "$T/out/queue.tsv")" "$(printf '%s\n' $'contact_id\tchannel\tnot_before\tfile' \
	    $'6\tsms\t'"$n6"$'\tsms/6.json' $'1\tsms\t'"$n1"$'\tsms/1.json' $'2\temail\t'"$n2"$'\temail/2.eml')"
	run cut -f1,2,4 "$T/out/rejects.tsv"
	assert_output $'5\tfailed\tno usable e-mail address for email'
	run --separate-stderr notify-render --outdir "$T/out" <"$T/plan.tsv"
	assert_equal "$status" 73
	[[ $stderr == *"is not empty"* ]] || fail "$stderr"
	# a failed render leaves nothing behind
	run --separate-stderr notify-render --outdir "$T/out2" < <(echo "$HDR"; row 1 fax dpd1 'А Б' '' '' '')
	assert_equal "$status" 65
	run ls -A "$T"
	refute_output --partial out2
}

# --- notify-send ---------------------------------------------------------------

@test "notify-send: e-mail through a fake sendmail -t; Python's email package reads well-formed MIME" {
	{
		echo "$HDR"
		row 1 email dpd3 'Иванов Иван Петрович' '' 'ivan.petrov@example.ru' '' Europe/Moscow
		row 2 email predue 'Петрова Анна Ильинична' '' 'anna@example.org' '' unknown -60 120 ZM-2 0.00 0
		row 3 call dpd7 'Сидоров Пётр' '+79123456781' '' ''
		row 4 letter dpd30 'Орлова Вера' '' '' 'г. Казань'
	} >"$T/plan.tsv"
	OVERDUE_MAIL_FROM=collect@bank.example run --separate-stderr "$SEND" --no-log --policy "$T/policy.conf" \
	    -o "$T/out" "$T/plan.tsv"
	assert_success
	# the results: one line a message, sent now; the same in the folder
	assert_equal "$(cat "$T/out/results.tsv")" "$output"
	assert_equal "${#lines[@]}" 2
	now=$(date -u +%Y-%m-%dT%H:%M)
	for i in 1 2; do
		IFS=$'\t' read -r c e at d <<<"${lines[i - 1]}"
		assert_equal "$c $e $d" "$i sent sendmail"
		[[ $at == "$now":??Z || $at == 20??-??-??T??:??:??Z ]] || fail "at: $at"
	done
	[[ $stderr == *'1 calls in'*'1 letters in'* ]] || fail "$stderr"
	# what sendmail got: -t -oi, one message on stdin each, read back by a MIME parser
	assert_equal "$(cat "$SINK_DIR/mail/1.args")" '-t -oi'
	run read_mail "$SINK_DIR/mail/1.eml"
	assert_line 'subject=Просроченный платёж по договору ZM-1'
	assert_line 'from=ООО МКК «Тестовый кредитор» <collect@bank.example>'
	assert_line 'to=Иванов Иван Петрович <ivan.petrov@example.ru>'
	assert_line 'date=True'
	assert_line --regexp '^message-id=<.+@bank\.example>$'
	assert_line 'type=text/plain charset=utf-8 cte=base64'
	assert_line 'defects=0'
	assert_line --partial 'ООО МКК «Тестовый кредитор»|Телефон: +7 495 123-45-67|'
	assert_line --partial '1 234,50 руб.'
	run read_mail "$SINK_DIR/mail/2.eml"
	assert_line 'subject=Напоминание о платеже по договору ZM-2'
	assert_line 'to=Петрова Анна Ильинична <anna@example.org>'
	assert_line --partial '+7 495 123-45-67'
	# the call list and the letter stay for people
	[[ -s $T/out/calls.csv && -s $T/out/letters/4.txt ]] || fail "calls.csv or the letter missing"
}

@test "notify-send: SMS to a local HTTP gateway; the token travels in a header, never in the URL or ps" {
	token='tok-4f1c"9\b=+/'
	start_sink "$token"
	{
		echo "$HDR"
		row 1 sms dpd1 'Иванов Иван Петрович' '+7 (912) 345-67-89' '' ''
		row 2 sms dpd1 'Петрова Анна Ильинична' '+7 999 000-05-00' '' ''
		row 3 email dpd3 'Сидоров Пётр' '' 'petr@example.org' ''
	} >"$T/plan.tsv"
	OVERDUE_SMS_URL="http://127.0.0.1:$PORT/send?route=1" OVERDUE_SMS_TOKEN=$token \
	    run --separate-stderr "$SEND" --no-log --policy "$T/policy.conf" -o "$T/out" <"$T/plan.tsv"
	assert_equal "$status" 75		# one message failed
	run python3 - "$SINK_DIR/requests.jsonl" "$token" <<'PY'
import json, sys
tok = sys.argv[2]
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    b = json.loads(r['body'])
    print(r['path'], r['headers'].get('authorization') == 'Bearer ' + tok, tok in r['path'],
          r['headers'].get('content-type'), r['ps_token'], r['ps_curl'],
          b['contact_id'], b['phone'], b['encoding'], 'Тестовый кредитор' in b['text'])
PY
	assert_success
	assert_output "$(printf '%s\n' \
	    '/send?route=1 True False application/json False True 1 +79123456789 UCS-2 True' \
	    '/send?route=1 True False application/json False True 2 +79990000500 UCS-2 True')"
	# the results: the gateway's answer in the detail
	run cut -f1,2,4 "$T/out/results.tsv"
	assert_line $'1\tsent\thttp 200: {"id":"gw-1","status":"accepted"}'
	assert_line $'2\tfailed\thttp 500: {"error":"no route"}'
	assert_line $'3\tsent\tsendmail'
	# sendmail never saw the token in its environment
	run grep -c -F "$token" "$SINK_DIR/mail/1.env"
	assert_output 0
}

@test "notify-send: the token from a file; without a URL or a token nothing is sent" {
	token=file-token-77
	start_sink "$token"
	printf '%s\n' "$token" >"$T/token"
	{ echo "$HDR"; row 1 sms dpd1 'Иванов Иван' '+79123456789' '' ''; } >"$T/plan.tsv"
	OVERDUE_SMS_URL="http://127.0.0.1:$PORT/sms" OVERDUE_SMS_TOKEN_FILE=$T/token \
	    run --separate-stderr "$SEND" --no-log -o "$T/out1" "$T/plan.tsv"
	assert_success
	run python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); print(r["headers"]["authorization"], r["ps_token"])' \
	    "$SINK_DIR/requests.jsonl"
	assert_output "Bearer $token False"
	rm "$SINK_DIR/requests.jsonl"
	OVERDUE_SMS_URL="http://127.0.0.1:$PORT/sms" run --separate-stderr "$SEND" --no-log -o "$T/out2" "$T/plan.tsv"
	assert_equal "$status" 64
	[[ $stderr == *'OVERDUE_SMS_TOKEN'*'nothing sent'* ]] || fail "$stderr"
	OVERDUE_SMS_TOKEN=$token run --separate-stderr "$SEND" --no-log -o "$T/out3" "$T/plan.tsv"
	assert_equal "$status" 64
	[[ $stderr == *'OVERDUE_SMS_URL is not set'* ]] || fail "$stderr"
	[[ ! -e $SINK_DIR/requests.jsonl ]] || fail "a request was made"
}

@test "notify-send: only inside the window; a failing sendmail and rejects are recorded; dry run sends nothing" {
	{
		echo "$HDR"
		row 1 email dpd3 'Закрыто Окно' '' 'closed@example.org' '' Europe/Moscow -120 -60
		row 2 email dpd3 'Ещё Рано' '' 'early@example.org' '' Europe/Moscow 60 120
		row 3 email dpd3 'Отказ Почты' '' 'refused@example.org' ''
		row 4 email dpd3 'Без Адреса' '' '' ''
		row 5 email dpd3 'Всё Хорошо' '' 'fine@example.org' ''
	} >"$T/plan.tsv"
	run --separate-stderr "$SEND" --dry-run -o "$T/dry" "$T/plan.tsv"
	assert_success
	assert_equal "$(ls "$SINK_DIR/mail" | wc -l)" 0
	assert_equal "${lines[0]}" $'contact_id\tchannel\tnot_before\tnot_after\tfile'
	assert_equal "${#lines[@]}" 5
	FAKE_SENDMAIL_FAIL=refused@ run --separate-stderr "$SEND" --no-log --no-wait -o "$T/out" "$T/plan.tsv"
	assert_equal "$status" 75
	run cut -f1,2,4 <<<"$output"
	assert_line $'4\tfailed\tno usable e-mail address for email'
	assert_line --regexp $'^1\tfailed\twindow closed at 20..-..-..T..:..:00Z$'
	assert_line --regexp $'^2\tfailed\twindow opens at 20..-..-..T..:..:00Z \\(--no-wait\\)$'
	assert_line $'3\tfailed\tsendmail exit 75: fake sendmail: refused'
	assert_line $'5\tsent\tsendmail'
	assert_equal "${#lines[@]}" 5
	# sendmail saw only the two inside their windows
	assert_equal "$(cat "$SINK_DIR"/mail/*.eml | grep -c '^To:')" 2
	# the folder is not reused: nothing goes out twice
	run --separate-stderr "$SEND" --no-log -o "$T/out" "$T/plan.tsv"
	assert_equal "$status" 73
	assert_equal "$(ls "$SINK_DIR"/mail/*.eml | wc -l)" 2
}

@test "notify-send: usage" {
	run --separate-stderr "$SEND" --bogus
	assert_equal "$status" 64
	[[ $stderr == *'usage: notify-send'* ]] || fail "$stderr"
	run --separate-stderr "$SEND" --help
	assert_success
	[[ $output == *'sendmail -t'* ]] || fail "$output"
}

@test "notify-send feeds the results and the rejects to notify-log: they land in notify.contact_event" {
	command -v notify-log >/dev/null || skip "notify-log is not built"
	db_create
	"$OVERDUE_TOP/pipelines/schema" >/dev/null 2>&1
	# two planned contacts in the log, as notify-plan would have written them
	q -c "insert into notify.contact (contact_id, client_id, plan_day, local_day, step, channel, loans,
	        arrears, max_dpd, priority, window_start, window_end, tz, planned_at)
	      values (501, 51, current_date, current_date, 'dpd3', 'email', '{ZM-51}', 1234.50, 3, 123450,
	              now() - interval '1 hour', now() + interval '2 hours', 'Europe/Moscow', now()),
	             (502, 52, current_date, current_date, 'dpd1', 'sms', '{ZM-52}', 100.00, 1, 10000,
	              now() - interval '1 hour', now() + interval '2 hours', 'Europe/Moscow', now())"
	{
		echo "$HDR"
		row 501 email dpd3 'Иванов Иван Петрович' '' 'ivan@example.org' '' Europe/Moscow | sed 's/^1501\t/51\t/'
		row 502 sms dpd1 'Без Телефона' '' '' '' Europe/Moscow | sed 's/^1502\t/52\t/'
	} >"$T/plan.tsv"
	run --separate-stderr "$SEND" -o "$T/out" "$T/plan.tsv"
	assert_success
	[[ $stderr == *'events: 2 read, 2 appended'* ]] || fail "$stderr"
	run q -F ' ' -c "select client_id, contact_id, event, detail, at <= now() and at > now() - interval '5 minutes'
	                 from notify.contact_event order by contact_id"
	assert_output "$(printf '%s\n' '51 501 sent sendmail t' '52 502 failed no usable phone number for sms t')"
}
