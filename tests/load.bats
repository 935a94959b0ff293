#!/usr/bin/env bats
# The load path against a real PostgreSQL: schema, pg-stage, promote-core,
# pipelines/load-part -- with the seed prototype's own data.

load helpers
load load-helpers

setup_file() {
	db_create
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
}
teardown_file() { db_drop; }

# start each test on an empty warehouse
reset_db() {
	q -c 'drop schema if exists staging, core, mart cascade' >/dev/null 2>&1
	schema
}

@test "make schema is idempotent and records its version" {
	reset_db
	fingerprint() {
		q -c "select md5(string_agg(x, E'\n' order by x)) from (
		    select table_schema||'.'||table_name||'.'||column_name||':'||data_type||':'||is_nullable as x
		      from information_schema.columns where table_schema in ('staging','core')
		    union all select conrelid::regclass||' '||conname||' '||pg_get_constraintdef(oid)
		      from pg_constraint where connamespace in ('staging'::regnamespace,'core'::regnamespace)
		    union all select indexdef from pg_indexes where schemaname in ('staging','core')
		    union all select viewname||pg_get_viewdef((schemaname||'.'||viewname)::regclass)
		      from pg_views where schemaname in ('staging','core')
		    union all select version||' '||applied_at from core.schema_version) s"
	}
	before=$(fingerprint)
	run --separate-stderr "$OVERDUE_TOP/pipelines/schema"
	assert_success
	assert_equal "$(fingerprint)" "$before"
	run --separate-stderr q -c 'select string_agg(version::text, $$,$$ order by version) from core.schema_version where version <= 3'
	assert_output 1,2,3
	# the contract-5 views with exactly their columns
	run --separate-stderr q -c "select string_agg(column_name||' '||data_type, ',' order by ordinal_position)
	    from information_schema.columns where table_schema='core' and table_name='payments_current'"
	assert_output 'client_id bigint,loan_name text,payment_number integer,payment_date date,payment_fact_date date,paid_fact_amount numeric'
}

@test "all five seed parts load; core holds the distinct keys of the full data set" {
	reset_db
	d=$(seed20)
	export SPLIT_DIR=$d/raw_split_files
	for n in 1 2 3 4 5; do
		run --separate-stderr load_part "$n"
		assert_success
	done
	raw=$d/raw_files
	assert_equal "$(q -c 'select count(*) from core.clients_current')" \
	    "$(jq '[.[].client_id] | unique | length' "$raw/clients.json")"
	assert_equal "$(q -c 'select count(*) from core.loans_current')" \
	    "$(jq '[.[] | [.client_id, .loan_name]] | unique | length' "$raw/loans.json")"
	assert_equal "$(q -c 'select count(*) from core.payments_current')" \
	    "$(jq '[.[] | [.client_id, .loan_name, .payment_number]] | unique | length' "$raw/payments.json")"
	# the amounts arrive to the kopeck
	assert_equal "$(q -c 'select sum(paid_fact_amount) from core.payments_current')" \
	    "$(jq -r '[.[].paid_fact_amount // 0] | add | tostring + ".00"' "$raw/payments.json")"
	# every part: read = new + changed + unchanged + rejected, and read = the file's records
	for n in 1 2 3 4 5; do
		assert_equal "$(q -c "select read from core.load_entity_stats s join core.load l using (load_id)
		    where l.part = $n and l.status = 'committed' and s.entity = 'payments'")" \
		    "$(jq length "$SPLIT_DIR/part_$n/payments_$n.json")"
	done
	# staging did not store the cumulative parts five times
	run --separate-stderr q -c 'select count(*) from staging.payments'
	assert_output "$(q -c 'select count(*) from core.payments_current')"
	# the seed's data has no e-mail: none in core, and one version per client
	assert_equal "$(jq '[.[] | select(has("email"))] | length' "$raw/clients.json")" 0
	assert_equal "$(q -c 'select count(email) from core.client_version')" 0
	assert_equal "$(q -c 'select count(*) from core.client_version')" "$(q -c 'select count(*) from core.client')"
}

@test "loading part 5 again is a no-op that says so" {
	before=$(core_checksum)
	export SPLIT_DIR=$(seed20)/raw_split_files
	run --separate-stderr load_part 5
	assert_success
	stderr_has 'same files (checksums) as load 5'
	assert_equal "$(core_checksum)" "$before"
	run --separate-stderr q -c "select status from core.load order by load_id desc limit 1"
	assert_output noop
}

@test "part N before part N-1 is refused unless forced" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	run --separate-stderr load_part 3
	assert_equal "$status" 65
	stderr_has 'part 3 refused: part 2 has not been loaded'
	assert_equal "$(q -c 'select count(*) from core.client')" 0
	run --separate-stderr load_part --force 3
	assert_success
	assert_equal "$(q -c 'select count(*) from core.client')" "$(jq length "$SPLIT_DIR/part_3/clients_3.json")"
}

