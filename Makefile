# overdue -- build, test and ETL driver.  `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
.DEFAULT_GOAL := all

VERSION := 0.1.0

# --- install locations and tools (GNU conventions; all overridable) --------
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
LDLIBS  ?=
# B is the build directory; the sanitizer build used by `make test` lives in $(B)/asan.
B       ?= build

PG_CFLAGS = $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
PG_LIBS   = $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq) -lz
WARN      = -std=c11 -Wall -Wextra -Wpedantic -Werror
DEFS      = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DOVERDUE_VERSION='"$(VERSION)"' \
            -DJSMN_PARENT_LINKS -DJSMN_STRICT
ALL_CFLAGS = $(WARN) $(DEFS) -Ilib -I$(B) $(PG_CFLAGS) $(CFLAGS)

TOOLS   := $(sort $(basename $(notdir $(wildcard tools/*.c))))
# lib/ is one concern per file; a concern of several files has a folder (lib/notify/)
LIBSRC  := $(sort $(wildcard lib/*.c lib/*/*.c))
LIBHDR  := $(wildcard lib/*.h lib/*/*.h)
SQLSRC  := $(sort $(shell find sql -name '*.sql' 2>/dev/null))
WEBSRC  := $(sort $(wildcard web/*.html web/*.css web/*.js))
# data files compiled in too (calendar, zones, policy, templates); etc/ installs them as well
ETCSRC  := $(sort $(shell find etc -type f 2>/dev/null))
UNITSRC := $(sort $(wildcard tests/unit/t_*.c))
MANPAGES := $(sort $(wildcard man/*.[1-8]))

BINS  := $(addprefix $(B)/bin/,$(TOOLS))
UNITS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNITSRC))
LIB   := $(B)/liboverdue.a
LIBOBJ := $(patsubst lib/%.c,$(B)/obj/%.o,$(LIBSRC)) $(B)/obj/sqltext.o

# --- private database and seed .env (see pipelines/with-db) ----------------
WITHDB := pipelines/with-db
DOTENV := pipelines/dotenv
RAW_DIR         ?= $(shell $(DOTENV) RAW_DIR data/raw)
SPLIT_DIR       ?= $(shell $(DOTENV) SPLIT_DIR data/split)
START_LOAN_DATE ?= $(shell $(DOTENV) START_LOAN_DATE 2010-01-01)
N     ?= 20
SEED  ?= 1
AS_OF ?=
PARTS ?= 5
PART  ?=
DIR   ?=
export RAW_DIR SPLIT_DIR

# ============================================================================
.PHONY: all help
all: $(BINS) $(UNITS)   ## build every program (into build/bin) and the unit tests

help:   ## list the targets
	@grep -hE '^[a-z][a-zA-Z0-9_-]*:.*## ' $(MAKEFILE_LIST) | \
	    sed -E 's/^([^:]*):.*## (.*)/  \1\t\2/' | expand -t 18

$(B)/obj/%.o: lib/%.c $(LIBHDR) | $(B)/obj $(B)/.build-ok
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# the SQL, the dashboard's page sources and etc/'s data files, compiled in
$(B)/sqltext.c: lib/embed-sql.sh $(SQLSRC) $(WEBSRC) $(ETCSRC) | $(B)
	lib/embed-sql.sh sql web etc > $@

$(B)/obj/sqltext.o: $(B)/sqltext.c lib/db/sql.h | $(B)/obj $(B)/.build-ok
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/bin/%: tools/%.c $(LIB) $(LIBHDR) | $(B)/bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PG_LIBS) $(LDLIBS)

$(B)/unit/%: tests/unit/%.c tests/unit/tap.h $(LIB) $(LIBHDR) | $(B)/unit
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) $(PG_LIBS) $(LDLIBS)

$(B) $(B)/obj $(B)/bin $(B)/unit:
	mkdir -p $@

# Before the first compile: are the compiler, the tools and the headers here?
# If not, pipelines/check-build names the missing Debian packages and says
# `make deps` installs them (exit 69) -- no compiler error about jsmn.h.
$(B)/.build-ok: pipelines/check-build | $(B)
	@CC='$(CC)' CHECK_CPPFLAGS='-Ilib $(PG_CFLAGS)' pipelines/check-build
	@touch $@

# ============================================================================
# Set-up: packages, private database.
.PHONY: deps db-start db-stop db-status psql env
deps:   ## install missing Debian packages (apt-get as root/sudo, or print the command)
	pipelines/deps

db-start:   ## start the private PostgreSQL cluster in var/pg (unless a server is configured)
	pipelines/pgctl start

db-stop:   ## stop the private cluster
	pipelines/pgctl stop

db-status:   ## say which database the tools use and whether it is up
	pipelines/pgctl status

psql:   ## open psql on the configured database
	$(WITHDB) psql

# The toolkit in your own shell:  eval "$(make -s env)"  prints only export
# lines (PATH with $(B)/bin first; PG* of the warehouse, the private cluster
# started if down).  Builds the programs first; every other word goes to stderr.
env:   ## eval "$(make -s env)": the programs on PATH and PG* of the warehouse, in your shell
	@$(MAKE) --no-print-directory -s -q $(BINS) 2>/dev/null || { \
	    echo "make env: building the programs first (into $(B)/bin)" >&2; \
	    $(MAKE) --no-print-directory -s $(BINS) >&2; }
	@pipelines/env '$(CURDIR)/$(B)/bin'

# A private Citus cluster (distributed PostgreSQL, issue 10): a coordinator
# and WORKERS workers in var/citus, Unix sockets only; Citus is built from
# CITUS_SRC (default: ../shared/vendor/citus-*.tar.gz) when PostgreSQL lacks
# it.  eval "$(make -s citus-env)" points every target and program at it.
WORKERS   ?=
CITUS_SRC ?=
.PHONY: citus-up citus-down citus-env citus-status
citus-up:   ## WORKERS=2 CITUS_SRC=path: a private Citus cluster in var/citus (built and installed when missing)
	WORKERS='$(WORKERS)' CITUS_SRC='$(CITUS_SRC)' pipelines/citus up

citus-down:   ## stop the Citus cluster's nodes
	pipelines/citus down

citus-env:   ## eval "$(make -s citus-env)": PG* of the Citus coordinator, in your shell
	@pipelines/citus env

citus-status:   ## the Citus nodes and the shards of each table
	@pipelines/citus status

# ============================================================================
# Tests: everything under sanitizers against a real PostgreSQL.
SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
.PHONY: test test-build check-man valgrind
test:   ## every test: ASan+UBSan build, unit + bats suites, valgrind; last line "N passed, M failed"
	pipelines/deps --quiet --browser
	$(MAKE) --no-print-directory test-build all
	VALGRIND_BUILD=$(B) $(WITHDB) tests/run $(B)/asan

test-build:
	$(MAKE) --no-print-directory B=$(B)/asan CFLAGS='$(SAN)' LDFLAGS='-fsanitize=address,undefined' all

check-man:   ## lint the man pages
	mandoc -T lint -W warning $(MANPAGES)

valgrind: all   ## run the unit tests and a small pipeline under valgrind
	tests/valgrind $(B)

# ============================================================================
# ETL (the seed's commands, as Make targets).  Data lands in RAW_DIR / SPLIT_DIR.
.PHONY: run generate split
# The main job: install what is missing, build, generate RUN_N clients (or N=…
# when given), split them into PARTS cumulative parts, create the schema, load
# every part in order (the mart refreshed after the last one) and print the
# monthly overdue share.  Re-running it is cheap: unchanged steps are no-ops.
RUN_N ?= 1000
run:   ## the main job end to end: deps, build, database, generate, split, load-all, mart, report, dashboard
	pipelines/deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory generate N=$(if $(filter command%,$(origin N)),$(N),$(RUN_N))
	$(MAKE) --no-print-directory split
	$(MAKE) --no-print-directory load-all
	$(MAKE) --no-print-directory report
	$(MAKE) --no-print-directory dashboard

generate: $(RAW_DIR)/clients.json   ## N=20 SEED=1 AS_OF=YYYY-MM-DD: synthetic seed-format files in RAW_DIR

# Parameter stamps: rewritten only when values given on the command line or in
# the environment differ from the last run's, so `make generate N=1000` then
# `make split` splits those 1000 clients (the default N does not regenerate),
# while `make generate N=500` regenerates.
.PHONY: FORCE
FORCE:
param = '$(1)=$($(1))@$(origin $(1))'
$(RAW_DIR)/.params: FORCE
	@pipelines/stamp $@ $(call param,N) $(call param,SEED) $(call param,AS_OF) $(call param,START_LOAN_DATE)

$(SPLIT_DIR)/.params: FORCE
	@pipelines/stamp $@ $(call param,PARTS)

$(RAW_DIR)/clients.json: $(B)/bin/gen-clients $(RAW_DIR)/.params
	$(B)/bin/gen-clients -n $(N) --seed $(SEED) $(if $(AS_OF),--as-of $(AS_OF)) \
	    --start-date $(START_LOAN_DATE) -o $(RAW_DIR)

split: $(SPLIT_DIR)/part_$(PARTS)/loans_$(PARTS).json   ## PARTS=5: cumulative parts of RAW_DIR in SPLIT_DIR

$(SPLIT_DIR)/part_$(PARTS)/loans_$(PARTS).json: $(RAW_DIR)/clients.json $(B)/bin/json-split $(SPLIT_DIR)/.params
	$(B)/bin/json-split -p $(PARTS) -o $(SPLIT_DIR) $(RAW_DIR)

# ============================================================================
.PHONY: install uninstall clean
install: $(BINS)   ## install programs and man pages under $(DESTDIR)$(PREFIX)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	for p in $(MANPAGES); do \
	    s=$${p##*.}; install -m 644 $$p $(DESTDIR)$(MANDIR)/man$$s/; done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	for p in $(MANPAGES); do \
	    s=$${p##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${p##*/}; done

clean:   ## remove build output (not data, not the database)
	rm -rf $(B)

# --- gen-clients (generator) ---
.PHONY: bench-gen
BENCH_GEN_N ?= 1000000
bench-gen: $(B)/bin/gen-clients   ## BENCH_GEN_N=1000000: gen-clients to /dev/null, 3 runs (wall time, max RSS)
	@for i in 1 2 3; do \
	    /usr/bin/time -f "run $$i: %e s wall, %M KB max RSS" \
	        $(B)/bin/gen-clients -n $(BENCH_GEN_N) --as-of 2024-06-30 > /dev/null; \
	done

# --- json-split ---

# --- json2tsv ---
# json2tsv converts batches in worker threads (lib/json/j2t.c); so does its unit test
$(B)/bin/json2tsv $(B)/unit/t_j2t $(B)/bin/build-mart: LDLIBS += -pthread
BENCH_RECORDS ?= 1000000
BENCH_BIG_MB  ?= 1100
.PHONY: bench-json2tsv
bench-json2tsv: $(B)/bin/json2tsv   ## json2tsv vs jq on ~1 M payments (medians of 3), peak RSS on a 1.1 GB array
	pipelines/bench-json2tsv $(B)/bin/json2tsv $(BENCH_RECORDS) $(BENCH_BIG_MB)

# --- load path (schema, pg-stage, promote-core, load, status, bench-load) ---
.PHONY: schema shema
schema:   ## create/update the staging, core and mart schemas (idempotent)
	$(WITHDB) pipelines/schema

shema: schema   # the seed's spelling

# One part (or folder) = pipelines/load-part: promote-core --begin,
# json2tsv | pg-stage for the three files, promote-core, and (MART=yes, the
# default) build-mart as of AS_OF (default today): the mart brought up to
# date incrementally, its seconds in the load's summary block and in the
# audit (make status).  load-all refreshes the mart once, with its last
# part.  AFTER_LOAD is a hook for further steps after load, load-all and
# load-dir (none by default), timed into the summary the same way.
FORCE      ?=
LOAD       ?=
MART       ?= yes
AFTER_LOAD ?=
# ... timed: its seconds close the load's summary block (pipelines/load-part)
AFTER_LOAD_TIMED = $(if $(strip $(AFTER_LOAD)),$(AFTER_LOAD_RUN))
AFTER_LOAD_RUN = @t0=$${EPOCHREALTIME/[.,]/}; $(AFTER_LOAD); \
    ms=$$((($${EPOCHREALTIME/[.,]/} - t0) / 1000)); \
    printf '  %-16s %4d.%03d\n' "make $(lastword $(AFTER_LOAD))" $$((ms / 1000)) $$((ms % 1000)) >&2
LOAD_BINS  := $(B)/bin/json2tsv $(B)/bin/pg-stage $(B)/bin/promote-core $(B)/bin/build-mart
LOAD_PART  = PATH="$(CURDIR)/$(B)/bin:$$PATH" $(WITHDB) pipelines/load-part $(if $(FORCE),--force)
LOAD_MART  = $(if $(filter yes,$(MART)),--mart $(if $(AS_OF),--as-of '$(AS_OF)'))
.PHONY: load load-all load-dir status rejects bench-load
load: $(LOAD_BINS)   ## PART=N [FORCE=1] [MART=no]: load part N of SPLIT_DIR (N-1 first; same files = no-op), refresh the mart
	@test -n "$(PART)" || { echo "make load: give PART=N (or use load-all / load-dir DIR=...)" >&2; exit 64; }
	@$(WITHDB) pipelines/schema --if-changed
	$(LOAD_PART) $(LOAD_MART) $(PART)
	$(AFTER_LOAD_TIMED)

load-all: $(LOAD_BINS)   ## [MART=no]: load every part of SPLIT_DIR in part order, then refresh the mart
	@$(WITHDB) pipelines/schema --if-changed
	@parts=$$(ls -d "$(SPLIT_DIR)"/part_* 2>/dev/null | sed 's/.*part_//' | sort -n); \
	    test -n "$$parts" || { echo "make load-all: no part_N in $(SPLIT_DIR) (make split?)" >&2; exit 66; }; \
	    last=$${parts##*[!0-9]}; \
	    for n in $$parts; do \
	        if [[ $$n == "$$last" ]]; then $(LOAD_PART) $(LOAD_MART) $$n; else $(LOAD_PART) $$n; fi; \
	    done
	$(AFTER_LOAD_TIMED)

load-dir: $(LOAD_BINS)   ## DIR=path [MART=no]: the daily job: load a folder of clients*.json, loans*.json, payments*.json, refresh the mart
	@test -n "$(DIR)" || { echo "make load-dir: give DIR=folder" >&2; exit 64; }
	@$(WITHDB) pipelines/schema --if-changed
	$(LOAD_PART) $(LOAD_MART) "$(DIR)"
	$(AFTER_LOAD_TIMED)

status:   ## list the loads with their counts read/new/changed/unchanged/rejected
	@$(WITHDB) psql -X -q -P pager=off -v ON_ERROR_STOP=1 -f sql/ops/status.sql

rejects:   ## LOAD=N: the quarantined records of load N (default: the newest with rejects)
	@$(WITHDB) psql -X -q -P pager=off -v ON_ERROR_STOP=1 -v load='$(LOAD)' -f sql/ops/rejects.sql

bench-load: $(LOAD_BINS)   ## pg-stage vs psql \copy, load-all wall time (seed n1000, generated 100k)
	PATH="$(CURDIR)/$(B)/bin:$$PATH" $(WITHDB) pipelines/bench-load

# the daily load at scale (issue 9): an N-loan core kept as a template
# database, 10 daily deltas of 1 % through load-part --mart, each also into
# an empty core; seconds per step, peak RSS per program, the targets
.PHONY: bench-scale
bench-scale: $(LOAD_BINS)   ## BENCH_N=1000000: 10 daily 1 % deltas into an N-loan core and into an empty one: seconds per step, peak RSS, targets
	BIN="$(CURDIR)/$(B)/bin" $(WITHDB) pipelines/bench-scale $(BENCH_N)

# --- mart (build-mart, overdue-report, mart, report, bench-mart) ---
# build-mart brings the mart up to date with core as of AS_OF (default
# today); overdue-report reads only the mart.  `make load`/`load-all`/
# `load-dir` end with build-mart themselves (pipelines/load-part --mart).
MIN     ?=
MAX     ?=
BUCKET  ?=
BY      ?=
FORMAT  ?=
FULL    ?=
BENCH_N ?= 1000000
REPORT_ARGS = $(if $(BUCKET),--bucket '$(BUCKET)') $(if $(MIN),--min-amount '$(MIN)') \
    $(if $(MAX),--max-amount '$(MAX)') $(if $(BY),--by '$(BY)') $(if $(FORMAT),--format '$(FORMAT)')
.PHONY: mart report bench-mart
mart: $(B)/bin/build-mart   ## AS_OF=YYYY-MM-DD [FULL=1]: bring the mart up to date with core (default today; only what changed unless FULL=1)
	$(WITHDB) $(B)/bin/build-mart $(if $(FULL),--full) $(if $(AS_OF),--as-of '$(AS_OF)')

report: $(B)/bin/overdue-report $(B)/bin/build-mart   ## BUCKET= MIN= MAX= BY= FORMAT= AS_OF=: the monthly overdue share
	$(if $(AS_OF),@$(WITHDB) $(B)/bin/overdue-report --as-of '$(AS_OF)' --format tsv >/dev/null 2>&1 || \
	    $(MAKE) --no-print-directory mart AS_OF='$(AS_OF)')
	@$(WITHDB) $(B)/bin/overdue-report $(REPORT_ARGS)

bench-mart: $(B)/bin/build-mart $(B)/bin/overdue-report   ## BENCH_N=1000000: time build-mart and filtered reports
	BIN="$(CURDIR)/$(B)/bin" $(WITHDB) pipelines/bench-mart $(BENCH_N)

# the same work on the single node and on the Citus cluster of var/citus
# (issue 10): load-all, build-mart, filtered reports on generated clients;
# the ratio (one machine: the cluster's overhead), where the time goes, the
# CPU of each node, the per-row costs of the scale model (overdue(7))
BENCH_CITUS_N ?= 100000
.PHONY: bench-citus
bench-citus: $(LOAD_BINS) $(addprefix $(B)/bin/,overdue-report gen-clients json-split)   ## BENCH_CITUS_N=100000 BENCH_SHARDS="32 8": single node vs 1 coordinator + 2 workers: seconds per step, CPU per node, per-row costs
	BIN="$(CURDIR)/$(B)/bin" $(WITHDB) pipelines/bench-citus $(BENCH_CITUS_N)

.PHONY: bench-dashboard
bench-dashboard: $(B)/bin/build-mart $(B)/bin/overdue-report   ## BENCH_N=1000000: the HTML dashboard: write time, size, render and filter in chromium (medians of 3)
	pipelines/deps --quiet --browser
	BIN="$(CURDIR)/$(B)/bin" $(WITHDB) pipelines/bench-dashboard $(BENCH_N)

# --- dashboard and charts (overdue-report --format html|svg) ---
# Written at the top of the checkout through a temporary file and a rename
# (pipelines/write-out): a failed run leaves the previous file, never half a
# file.  BUCKET= MIN= MAX= set the page's initial filter (the chart's filter).
DASHBOARD ?= $(CURDIR)/dashboard.html
CHART_DIR ?= $(CURDIR)
CHART  ?=
CHARTS := share late buckets par vintage roll cure
PAGE_ARGS = $(if $(BUCKET),--bucket '$(BUCKET)') $(if $(MIN),--min-amount '$(MIN)') \
    $(if $(MAX),--max-amount '$(MAX)')
.PHONY: dashboard svg
dashboard: $(B)/bin/overdue-report   ## BUCKET= MIN= MAX=: write dashboard.html (one self-contained page) and print its file:// URL
	@$(WITHDB) pipelines/write-out dashboard '$(DASHBOARD)' \
	    $(B)/bin/overdue-report --format html $(PAGE_ARGS)

svg: $(B)/bin/overdue-report   ## CHART=share|late|buckets|par|vintage|roll|cure [BUCKET= MIN= MAX=]: write chart-CHART.svg
	@test -n "$(filter $(CHARTS),$(CHART))" -a "$(words $(CHART))" = 1 || \
	    { echo "make svg: give CHART= one of: $(CHARTS)" >&2; exit 64; }
	@$(WITHDB) pipelines/write-out svg '$(CHART_DIR)/chart-$(CHART).svg' \
	    $(B)/bin/overdue-report --format svg --chart '$(CHART)' $(PAGE_ARGS)

# --- notifications (notify-plan, notify-log; issue 8) ---
# make notify AS_OF=D: the mart rebuilt as of D unless it is, then the day's
# plan into NOTIFY_PLAN (through a temporary file: all of it or the old one)
# and into the contact log.  A second run for the same day plans nothing
# new: the file then holds the header only (the day's plan is in
# notify.contact).  AS_OF defaults to today.
NOTIFY_PLAN ?= $(CURDIR)/notify-plan.tsv
.PHONY: notify bench-notify
notify: $(B)/bin/notify-plan $(B)/bin/build-mart   ## AS_OF=YYYY-MM-DD: the day's client notifications into notify-plan.tsv and the contact log
	@$(WITHDB) pipelines/schema --if-changed
	@day='$(if $(AS_OF),$(AS_OF),$(shell date +%F))'; \
	    have=$$($(WITHDB) psql -XAtc 'select as_of from mart.build_info' 2>/dev/null || true); \
	    [[ $$have == "$$day" ]] || $(MAKE) --no-print-directory mart AS_OF="$$day"; \
	    $(WITHDB) pipelines/write-out notify-plan '$(NOTIFY_PLAN)' $(B)/bin/notify-plan --as-of "$$day"

bench-notify: $(B)/bin/notify-plan $(B)/bin/build-mart $(addprefix $(B)/bin/,notify-replay gen-clients json2tsv pg-stage promote-core)   ## notify-plan on the bench-mart portfolio (1 M loans), notify-replay of 180 days on 100 000 clients; medians of 3
	BIN="$(CURDIR)/$(B)/bin" $(WITHDB) pipelines/bench-notify
