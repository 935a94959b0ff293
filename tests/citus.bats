#!/usr/bin/env bats
# The warehouse on a private Citus cluster (issue 10): a coordinator and two
# workers brought up by pipelines/citus (what `make citus-up` runs) in
# var/citus-test, kept between runs so initdb happens once (and stopped
# again after, when this file started it).  The schema's layout on the
# cluster, and the same loads giving the same core as on the single node.
#
# Every test is skipped, saying why, when Citus cannot be had: not in
# PostgreSQL, and no source tarball to build it from (../shared/vendor, or
# CITUS_SRC), or no root to install it.  When it is missing but a tarball is
# there, setup_file builds and installs it (a few minutes, once).

load helpers
load load-helpers

load citus-helpers

# Load part N on the cluster; its messages shown when it fails.
cluster_load() {
	local n=$1 err=$BATS_TEST_TMPDIR/load.err
	if ! on_cluster load_part "$n" 2>"$err" >/dev/null; then
		echo "load-part $n failed on the cluster:" >&2
		cat "$err" >&2
		return 1
	fi
}

setup_file() {
	export OVERDUE_LOCK_DIR=$BATS_FILE_TMPDIR
	citus_setup "t_citus_c_$$" || return 1
	[[ -z $CITUS_SKIP ]] || return 0
	export MOVED_DB=t_citus_m_$$
	citus db "$MOVED_DB" >/dev/null

	# a small generated portfolio in 4 cumulative parts
	gen-clients -n 200 --seed 11 --as-of 2024-06-30 --start-date 2021-01-01 \
		-o "$BATS_FILE_TMPDIR/raw" 2>/dev/null
	json-split -p 4 -o "$BATS_FILE_TMPDIR/split" "$BATS_FILE_TMPDIR/raw" 2>/dev/null
	export SPLIT_DIR=$BATS_FILE_TMPDIR/split
	# the single node's core after parts 1-3 (and a dump of that warehouse)
	# and after part 4
	db_create
	schema
	for n in 1 2 3; do load_part "$n" >/dev/null 2>&1; done
	export SINGLE_SUM3 SINGLE_SUM4
	SINGLE_SUM3=$(core_checksum)
	pg_dump --no-owner --no-privileges >"$BATS_FILE_TMPDIR/single.sql"
	load_part 4 >/dev/null 2>&1
	SINGLE_SUM4=$(core_checksum)
}

teardown_file() {
	[[ -z ${CITUS_SKIP-} ]] || return 0
	db_drop
	[[ -z ${MOVED_DB-} ]] || citus dropdb "$MOVED_DB" || true
	citus_teardown
}

# the tables of every layer and what they are on Citus (written out here,
# not read from 90_citus.sql)
PER_CLIENT="core.client core.client_version core.loan core.loan_version core.payment_version
	staging.clients staging.loans staging.payments
	staging.promote_clients staging.promote_loans staging.promote_payments mart.client mart.loan
	notify.contact notify.contact_event notify.restriction"
REFERENCE="core.schema_version core.etl_lock core.schema_files core.load core.load_file
	core.load_entity_stats core.load_step core.quarantine staging.rejects staging.load_stage
	mart.build_info mart.build_state mart.month_bin mart.roll_bin mart.vintage_bin mart.by_attr
	notify.writer_lock"

@test "citus up with the cluster running says so and changes nothing" {
	need_cluster
	before=$(cq -d postgres -c "select string_agg(datname, ',' order by datname) from pg_database")
	run --separate-stderr citus up
	assert_success
	stderr_has "up already"
	stderr_has "nothing to do"
	assert_equal "$(cq -d postgres -c "select string_agg(datname, ',' order by datname) from pg_database")" "$before"
	# two workers, active, in the databases citus db made
	assert_equal "$(cq -c 'select count(*) from citus_get_active_worker_nodes()')" 2
	assert_equal "$(cq -c 'select count(*) from pg_dist_node where groupid = 0')" 1
}

@test "citus env points with-db and make at the coordinator, not the private node" {
	need_cluster
	run --separate-stderr citus env
	assert_success
	assert_output "export PGHOST=$CITUS_HOST PGPORT=$CITUS_PORT PGUSER=overdue PGDATABASE=overdue"
	# with those exported, every target goes to the cluster
	run --separate-stderr bash -c 'eval "$1" && export PGDATABASE=$2 &&
	    "$3/pipelines/with-db" psql -XAtc "select count(*) from citus_get_active_worker_nodes()" &&
	    make -s -C "$3" db-status' _ "$output" "$CITUS_DB" "$OVERDUE_TOP"
	assert_success
	assert_line --index 0 2
	assert_line --partial "connected to $CITUS_DB as overdue"
}