@test "a changed client attribute in a later part gives two versions" {
	reset_db
	src=$(seed20)/raw_split_files
	export SPLIT_DIR=$BATS_TEST_TMPDIR/split
	cp -r "$src" "$SPLIT_DIR"
	id=$(jq '.[0].client_id' "$src/part_1/clients_1.json")
	for n in 3 4 5; do
		f=$SPLIT_DIR/part_$n/clients_$n.json
		jq --indent 2 --argjson id "$id" 'map(if .client_id == $id then .phone = "+7 (000) 000-0000" else . end)' \
		    "$src/part_$n/clients_$n.json" >"$f"
	done
	for n in 1 2 3 4 5; do
		run --separate-stderr load_part "$n"
		assert_success
	done
	run --separate-stderr q -c "select l1.part, coalesce(l2.part::text, 'current'), v.phone
	    from core.client_version v join core.load l1 on l1.load_id = v.valid_from_load
	    left join core.load l2 on l2.load_id = v.valid_to_load
	    where v.client_id = $id order by v.valid_from_load"
	assert_output "1|3|$(jq -r '.[0].phone' "$src/part_1/clients_1.json")
3|current|+7 (000) 000-0000"
	run --separate-stderr q -c "select changed from core.load_entity_stats s join core.load l using (load_id)
	    where l.part = 3 and s.entity = 'clients'"
	assert_output 1
}

@test "e-mail: loaded into core; a new or changed one adds a version; a malformed one is rejected with its reason" {
	reset_db
	src=$(seed20)/raw_split_files
	export SPLIT_DIR=$BATS_TEST_TMPDIR/split
	cp -r "$src" "$SPLIT_DIR"
	id=$(jq '.[0].client_id' "$src/part_1/clients_1.json")
	bad=$(jq '.[1].client_id' "$src/part_1/clients_1.json")
	# parts 3 and 4 give client $id an e-mail, part 5 another; part 4 gives
	# client $bad one without an @ (the others, as in the seed, have none)
	for n in 3 4 5; do
		m=a.ivanova1987@mail.example
		[[ $n != 5 ]] || m=anna.n@example.org
		jq --indent 2 --argjson id "$id" --argjson bad "$bad" --arg m "$m" --argjson n "$n" 'map(
		    if .client_id == $id then .email = $m
		    elif .client_id == $bad and $n == 4 then .email = "ivanov.mail.example"
		    else . end)' "$src/part_$n/clients_$n.json" >"$SPLIT_DIR/part_$n/clients_$n.json"
	done
	for n in 1 2 3 4 5; do
		run --separate-stderr load_part "$n"
		assert_success
	done
	run --separate-stderr q -c "select l1.part, coalesce(l2.part::text, 'current'), coalesce(v.email, 'null')
	    from core.client_version v join core.load l1 on l1.load_id = v.valid_from_load
	    left join core.load l2 on l2.load_id = v.valid_to_load
	    where v.client_id = $id order by v.valid_from_load"
	assert_output "1|3|null
3|5|a.ivanova1987@mail.example
5|current|anna.n@example.org"
	# per part: clients changed and rejected -- every other client stayed unchanged
	run --separate-stderr q -c "select l.part || ' ' || s.changed || ' ' || s.rejected || ' ' || (s.read = s.new + s.changed + s.unchanged + s.rejected)
	    from core.load_entity_stats s join core.load l using (load_id) where s.entity = 'clients' order by l.part"
	assert_output "1 0 0 true
2 0 0 true
3 1 0 true
4 0 1 true
5 1 0 true"
	run --separate-stderr q -c "select l.part || ' ' || r.field || ' ' || r.reason from core.quarantine r join core.load l using (load_id)
	    where r.entity = 'clients'"
	assert_output "4 email not an e-mail address (no @): ivanov.mail.example"
	# the rejected record left client $bad's version as it was (no e-mail), and
	# only client $id has one
	assert_equal "$(q -c "select count(*) || ' ' || count(email) from core.client_version where client_id = $bad")" '1 0'
	assert_equal "$(q -c 'select string_agg(client_id::text, $$,$$) from core.clients_current where email is not null')" "$id"
}

