# tests/helpers.bash -- loaded by every bats file:  load helpers
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# tests/run exports OVERDUE_BIN (the sanitizer build's programs) and OVERDUE_TOP.
: "${OVERDUE_TOP:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)}"
: "${OVERDUE_BIN:=$OVERDUE_TOP/build/bin}"
PATH=$OVERDUE_BIN:$PATH
FIXTURES=$OVERDUE_TOP/tests/fixtures
SEED_DATA=$OVERDUE_TOP/../shared/seed-data

# A scratch database for one bats file: call db_create in setup_file and
# db_drop in teardown_file.  PG* comes from pipelines/with-db.
db_create() {
	export PGDATABASE="t_$(basename "$BATS_TEST_FILENAME" .bats | tr -c 'a-z0-9\n' _)_$$"
	psql -d postgres -XqAtc "drop database if exists \"$PGDATABASE\"" >/dev/null 2>&1 || true
	psql -d postgres -Xqc "create database \"$PGDATABASE\"" >/dev/null
}
db_drop() {
	[[ -n ${PGDATABASE-} && $PGDATABASE == t_* ]] || return 0
	psql -d postgres -XqAtc "drop database if exists \"$PGDATABASE\" with (force)" >/dev/null 2>&1 || true
}
# psql that fails loudly and prints bare values
q() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