@test "make schema distributes the per-client tables by client_id, co-located, and makes the small ones reference tables" {
	need_cluster
	local t want=
	for t in $PER_CLIENT; do want+="$t distributed client_id $SHARDS 2"$'\n'; done
	# a reference table has a copy on the coordinator and on both workers
	for t in $REFERENCE; do want+="$t reference  1 3"$'\n'; done
	run --separate-stderr cq -c "select t.table_name || ' ' || t.citus_table_type || ' ' ||
	        replace(t.distribution_column, '<none>', '') || ' ' || t.shard_count || ' ' ||
	        (select count(distinct nodeport) from citus_shards s where s.table_name = t.table_name)
	    from unnest(string_to_array(\$\$$(echo $PER_CLIENT $REFERENCE)\$\$, ' ')) with ordinality as u(name, o)
	    left join citus_tables t on t.table_name = u.name::regclass
	    order by u.o"
	assert_success
	assert_output "${want%$'\n'}"
	# one co-location group for every per-client table
	run --separate-stderr cq -c "select count(distinct colocation_id) from citus_tables where citus_table_type = 'distributed'"
	assert_output 1
	# no table of a layer left local on the coordinator
	run --separate-stderr cq -c "select string_agg(c.oid::regclass::text, ' ') from pg_class c
	    join pg_namespace n on n.oid = c.relnamespace
	    where n.nspname in ('staging', 'core', 'mart', 'notify') and c.relkind = 'r'
	      and not exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid)"
	assert_output ''
	# the shards of a distributed table spread over both workers, none on the coordinator
	run --separate-stderr cq -c "select string_agg(nodeport || ':' || n, ' ' order by nodeport) from (
	    select nodeport, count(*) as n from citus_shards where table_name = 'core.payment_version'::regclass group by 1) s"
	assert_output "$((CITUS_PORT + 1)):$((SHARDS / 2)) $((CITUS_PORT + 2)):$((SHARDS / 2))"
	# and recorded
	run --separate-stderr cq -c "select description from core.schema_version where version = 0"
	assert_output --partial "citus layout: per-client tables distributed by client_id"
	# no foreign key into a reference table (Citus would serialise or refuse the promotion)
	run --separate-stderr cq -c "select count(*) from pg_constraint c join citus_tables t on t.table_name = c.confrelid
	    where c.contype = 'f' and t.citus_table_type = 'reference'"
	assert_output 0
}

@test "a second make schema on the cluster changes nothing and warns of nothing" {
	need_cluster
	layout() {
		cq -c "select md5(string_agg(x, E'\n' order by x)) from (
		    select logicalrelid::text || partmethod::text || repmodel::text || colocationid as x from pg_dist_partition
		    union all select logicalrelid::text || ' ' || shardid from pg_dist_shard
		    union all select shardid || ' ' || groupid from pg_dist_placement
		    union all select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
		      from pg_constraint where connamespace in ('staging'::regnamespace, 'core'::regnamespace,
		        'mart'::regnamespace, 'notify'::regnamespace)
		    union all select tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text from pg_trigger where not tgisinternal
		    union all select version || ' ' || applied_at from core.schema_version) s"
	}
	before=$(layout)
	run --separate-stderr on_cluster "$OVERDUE_TOP/pipelines/schema"
	assert_success
	assert_equal "$(layout)" "$before"
	[[ $stderr != *WARNING* ]] || { echo "$stderr" >&2; false; }
}

@test "on the cluster every primary key and unique index of a distributed table starts with client_id" {
	need_cluster
	run --separate-stderr cq -c "select string_agg(i.indexrelid::regclass::text, ' ')
	    from pg_index i join citus_tables t on t.table_name = i.indrelid
	    where t.citus_table_type = 'distributed' and i.indisunique
	      and (select attname from pg_attribute where attrelid = i.indrelid and attnum = i.indkey[0]) <> 'client_id'"
	assert_success
	assert_output ''
	# and there are such keys to check
	run --separate-stderr cq -c "select count(*) from pg_index i join citus_tables t on t.table_name = i.indrelid
	    where t.citus_table_type = 'distributed' and i.indisunique"
	(( output >= 10 ))
}

@test "the append-only triggers and core.loan's identity trigger refuse on the shards" {
	need_cluster
	run --separate-stderr cq -c "update notify.contact set arrears = 0"
	assert_failure
	stderr_has "is append-only: UPDATE is not allowed"
	run --separate-stderr cq -c "truncate notify.contact_event"
	assert_failure
	stderr_has "is append-only: TRUNCATE is not allowed"
	run --separate-stderr cq -c "delete from notify.restriction"
	assert_failure
	stderr_has "is append-only: DELETE is not allowed"
	run --separate-stderr cq -c "delete from core.loan"
	assert_failure
	stderr_has "core.loan keeps every loan identity: DELETE is not allowed"
	run --separate-stderr cq -c "update core.loan set loan_name = loan_name || 'x'"
	assert_failure
	stderr_has "core.loan keeps every loan identity: UPDATE is not allowed"
}