@test "a version-2 warehouse gains the e-mail in place (version 3): no client changes, re-loading a part is a no-op" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	load_part 1 2>/dev/null
	load_part 2 2>/dev/null
	# put back version 2's shape: no e-mail column, the view without it
	q -c "drop view core.clients_current;
	      alter table core.client_version drop column email;
	      alter table staging.clients drop column email;
	      create view core.clients_current as
	      select v.client_id, v.fio, v.passport, v.gender, v.birth_date, v.education,
	             v.count_of_children, v.job_type, v.region, v.family_status, v.address,
	             v.phone, v.income
	      from core.client_version as v where v.valid_to_load is null;
	      delete from core.schema_version where version = 3" >/dev/null
	versions=$(q -c 'select count(*) from core.client_version')
	run --separate-stderr "$OVERDUE_TOP/pipelines/schema"
	assert_success
	assert_equal "$(q -c 'select string_agg(version::text, $$,$$ order by version) from core.schema_version where version <= 3')" 1,2,3
	assert_equal "$(q -c "select count(*) || ' ' || count(email) from core.client_version")" "$versions 0"
	assert_equal "$(q -c "select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns
	    where table_schema = 'core' and table_name = 'clients_current' and ordinal_position >= 13")" income,email
	before=$(core_checksum)
	# part 2's records again, in other bytes (not the same files): nothing changes
	dir=$BATS_TEST_TMPDIR/again
	mkdir -p "$dir"
	for e in clients loans payments; do jq -c . "$SPLIT_DIR/part_2/${e}_2.json" >"$dir/$e.json"; done
	run --separate-stderr load_part "$dir"
	assert_success
	for e in clients loans payments; do
		n=$(jq length "$dir/$e.json")
		assert_equal "$(q -c "select read || ' ' || new || ' ' || changed || ' ' || unchanged || ' ' || rejected
		    from core.load_entity_stats s join core.load l using (load_id) where l.source = 'again' and s.entity = '$e'")" \
		    "$n 0 0 $n 0"
		# pg-stage's filter knew every line: nothing was even staged
		assert_equal "$(q -c "select rows_staged || ' ' || rows_unchanged from staging.load_stage s join core.load l using (load_id)
		    where l.source = 'again' and s.entity = '$e' and s.what = 'data'")" "0 $n"
	done
	assert_equal "$(core_checksum)" "$before"
	run --separate-stderr load_part 3
	assert_success
}

@test "a version-1 warehouse is migrated in place to version 2, its data kept" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	load_part 1 2>/dev/null
	# put back what version 1 had instead of the one unique index per table
	q -c "alter table core.payment_version add primary key (client_id, loan_name, payment_number, valid_from_load),
	          add foreign key (client_id, loan_name) references core.loan;
	      create unique index payment_version_current on core.payment_version (client_id, loan_name, payment_number) where valid_to_load is null;
	      create index payments_load_brin on staging.payments using brin (load_id);
	      delete from core.schema_version where version = 2" >/dev/null
	before=$(core_checksum)
	run --separate-stderr "$OVERDUE_TOP/pipelines/schema"
	assert_success
	assert_equal "$(q -c 'select string_agg(version::text, $$,$$ order by version) from core.schema_version where version <= 3')" 1,2,3
	assert_equal "$(q -c "select count(*) from pg_constraint where conrelid = 'core.payment_version'::regclass and contype in ('p', 'f')")" 0
	assert_equal "$(q -c "select count(*) from pg_indexes where indexname in ('payment_version_current', 'payments_load_brin')")" 0
	assert_equal "$(core_checksum)" "$before"
	run --separate-stderr load_part 2
	assert_success
}

@test "payments reference loans: no orphan after the parts, and a loan identity cannot be deleted" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	for n in 1 2 3; do load_part "$n" 2>/dev/null; done
	assert_equal "$(q -c 'select count(*) from core.payment_version p where not exists (
	    select 1 from core.loan l where l.client_id = p.client_id and l.loan_name = p.loan_name)')" 0
	run --separate-stderr q -c 'delete from core.loan where client_id = (select min(client_id) from core.loan)'
	assert_failure
	[[ $stderr == *"keeps every loan identity"* ]]
	run --separate-stderr q -c 'truncate core.loan cascade'
	assert_failure
	run --separate-stderr q -c "update core.loan set loan_name = loan_name || 'x'"
	assert_failure
	assert_equal "$(q -c 'select count(*) from core.payment_version p where not exists (
	    select 1 from core.loan l where l.client_id = p.client_id and l.loan_name = p.loan_name)')" 0
}

