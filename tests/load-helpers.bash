# tests/load-helpers.bash -- shared by load.bats and load-kill.bats.

# The seed prototype's 20-client data in $BATS_FILE_TMPDIR/seed-n20.
seed20() {
	[[ -d $BATS_FILE_TMPDIR/seed-n20 ]] ||
		tar -xJf "$FIXTURES/seed-n20.tar.xz" -C "$BATS_FILE_TMPDIR"
	echo "$BATS_FILE_TMPDIR/seed-n20"
}

# Load part N (or a folder) of SPLIT_DIR with the real pipeline.
load_part() { "$OVERDUE_TOP/pipelines/load-part" "$@"; }
schema() { "$OVERDUE_TOP/pipelines/schema" 2>/dev/null; }

# A checksum over everything core holds -- versions with the parts that
# opened and closed them (load ids differ between runs that were killed
# and runs that were not), identities and the quarantine.
core_checksum() {
	q "$@" <<'SQL'
WITH l AS (SELECT load_id, coalesce(part::text, source) AS part FROM core.load),
rows AS (
    SELECT 'client ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
           || ' ' || f.part || '..' || coalesce(t.part, '') AS r
    FROM core.client_version AS v
    JOIN l AS f ON f.load_id = v.valid_from_load
    LEFT JOIN l AS t ON t.load_id = v.valid_to_load
    UNION ALL
    SELECT 'loan ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
           || ' ' || f.part || '..' || coalesce(t.part, '')
    FROM core.loan_version AS v
    JOIN l AS f ON f.load_id = v.valid_from_load
    LEFT JOIN l AS t ON t.load_id = v.valid_to_load
    UNION ALL
    SELECT 'payment ' || (to_jsonb(v) - '{valid_from_load,valid_to_load}'::text[])::text
           || ' ' || f.part || '..' || coalesce(t.part, '')
    FROM core.payment_version AS v
    JOIN l AS f ON f.load_id = v.valid_from_load
    LEFT JOIN l AS t ON t.load_id = v.valid_to_load
    UNION ALL
    SELECT 'id client ' || c.client_id FROM core.client AS c
    UNION ALL
    SELECT 'id loan ' || c.client_id || ' ' || c.loan_name FROM core.loan AS c
    UNION ALL
    SELECT 'reject ' || q.entity || ' ' || q.recno || ' ' || q.reason || ' ' || f.part
    FROM core.quarantine AS q JOIN l AS f ON f.load_id = q.load_id
)
SELECT count(*) || ' ' || md5(string_agg(r, E'\n' ORDER BY r)) FROM rows
SQL
}

# bats-assert here has no assert_stderr
stderr_has() {
	[[ $stderr == *"$1"* ]] && return 0
	printf 'stderr does not contain: %s\n--- stderr:\n%s\n' "$1" "$stderr" >&2
	return 1
}

# The lock file pipelines/load-part takes for the current database.
load_lock() {
	local key
	key=$(printf '%s' "${PGHOST-}:${PGPORT-}:${PGDATABASE-}:${PGSERVICE-}:${PGUSER-}" | md5sum)
	echo "${OVERDUE_LOCK_DIR:-${TMPDIR:-/tmp}}/overdue-load-${key%% *}.lock"
}

# Every mart table's rows (in a fixed order, as text) and build_info but for
# its clock: a count and an md5 per table (q's arguments: another database).
mart_sum() {
	q "$@" <<'SQL'
SELECT 'loan ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.loan t
UNION ALL SELECT 'client ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.client t
UNION ALL SELECT 'month_bin ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.month_bin t
UNION ALL SELECT 'roll_bin ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.roll_bin t
UNION ALL SELECT 'vintage_bin ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.vintage_bin t
UNION ALL SELECT 'by_attr ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.by_attr t
UNION ALL SELECT 'data_mart ' || count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text COLLATE "C"), '')) FROM mart.data_mart t
UNION ALL SELECT 'build_info ' || string_agg(t::text, ' ') FROM (
    SELECT as_of, first_month, last_month, loans, payments FROM mart.build_info) t
SQL
}

# A folder export with rejects of every kind (load.bats, citus-ops.bats): two bad
# clients, a loan of an unknown client, three bad payments.
bad_export() {	# SRC DIR: SRC the seed's part_1 folder, DIR the export made
	local src=$1 dir=$2
	mkdir -p "$dir"
	jq --indent 2 '. + [{"client_id":"abc","fio":"x"}, (.[1] | .client_id = 424242 | .phone = "dup-early"), (.[1] | .client_id = 424242)]' \
	    "$src/clients_1.json" >"$dir/clients.json"
	jq --indent 2 '. + [(.[0] | .client_id = 999999 | .loan_name = "ZZZ-1")]' \
	    "$src/loans_1.json" >"$dir/loans.json"
	jq --indent 2 '. + [(.[0] | .loan_name = "NO-SUCH"),
	    (.[0] | .payment_number = 1000),
	    (.[1] | .paid_fact_amount = -1)]' "$src/payments_1.json" >"$dir/payments.json"
}