@test "the parts loaded on the cluster give the same core as on the single node" {
	need_cluster
	local n
	for n in 1 2 3 4; do cluster_load "$n"; done
	run --separate-stderr on_cluster core_checksum
	assert_success
	assert_output "$SINGLE_SUM4"
	# the rows are on the workers, and there are rows
	(( $(cq -c 'select count(*) from core.payment_version') > 1000 ))
	run --separate-stderr cq -c "select count(distinct nodeport) from citus_shards
	    where table_name = 'core.payment_version'::regclass and shard_size > 8192"
	assert_output 2
}

@test "a single-node warehouse moves to the cluster: its dump on the coordinator, make schema, the same core, and loads go on" {
	need_cluster
	CDB=$MOVED_DB
	on_cluster psql -Xq -v ON_ERROR_STOP=1 -f "$BATS_FILE_TMPDIR/single.sql" >/dev/null
	# local tables on the coordinator before, Citus tables after
	assert_equal "$(cq -c "select count(*) from pg_dist_partition")" 0
	run --separate-stderr on_cluster "$OVERDUE_TOP/pipelines/schema"
	assert_success
	# the same layout as make schema gave an empty database of the cluster
	layout() {
		cq -c "select count(*) filter (where citus_table_type = 'distributed') || ' ' ||
		    string_agg(table_name || ' ' || citus_table_type, ', ' order by table_name::text) from citus_tables"
	}
	run --separate-stderr layout
	assert_success
	assert_output "$(CDB=$CITUS_DB layout)"
	(( ${output%% *} >= 13 ))
	run --separate-stderr on_cluster core_checksum
	assert_output "$SINGLE_SUM3"
	# the coordinator's own copies were emptied (the rows live in the shards)
	run --separate-stderr cq -c "select string_agg(c.oid::regclass::text, ' ') from pg_class c
	    join pg_namespace n on n.oid = c.relnamespace
	    where n.nspname in ('staging', 'core', 'mart', 'notify') and c.relkind = 'r'
	      and pg_relation_size(c.oid) > 0"
	assert_output ''
	# the triggers are on again
	assert_equal "$(cq -c "select count(*) from pg_trigger where not tgisinternal and tgenabled <> 'O'")" 0
	# the next part loads on the moved warehouse as on the single node
	cluster_load 4
	run --separate-stderr on_cluster core_checksum
	assert_output "$SINGLE_SUM4"
}

@test "without Citus and without its source, citus up names the two ways to get it" {
	# a checkout with no ../shared/vendor beside it, a PostgreSQL without Citus
	local top=$BATS_TEST_TMPDIR/co/main fake=$BATS_TEST_TMPDIR/fake
	mkdir -p "$top/pipelines" "$fake/bin" "$fake/share/extension" "$fake/lib"
	cp "$OVERDUE_TOP/pipelines/citus" "$OVERDUE_TOP/pipelines/deps" "$top/pipelines/"
	cat >"$fake/bin/pg_config" <<SH
#!/bin/sh
case \$1 in
--version) echo 'PostgreSQL 15.20' ;;
--sharedir) echo '$fake/share' ;;
--pkglibdir) echo '$fake/lib' ;;
--bindir) echo '$(pg_config --bindir)' ;;
*) exit 1 ;;
esac
SH
	chmod +x "$fake/bin/pg_config"
	run --separate-stderr env -u CITUS_SRC PATH="$fake/bin:$PATH" CITUS_VAR="$BATS_TEST_TMPDIR/nodes" "$top/pipelines/citus" up
	assert_failure 69
	stderr_has "PostgreSQL 15 has no Citus extension"
	stderr_has "Citus's own packages"
	stderr_has "CITUS_SRC=/path/to/citus-13.2.2.tar.gz"
	# nothing was started or built
	[[ ! -e $BATS_TEST_TMPDIR/nodes/coord ]]
	# a CITUS_SRC that is not there is named
	run --separate-stderr env PATH="$fake/bin:$PATH" CITUS_SRC=/nonexistent/citus.tar.gz \
	    CITUS_VAR="$BATS_TEST_TMPDIR/nodes" "$top/pipelines/citus" up
	assert_failure 66
	stderr_has "CITUS_SRC=/nonexistent/citus.tar.gz: no such file or folder"
}