@test "pg-stage's in-memory filter: one kopeck or a NULL date is a change; the rest is counted unchanged exactly" {
	reset_db
	src=$(seed20)/raw_split_files
	export SPLIT_DIR=$BATS_TEST_TMPDIR/split
	cp -r "$src" "$SPLIT_DIR"
	# part 2 re-sends part 1's payments; change two of them: one by a
	# kopeck, one unpaid (its fact date and amount become null)
	f=$SPLIT_DIR/part_2/payments_2.json
	p1=$src/part_1/payments_1.json
	c0=$(jq '.[0].client_id' "$p1") l0=$(jq -r '.[0].loan_name' "$p1") n0=$(jq '.[0].payment_number' "$p1")
	c1=$(jq '.[1].client_id' "$p1") l1=$(jq -r '.[1].loan_name' "$p1") n1=$(jq '.[1].payment_number' "$p1")
	[[ $(jq '.[0].paid_fact_amount' "$p1") != 0.01 && $(jq '.[1].paid_fact_amount' "$p1") != null ]]
	jq --indent 2 --argjson c0 "$c0" --arg l0 "$l0" --argjson n0 "$n0" \
	    --argjson c1 "$c1" --arg l1 "$l1" --argjson n1 "$n1" 'map(
	    if .client_id == $c0 and .loan_name == $l0 and .payment_number == $n0 then .paid_fact_amount = 0.01
	    elif .client_id == $c1 and .loan_name == $l1 and .payment_number == $n1 then .payment_fact_date = null | .paid_fact_amount = null
	    else . end)' "$src/part_2/payments_2.json" >"$f.new"
	mv "$f.new" "$f"
	load_part 1 2>/dev/null
	run --separate-stderr load_part 2
	assert_success
	# what pg-stage said it kept, and what promotion counted
	r1=$(jq length "$p1")
	r2=$(jq length "$f")
	stderr_has "payments: $r2 read, $((r2 - r1 + 2)) staged, $((r1 - 2)) unchanged"
	assert_equal "$(q -c "select read || ' ' || new || ' ' || changed || ' ' || unchanged || ' ' || rejected
	    from core.load_entity_stats s join core.load l using (load_id) where l.part = 2 and s.entity = 'payments'")" \
	    "$r2 $((r2 - r1)) 2 $((r1 - 2)) 0"
	# both changed payments have two versions, the current one as sent
	assert_equal "$(q -c "select string_agg(coalesce(paid_fact_amount::text, 'null'), ' ' order by valid_from_load)
	    from core.payment_version where client_id = $c0 and loan_name = '$l0' and payment_number = $n0")" \
	    "$(jq '.[0].paid_fact_amount' "$p1" | awk '{printf "%.2f", $1}') 0.01"
	assert_equal "$(q -c "select count(*) || ' ' || bool_and(payment_fact_date is null and paid_fact_amount is null)
	    from core.payments_current where client_id = $c1 and loan_name = '$l1' and payment_number = $n1")" "1 true"
	assert_equal "$(q -c "select count(*) from core.payment_version where client_id = $c1 and loan_name = '$l1' and payment_number = $n1")" 2
	# staging holds only the new and changed rows of part 2
	assert_equal "$(q -c "select count(*) from staging.payments s join core.load l using (load_id) where l.part = 2")" $((r2 - r1 + 2))
}

@test "malformed records are rejected with reasons and read = loaded + rejected" {
	reset_db
	src=$(seed20)/raw_split_files/part_1
	dir=$BATS_TEST_TMPDIR/export
	# two bad clients (a string key for json2tsv, a duplicate key whose later
	# record wins in promote-core), a loan of an unknown client, a payment of
	# an unknown loan, one outside 1..payment_numbers, a negative amount
	bad_export "$src" "$dir"
	run --separate-stderr load_part "$dir"
	assert_success
	for e in clients loans payments; do
		assert_equal "$(q -c "select read from core.load_entity_stats where entity = '$e'")" \
		    "$(jq length "$dir/$e.json")"
		assert_equal "$(q -c "select read = new + changed + unchanged + rejected from core.load_entity_stats where entity = '$e'")" t
		assert_equal "$(q -c "select count(*) from core.quarantine where entity = '$e'")" \
		    "$(q -c "select rejected from core.load_entity_stats where entity = '$e'")"
	done
	assert_equal "$(q -c "select rejected from core.load_entity_stats where entity = 'clients'")" 2
	assert_equal "$(q -c "select rejected from core.load_entity_stats where entity = 'loans'")" 1
	assert_equal "$(q -c "select rejected from core.load_entity_stats where entity = 'payments'")" 3
	run --separate-stderr q -c "select entity || ': ' || reason from core.rejects order by entity, recno"
	assert_line --partial 'clients: not a number'
	assert_line --regexp '^clients: duplicate key in this file'
	assert_line 'loans: loan of unknown client 999999'
	assert_line --regexp '^payments: payment of unknown loan [0-9]+/NO-SUCH$'
	assert_line --regexp '^payments: payment_number 1000 outside 1\.\.[0-9]+$'
	assert_line --regexp '^payments: .*negative'
	# the later duplicate won
	assert_equal "$(q -c "select phone is distinct from 'dup-early' from core.clients_current where client_id = 424242")" t
	# operators can list them
	run --separate-stderr make -s -C "$OVERDUE_TOP" rejects B=/nonexistent
	assert_success
	assert_output --partial 'loan of unknown client'
}

@test "truncated JSON fails the whole part with nothing committed" {
	reset_db
	export SPLIT_DIR=$BATS_TEST_TMPDIR/split
	cp -r "$(seed20)/raw_split_files" "$SPLIT_DIR"
	run --separate-stderr load_part 1
	assert_success
	before=$(core_checksum)
	f=$SPLIT_DIR/part_2/payments_2.json
	head -c $(($(stat -c %s "$f") / 2)) "$f" >"$f.cut" && mv "$f.cut" "$f"
	run --separate-stderr load_part 2
	assert_equal "$status" 65
	stderr_has 'truncated'
	stderr_has 'core is unchanged'
	assert_equal "$(core_checksum)" "$before"
	assert_equal "$(q -c 'select count(*) from staging.payments where load_id = 2')" 0
	run --separate-stderr q -c "select status from core.load where load_id = 2"
	assert_output failed
}

