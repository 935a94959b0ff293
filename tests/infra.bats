#!/usr/bin/env bats
# The ground everything stands on: the private database, the .env reader,
# the deps check, man pages.

load helpers

setup_file() { db_create; }
teardown_file() { db_drop; }

@test "with-db reaches a real PostgreSQL" {
	run --separate-stderr q -c 'select 40 + 2'
	assert_success
	assert_output 42
}

@test "each bats file gets its own scratch database" {
	run --separate-stderr q -c 'select current_database()'
	assert_success
	assert_output --regexp '^t_infra_[0-9]+$'
}

@test "the private cluster listens on a Unix socket only" {
	run --separate-stderr q -c 'show listen_addresses'
	assert_success
	# external servers (PG* set by the user) may listen on TCP; only check ours
	if [[ ${PGHOST-} == /* ]]; then assert_output ''; fi
}

@test "dotenv reads seed .env keys as data and lets the environment win" {
	cat > "$BATS_TEST_TMPDIR/env" <<'ENV'
# comment
DB_HOST=localhost
DB_PASS="p@ss $(touch /tmp/never) word"
RAW_DIR=data_generation/raw_files   # trailing comment
export SPLIT_DIR='split dir'
ENV
	export OVERDUE_ENV_FILE=$BATS_TEST_TMPDIR/env
	unset RAW_DIR SPLIT_DIR START_LOAN_DATE DB_PASS
	run --separate-stderr "$OVERDUE_TOP/pipelines/dotenv" DB_PASS
	assert_output 'p@ss $(touch /tmp/never) word'
	run --separate-stderr "$OVERDUE_TOP/pipelines/dotenv" RAW_DIR x
	assert_output 'data_generation/raw_files'
	run --separate-stderr "$OVERDUE_TOP/pipelines/dotenv" SPLIT_DIR x
	assert_output 'split dir'
	run --separate-stderr "$OVERDUE_TOP/pipelines/dotenv" START_LOAN_DATE 2010-01-01
	assert_output '2010-01-01'
	RAW_DIR=/from/env run --separate-stderr "$OVERDUE_TOP/pipelines/dotenv" RAW_DIR x
	assert_output '/from/env'
}

@test "with-db maps the seed's DB_* keys to libpq variables" {
	cat > "$BATS_TEST_TMPDIR/env" <<'ENV'
DB_HOST=db.example
DB_PORT=6543
DB_USER=analyst
DB_PASS=secret
DB_NAME=dwh
ENV
	run --separate-stderr env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD \
	    OVERDUE_ENV_FILE="$BATS_TEST_TMPDIR/env" \
	    "$OVERDUE_TOP/pipelines/with-db" bash -c 'echo "$PGHOST $PGPORT $PGUSER $PGDATABASE $PGPASSWORD"'
	assert_success
	assert_output 'db.example 6543 analyst dwh secret'
}

@test "every man page renders without warnings" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	for p in "$OVERDUE_TOP"/man/*.[1-8]; do
		run --separate-stderr mandoc -T lint -W warning "$p"
		assert_success
		assert_output ''
	done
}

@test "every program has a man page whose SYNOPSIS names it" {
	for src in "$OVERDUE_TOP"/tools/*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		page=$OVERDUE_TOP/man/$name.1	# a program's page (notify-plan.5 is its file format)
		run grep -c "^\.Nm $name" "$page"
		assert_success
	done
}

@test "every program answers --help and --version on stdout with status 0" {
	for src in "$OVERDUE_TOP"/tools/*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		run --separate-stderr "$name" --help
		assert_success
		assert_output --partial "usage: $name"
		run --separate-stderr "$name" --version
		assert_success
		assert_output --regexp "^$name \(overdue\) [0-9]+\.[0-9]+\.[0-9]+$"
	done
}

@test "every program rejects an unknown option with status 64 and its usage" {
	for src in "$OVERDUE_TOP"/tools/*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		run --separate-stderr "$name" --no-such-option
		assert_equal "$status" 64
		assert_equal "${stderr_lines[0]:0:${#name}}" "$name"
		[[ $stderr == *"usage: $name"* ]]
	done
}

@test "every program's usage line matches its man page SYNOPSIS" {
	for src in "$OVERDUE_TOP"/tools/*.c; do
		[[ -e $src ]] || continue
		name=$(basename "$src" .c)
		page=$OVERDUE_TOP/man/$name.1	# a program's page (notify-plan.5 is its file format)
		synopsis=$(MANWIDTH=1000 mandoc -T ascii -O width=1000 "$page" 2>/dev/null | sed 's/.\x08//g' |
		    awk '/^SYNOPSIS/{f=1;next} /^[A-Z]/{f=0} f && NF' | sed 's/^ *//; s/  */ /g' | head -n 1)
		run --separate-stderr "$name" --help
		usage=$(printf '%s\n' "$output" | sed -n 's/^usage: //p' | head -n 1 | sed 's/  */ /g')
		assert_equal "$usage" "$synopsis"
	done
}

# --- the toolkit in a person's shell: make -s env, and the check before compiling

@test "env prints only quoted export lines: PATH with the programs first, PG* of the warehouse" {
	ln -s "$OVERDUE_BIN" "$BATS_TEST_TMPDIR/my bin"
	run --separate-stderr "$OVERDUE_TOP/pipelines/env" "$BATS_TEST_TMPDIR/my bin"
	assert_success
	for line in "${lines[@]}"; do
		[[ $line =~ ^export\ (PATH|PG[A-Z]+)=. ]] || fail "not an export line: $line"
	done
	assert_line --regexp "^export PGDATABASE=$PGDATABASE\$"
	# evaluated in another folder, the programs are found first and reach this database
	out=$(cd / && env -i HOME="$HOME" PATH=/usr/bin:/bin bash -c \
	    'eval "$1" && type -P overdue-report && psql -XAtc "select current_database()"' _ "$output")
	assert_equal "$out" "$BATS_TEST_TMPDIR/my bin/overdue-report"$'\n'"$PGDATABASE"
	# evaluated twice, the folder is on PATH once
	out=$(bash -c 'eval "$1"; eval "$1"; tr : "\n" <<<"$PATH" | grep -c "my bin"' _ "$output")
	assert_equal "$out" 1
}

@test "env passes the seed's .env server through, quoted" {
	cat > "$BATS_TEST_TMPDIR/env" <<'ENV'
DB_HOST=db.example
DB_PORT=6543
DB_USER=analyst
DB_PASS="p@ss $(touch /tmp/never) 'word'"
DB_NAME=dwh
ENV
	run --separate-stderr env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD \
	    OVERDUE_ENV_FILE="$BATS_TEST_TMPDIR/env" "$OVERDUE_TOP/pipelines/env" "$OVERDUE_BIN"
	assert_success
	out=$(env -u PGHOST -u PGPASSWORD bash -c 'eval "$1"; echo "$PGHOST|$PGPORT|$PGUSER|$PGDATABASE|$PGPASSWORD"' _ "$output")
	assert_equal "$out" "db.example|6543|analyst|dwh|p@ss \$(touch /tmp/never) 'word'"
}

@test "make env with no build yet builds first: messages on stderr, nothing else on stdout" {
	# a header that is not there stops the build at the check, before any compile
	run --separate-stderr env OVERDUE_BUILD_NEEDS='overdue-no-such-header.h:libfake-dev' \
	    make -s -C "$OVERDUE_TOP" B="$BATS_TEST_TMPDIR/b" env
	assert_failure
	assert_output ''
	[[ $stderr == *'overdue: missing Debian packages: libfake-dev — run `make deps`'* ]] || fail "stderr: $stderr"
}

@test "check-build passes here and names the packages of what is missing (exit 69)" {
	run --separate-stderr env CHECK_CPPFLAGS="-I$OVERDUE_TOP/lib $(pkg-config --cflags libpq)" \
	    "$OVERDUE_TOP/pipelines/check-build"
	assert_success
	assert_equal "$stderr" ''
	run --separate-stderr env OVERDUE_BUILD_NEEDS='jsmn.h:libjsmn-dev overdue-no-such-header.h:libfake-dev' \
	    "$OVERDUE_TOP/pipelines/check-build"
	assert_equal "$status" 69
	assert_equal "${stderr_lines[0]}" 'overdue: missing Debian packages: libfake-dev — run `make deps` (installs them)'
	run --separate-stderr env CC=/nonexistent/cc OVERDUE_BUILD_NEEDS='jsmn.h:libjsmn-dev no-such-a.h:libfake-dev' \
	    "$OVERDUE_TOP/pipelines/check-build"
	assert_equal "$status" 69
	assert_equal "${stderr_lines[0]}" 'overdue: missing Debian packages: build-essential libfake-dev — run `make deps` (installs them)'
}

@test "make without a package says which and that make deps installs it, not a compiler error" {
	run --separate-stderr env OVERDUE_BUILD_NEEDS='jsmn.h:libjsmn-dev overdue-no-such-header.h:libjsmn-dev' \
	    make -C "$OVERDUE_TOP" B="$BATS_TEST_TMPDIR/b" all
	assert_failure
	[[ $stderr == *'overdue: missing Debian packages: libjsmn-dev — run `make deps` (installs them)'* ]] ||
	    fail "stderr: $stderr"
	[[ $stderr != *"fatal error"* && $output != *"fatal error"* ]] || fail "the compiler ran"
	run find "$BATS_TEST_TMPDIR/b" -name '*.o'
	assert_output ''
}

@test "write-out replaces its file whole or not at all and prints a file:// URL" {
	d="$BATS_TEST_TMPDIR/a dir/Отчёт"
	mkdir -p "$d"
	run --separate-stderr "$OVERDUE_TOP/pipelines/write-out" dashboard "$d/x.html" printf 'new\n'
	assert_success
	assert_output "dashboard: file://${BATS_TEST_TMPDIR// /%20}/a%20dir/%D0%9E%D1%82%D1%87%D1%91%D1%82/x.html"
	run --separate-stderr "$OVERDUE_TOP/pipelines/write-out" dashboard "$d/x.html" bash -c 'echo half; exit 3'
	assert_equal "$status" 3
	assert_equal "$(cat "$d/x.html")" new
	run ls -A "$d"
	assert_output x.html
}