@test "pg-stage aborts a COPY whose input has no end marker (exit 65)" {
	reset_db
	id=$(promote-core -b -s manual | cut -f1)
	printf '1\t1\tLN-1\t1\t2020-01-01\t\\N\t\\N\n' | {
		run --separate-stderr pg-stage -l "$id" -s x.json payments
		assert_equal "$status" 65
		stderr_has 'without the end marker'
	}
	assert_equal "$(q -c 'select count(*) from staging.payments')" 0
	# with the marker the same row is staged
	printf '1\t1\tLN-1\t1\t2020-01-01\t\\N\t\\N\n\\.\n' | pg-stage -l "$id" -s x.json payments
	assert_equal "$(q -c "select recno || ' ' || source || ' ' || load_id from staging.payments")" "1 x.json $id"
}

# pg-stage sends binary COPY tuples it builds itself; the server's text COPY
# of the same lines is the reference: same rows, same scale, same NULLs.
@test "pg-stage's binary COPY stores exactly what a text COPY of the same lines stores" {
	reset_db
	id=$(promote-core -b -s manual | cut -f1)
	d=$BATS_TEST_TMPDIR
	# recno, then the seed's fields; text COPY-escaped, including escapes
	# json2tsv never writes (octal, hex, \q) but the COPY text format allows
	printf '%s\n' \
	    '1	1	Иванов	a\tb\nc\\d	M	1999-12-31	высшее	0	x	y	z	ул. Ленина, 1\r	+7	0.05	ivanova@mail.example' \
	    '2	2	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N	\N' \
	    '3	9223372036854775807	\x41\101\q	\\N	F	2040-02-29	e	-3	j	r	f	a	p	999999999999999.99	\\N' \
	    '4	4	f	p	M	1900-03-01	e	2147483647	j	r	f	a	p	0.00	иван@почта.рф' \
	    '5	5	f	p	M	2038-01-20	e	1	j	r	f	a	p	10.50	a\tb@x' \
	    '6	6	f	p	M	2000-01-01	e	1	j	r	f	a	p	1234567.89	\N' >"$d/c.tsv"
	printf '%s\n' \
	    '1	1	LN-1	1000000.00	1970-01-01	2099-12-31	12	0.00' \
	    '2	1	LN\t2	-0.05	2000-02-29	\N	\N	\N' >"$d/l.tsv"
	printf '%s\n' \
	    '1	1	LN-1	1	2020-01-01	\N	\N' \
	    '2	1	LN-1	2	2020-02-01	2020-02-03	0.00' \
	    '3	1	LN\t2	-2147483648	1999-01-31	2039-01-01	100000000.01' >"$d/p.tsv"
	for e in clients:c loans:l payments:p; do
		t=${e%%:*} f=$d/${e#*:}.tsv
		{ cat "$f"; printf '\\.\n'; } | pg-stage -l "$id" -s "$t.tsv" "$t"
		cols=$(q -c "select string_agg(column_name, ', ' order by ordinal_position)
		    from information_schema.columns where table_schema = 'staging'
		    and table_name = '$t' and ordinal_position > 2 and column_name <> 'loaded_at'")
		q -c "create table public.twin_$t (like staging.$t)" \
		  -c "alter table public.twin_$t alter load_id set default $id,
		      alter source set default '$t.tsv', alter loaded_at set default now()" \
		  -c "\\copy public.twin_$t ($cols) from '$f'"
		n=$(wc -l <"$f")
		assert_equal "$(q -c "select count(*) from staging.$t where load_id = $id and source = '$t.tsv'")" "$n"
		for pair in "staging.$t public.twin_$t" "public.twin_$t staging.$t"; do
			set -- $pair
			run --separate-stderr q -c "select * from (select $cols from $1 except all select $cols from $2) x"
			assert_success
			assert_output ''
		done
	done
	# numeric(17,2) values keep their scale of 2, text its bytes
	assert_equal "$(q -c "select string_agg(income::text, ' ' order by recno) from staging.clients")" \
	    '0.05 999999999999999.99 0.00 10.50 1234567.89'
	assert_equal "$(q -c "select string_agg(paid_fact_amount::text, ' ' order by recno) from staging.payments")" \
	    '0.00 100000000.01'
	assert_equal "$(q -c "select string_agg(loan_amount::text, ' ' order by recno) from staging.loans")" \
	    '1000000.00 -0.05'
	assert_equal "$(q -c "select passport = E'a\tb\nc\\\\d' and fio = 'Иванов' and address = E'ул. Ленина, 1\r' from staging.clients where recno = 1")" t
	assert_equal "$(q -c "select fio || '|' || passport from staging.clients where recno = 3")" 'AAq|\N'
	assert_equal "$(q -c "select string_agg(coalesce(email, 'null'), ' ' order by recno) from staging.clients")" \
	    "$(printf 'ivanova@mail.example null \\N иван@почта.рф a\tb@x null')"
	# the load time is the one recorded for the staging, in every row
	assert_equal "$(q -c "select count(distinct s.loaded_at) || ' ' || bool_and(s.loaded_at = l.staged_at)
	    from staging.payments s join staging.load_stage l using (load_id) where l.entity = 'payments'")" '1 true'
}

@test "pg-stage refuses a line that does not parse (exit 65), nothing staged" {
	reset_db
	id=$(promote-core -b -s manual | cut -f1)
	for bad in '2\t1\tLN-1\t1\t2020-02-30\t\\N\t\\N' '2\t1\tLN-1\t1\t2020-02-01\t\\N' \
	    '2\t1\tLN-1\tx\t2020-02-01\t\\N\t\\N' '2\t1\tLN-1\t1\t2020-02-01\t\\N\t1.001'; do
		printf "1\t1\tLN-1\t1\t2020-01-01\t\\\\N\t\\\\N\n$bad\n\\\\.\n" | {
			run --separate-stderr pg-stage -l "$id" -s x.json payments
			assert_equal "$status" 65
			stderr_has 'input line 2: '
			stderr_has 'nothing staged'
		}
	done
	assert_equal "$(q -c 'select count(*) from staging.payments')" 0
	assert_equal "$(q -c 'select count(*) from staging.load_stage')" 0
}

@test "the database unreachable: exit 69 with a clear message, nothing done" {
	export SPLIT_DIR=$(seed20)/raw_split_files
	PGHOST=$BATS_TEST_TMPDIR/nowhere run --separate-stderr load_part 1
	assert_equal "$status" 69
	stderr_has 'cannot connect to the database'
}

@test "two loads at once: the second stops with a clear message (75)" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	# hold the load lock the way a running load does
	lock=$(load_lock)
	flock "$lock" sleep 5 3>&- &
	holder=$!
	sleep 0.3
	run --separate-stderr load_part 1
	assert_equal "$status" 75
	stderr_has 'another load into database'
	run --separate-stderr load_part --wait 1
	assert_success
	stderr_has 'waiting for the load already running'
	wait "$holder"
}

@test "the audit keeps each step's time: promote-core's own, load-part's (-t) and the mart's (-A)" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	run --separate-stderr load_part 1
	assert_success
	load=$(q -c "select max(load_id) from core.load where status = 'committed'")
	assert_equal "$(q -c "select string_agg(step, ',' order by step) from core.load_step where load_id = $load")" \
	    'analyze,prepare,promote,promote clients,promote loans,promote payments,stage,stage clients,stage loans,stage payments'
	# promote is the transaction promote_ms has always held; a promotion
	# step's rows are the versions it added
	assert_equal "$(q -c "select ms = l.promote_ms from core.load_step s join core.load l using (load_id)
	    where load_id = $load and step = 'promote'")" t
	for e in clients loans payments; do
		assert_equal "$(q -c "select rows from core.load_step where load_id = $load and step = 'promote $e'")" \
		    "$(q -c "select new + changed from core.load_entity_stats where load_id = $load and entity = '$e'")"
	done
	# the staging wall time covers each entity's pipeline (they run side by side)
	assert_equal "$(q -c "select s.ms >= max(e.ms) from core.load_step s, core.load_step e
	    where s.load_id = $load and e.load_id = $load and s.step = 'stage' and e.step like 'stage %' group by s.ms")" t
	# a step recorded after the commit; recorded again, the newer figure wins
	run --separate-stderr promote-core -l "$load" -A -t mart=1234 -t 'custom step=5:7'
	assert_success
	run --separate-stderr promote-core -l "$load" -A -t mart=99
	assert_success
	assert_equal "$(q -c "select string_agg(step || '=' || ms || ':' || coalesce(rows::text, '-'), ',' order by step)
	    from core.load_step where load_id = $load and step in ('mart', 'custom step')")" 'custom step=5:7,mart=99:-'
	run --separate-stderr promote-core -l 999 -A -t mart=1
	assert_equal "$status" 65
	stderr_has 'load 999 does not exist'
	run --separate-stderr promote-core -l "$load" -A
	assert_equal "$status" 64
	run --separate-stderr promote-core -l "$load" -A -t mart
	assert_equal "$status" 64
	stderr_has 'NAME=MS'
}

@test "promote-core prints the counts it recorded, one line per entity" {
	reset_db
	src=$(seed20)/raw_split_files/part_1
	id=$(promote-core -b -s manual | cut -f1)
	for e in clients loans payments; do
		json2tsv "$e" <"$src/${e}_1.json" 2>/dev/null | pg-stage -l "$id" -s "$e.json" "$e" 2>/dev/null
	done
	run --separate-stderr promote-core -l "$id" -t 'stage=10'
	assert_success
	assert_output "$(q -F $'\t' -c "select entity, read, new, changed, unchanged, rejected
	    from core.load_entity_stats where load_id = $id order by array_position(array['clients','loans','payments'], entity)")"
	assert_equal "$(q -c "select ms from core.load_step where load_id = $id and step = 'stage'")" 10
}

# Payments of a loan this load brings are new without a look in core; those
# of a loan core had before are looked up: a new installment number and a
# changed record come out right, and so does a record staged although equal
# to core (pg-stage's filter drops those; staged straight into the table
# here, promotion must still call it unchanged).
@test "payments of known and of new loans: new, changed and unchanged counted exactly" {
	reset_db
	src=$(seed20)/raw_split_files/part_1
	load_part "$src" 2>/dev/null
	dir=$BATS_TEST_TMPDIR/day2
	mkdir -p "$dir"
	cp "$src/clients_1.json" "$dir/clients.json"
	c0=$(jq '.[0].client_id' "$src/loans_1.json") l0=$(jq -r '.[0].loan_name' "$src/loans_1.json")
	n0=$(jq '.[0].payment_numbers' "$src/loans_1.json")
	# the known loan with one more installment (changed), a new loan of its client
	jq --indent 2 --arg l0 "$l0" '(map(if .loan_name == $l0 then .payment_numbers += 1 else . end))
	    + [(.[0] | .loan_name = "NEW-1" | .payment_numbers = 3)]' "$src/loans_1.json" >"$dir/loans.json"
	# payments: the known loan's first record one kopeck more (changed), its
	# second as it was (unchanged), the installment past its old count (new
	# in a known loan), and the new loan's three (new)
	jq -c --argjson c0 "$c0" --arg l0 "$l0" --argjson n0 "$n0" '
	    [.[] | select(.client_id == $c0 and .loan_name == $l0)] as $mine
	    | ($mine | map(select(.payment_number == 1))[0]) as $p1
	    | [($p1 | .paid_fact_amount = ((.paid_fact_amount // 0) * 100 + 1) / 100),
	       ($mine | map(select(.payment_number == 2))[0]),
	       ($p1 | .payment_number = ($n0 + 1)),
	       (range(1; 4) as $k | $p1 | .loan_name = "NEW-1" | .payment_number = $k)]
	    | .[]' "$src/payments_1.json" >"$dir/payments.json"
	run --separate-stderr load_part "$dir"
	assert_success
	counts() {
		q -c "select read || ' ' || new || ' ' || changed || ' ' || unchanged || ' ' || rejected
		    from core.load_entity_stats s join core.load l using (load_id) where l.source = '$1' and s.entity = '$2'"
	}
	assert_equal "$(counts day2 payments)" '6 4 1 1 0'
	assert_equal "$(counts day2 loans)" "$(($(jq length "$dir/loans.json"))) 1 1 $(($(jq length "$dir/loans.json") - 2)) 0"
	assert_equal "$(q -c "select count(*) from core.payment_version where client_id = $c0 and loan_name = '$l0' and payment_number = 1")" 2
	assert_equal "$(q -c "select count(*) from core.payment_version where client_id = $c0 and loan_name = '$l0' and payment_number = 2")" 1
	assert_equal "$(q -c "select count(*) from core.payments_current where client_id = $c0 and loan_name = '$l0' and payment_number = $((n0 + 1))")" 1
	assert_equal "$(q -c "select count(*) from core.payments_current where client_id = $c0 and loan_name = 'NEW-1'")" 3
	# a current record staged as it is (no pg-stage), with one changed one
	before=$(q -c 'select count(*) from core.payment_version')
	id=$(promote-core -b -s direct | cut -f1)
	q -c "insert into staging.payments (load_id, source, recno, loaded_at, client_id, loan_name,
	          payment_number, payment_date, payment_fact_date, paid_fact_amount)
	      select $id, 'p.json', row_number() over (order by payment_number), now(), client_id, loan_name,
	             payment_number, payment_date, payment_fact_date,
	             paid_fact_amount + case when payment_number = 2 then 1 else 0 end
	      from core.payments_current where client_id = $c0 and loan_name = '$l0' and payment_number in (2, 3);
	      insert into staging.load_stage (load_id, entity, what, source, rows_read, rows_staged, rows_unchanged, staged_at)
	      values ($id, 'clients', 'data', 'c.json', 0, 0, 0, now()), ($id, 'loans', 'data', 'l.json', 0, 0, 0, now()),
	             ($id, 'payments', 'data', 'p.json', 2, 2, 0, now())" >/dev/null
	run --separate-stderr promote-core -l "$id"
	assert_success
	assert_line --index 2 "$(printf 'payments\t2\t0\t1\t1\t0')"
	assert_equal "$(q -c 'select count(*) from core.payment_version')" $((before + 1))
}

@test "load-part --mart: the mart refreshed after the commit, its seconds in the summary and the audit" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	run --separate-stderr load_part --mart --as-of 2024-06-30 1
	assert_success
	grep -Eq '^  build-mart +[0-9]+\.[0-9]{3}$' <<<"$stderr" || fail "no build-mart line in: $stderr"
	grep -Eq '^  total +[0-9]+\.[0-9]{3}$' <<<"$stderr" || fail "no total line in: $stderr"
	assert_equal "$(q -c 'select as_of from mart.build_info')" 2024-06-30
	assert_equal "$(q -c 'select count(*) from mart.loan')" "$(q -c 'select count(*) from core.loans_current')"
	load=$(q -c "select max(load_id) from core.load where status = 'committed'")
	assert_equal "$(q -c "select count(*) from core.load_step where load_id = $load and step = 'mart'")" 1
	# the same files again: a no-op load, and the mart still refreshed
	run --separate-stderr load_part --mart --as-of 2024-06-30 1
	assert_success
	stderr_has 'nothing to do'
	grep -Eq '^  build-mart +[0-9]+\.[0-9]{3}$' <<<"$stderr" || fail "no build-mart line in: $stderr"
	run --separate-stderr load_part --as-of 2024-06-30 2
	assert_equal "$status" 64
	stderr_has '--as-of goes with --mart'
}

@test "make status: the trend and the newest load's steps, in 80 columns" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	load_part --mart 1 2>/dev/null
	load_part 2 2>/dev/null
	run --separate-stderr psql -X -q -P pager=off -v ON_ERROR_STOP=1 -f "$OVERDUE_TOP/sql/ops/status.sql"
	assert_success
	trend=$(sed -n '/^Load times/,/^(/p' <<<"$output")
	# load 1 has a mart time, load 2 none
	grep -Eq '^ +1 part_1 +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ #+$' <<<"$trend" || fail "no trend line for load 1 with a mart: $trend"
	grep -Eq '^ +2 part_2 +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ #+$' <<<"$trend" || fail "no trend line for load 2: $trend"
	steps=$(sed -n '/^Steps of the newest/,$p' <<<"$output")
	read_all=$(q -c "select sum(read) from core.load_entity_stats where load_id = 2")
	grep -Eq "^stage +[0-9.]+ +$read_all " <<<"$steps" || fail "no stage step with $read_all records: $steps"
	grep -Eq '^promote payments +[0-9.]+ +[0-9]+ ' <<<"$steps" || fail "no promote payments step: $steps"
	run awk 'length > 80' <<<"$(sed -n '/^Load times/,$p' <<<"$output")"
	assert_output ''
}

@test "promote-core on a terminal says what it promotes and for how long; through a pipe nothing" {
	command -v script >/dev/null || skip "no script(1) (util-linux) to make a pseudo-terminal"
	reset_db
	src=$(seed20)/raw_split_files/part_1
	stage_all() {
		local id
		id=$(promote-core -b -f -s "$1" | cut -f1)
		for e in clients loans payments; do
			json2tsv "$e" <"$src/${e}_1.json" 2>/dev/null | pg-stage -l "$id" -s "$e.json" "$e" 2>/dev/null
		done
		echo "$id"
	}
	id=$(stage_all tty)
	# the first line after 0 s instead of 2 s: the promotion here is short
	run script -qec "OVERDUE_PROGRESS_AFTER=0 promote-core -l $id 2>&1 >/dev/null" /dev/null
	assert_success
	[[ $output == *$'\r'"promote-core: load $id: promoting payments, "*' s'* ]] ||
	    fail "no progress line in: $(cat -A <<<"$output")"
	local cleared=$'\r +\rpromote-core: load '"$id"': payments: '
	[[ $output =~ $cleared ]] || fail "progress not cleared: $(cat -A <<<"$output")"
	q -c "update core.load set status = 'failed' where load_id = $id" >/dev/null
	id=$(stage_all pipe)
	run --separate-stderr env OVERDUE_PROGRESS_AFTER=0 promote-core -l "$id"
	assert_success
	[[ $stderr != *$'\r'* ]] || fail "progress through a pipe: $(cat -A <<<"$stderr")"
}

@test "load-part --mart: a failed mart refresh leaves the load committed and says so" {
	reset_db
	export SPLIT_DIR=$(seed20)/raw_split_files
	mkdir -p "$BATS_TEST_TMPDIR/shim"
	printf '#!/bin/sh\necho "build-mart: cannot connect to the database" >&2\nexit 69\n' >"$BATS_TEST_TMPDIR/shim/build-mart"
	chmod +x "$BATS_TEST_TMPDIR/shim/build-mart"
	PATH=$BATS_TEST_TMPDIR/shim:$PATH run --separate-stderr load_part --mart 1
	assert_equal "$status" 69
	stderr_has 'load 1 is in core, but the mart refresh failed (exit 69): run make mart'
	assert_equal "$(q -c "select status from core.load where load_id = 1")" committed
	assert_equal "$(q -c "select count(*) from core.load_step where load_id = 1 and step = 'mart'")" 0
}
