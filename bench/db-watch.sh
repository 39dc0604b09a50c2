#!/usr/bin/env bash
# What watching a table costs the database, measured from the server's side: the CPU time PostgreSQL's processes
# spend serving longrun's watch connections (their /proc/<pid>/schedstat, parallel workers included), the longest
# statement (log_min_duration_statement = 0 for a role of the bench's own, read from the server log), and whether
# rows_end is count(*). Prints one table.
#
#   bench/db-watch.sh                      a 12 M-row table and a tiny one, watched at db_every 1s for 60 s, twice each
#   ROWS=1000000 DURATION=20 RUNS=1 bench/db-watch.sh
#
# Needs a PostgreSQL server on this machine (its processes are read from /proc) and a superuser to reach it:
# BENCH_PG_HOST (127.0.0.1), BENCH_PG_PORT (5432), BENCH_PG_USER (postgres, trust or PGPASSWORD), BENCH_PG_LOG (the
# server's log file, /var/log/postgresql/postgresql-15-main.log; without it the server-side longest statement is
# left out). It makes the database BENCH_DB (longrun_dbwatch_bench) and the role longrun_bench, and drops both at
# the end. Events go to nginx (bench/sink.sh) at 5/s; a writer adds 100 rows/s to the watched table until about 6 s
# before the end, so that rows_end can be checked against count(*) after the run.
# Each run's files are kept under runs/bench-db-watch-<UTC time>/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
HOST="${BENCH_PG_HOST:-127.0.0.1}" PORT="${BENCH_PG_PORT:-5432}" SUPER="${BENCH_PG_USER:-postgres}"
DB="${BENCH_DB:-longrun_dbwatch_bench}" ROLE=longrun_bench
PGLOG="${BENCH_PG_LOG:-/var/log/postgresql/postgresql-15-main.log}"
ROWS="${ROWS:-12000000}" DURATION="${DURATION:-60}" RUNS="${RUNS:-2}" EVERY="${EVERY:-1s}"
# the old behaviour, count(*) at every poll, once on the big table for comparison (EXACT=0 leaves it out); the big table
# by keyset on id, RUNS times (KEYSET=0 leaves it out); LOG=0: no statement logging (its cost is then not in the CPU
# figures, and the server-side longest poll is n/a)
EXACT="${EXACT:-1}" KEYSET="${KEYSET:-1}" LOG="${LOG:-1}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U "$SUPER" "$@"; }
cleanup_db() {
  psql_ -d postgres -c "drop database if exists $DB with (force)" -c "drop role if exists $ROLE" >/dev/null 2>&1 || true
}
trap 'cleanup_db; nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT

cleanup_db
psql_ -d postgres -c "create role $ROLE login" -c "create database $DB owner $ROLE" >/dev/null
[ "$LOG" = 1 ] && psql_ -d postgres -c "alter role $ROLE set log_min_duration_statement = 0" >/dev/null
echo "building $ROWS rows in $DB.events (generate_series), then VACUUM ANALYZE ..." >&2
t0=$(date +%s)
psql_ -d "$DB" <<SQL
create table events (id bigserial primary key, received_at timestamptz not null default clock_timestamp(), category text not null,
                     payload text not null);
insert into events (received_at, category, payload)
  select now() - (g || ' ms')::interval, 'motion', md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text)
  from generate_series(1, $ROWS) g;
create table tiny (id bigserial primary key, received_at timestamptz not null default clock_timestamp(), category text not null,
                   payload text not null);
insert into tiny (category, payload) select 'motion', md5(g::text) from generate_series(1, 100) g;
alter table events owner to $ROLE;
alter table tiny owner to $ROLE;
vacuum analyze events;
vacuum analyze tiny;
SQL
size=$(psql_ -d "$DB" -At -c "select pg_size_pretty(pg_total_relation_size('events'))")
echo "built in $(( $(date +%s) - t0 )) s: events $size" >&2

# one run: watches TABLE counted by COUNT; prints the measured row
run() {
  local table=$1 count=$2 key=${3:-} n=$4
  local dir="$out/$table-$count-$n"
  mkdir -p "$dir"
  local spec="{ name: $table, count: $count${key:+, key: $key} }"
  cat >"$dir/scenario.yaml" <<YAML
name: db-watch-bench
duration: ${DURATION}s
target: { url: "$url" }
database: { url: "jdbc:postgresql://$HOST:$PORT/$DB", user: $ROLE, tables: [ $spec ] }
emitters: [ { name: a, rate: 5 } ]
watch: { db_every: $EVERY }
YAML
  # the writer: 5 rows every 50 ms (100 rows/s) until 5 s before the run's end (statements past that insert nothing)
  local until
  until=$(python3 -c "import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(seconds=$DURATION - 3)).isoformat())")
  python3 -c "
n = int(($DURATION - 3) / 0.05)
for i in range(n): print(\"insert into $table (category, payload) select 'motion', md5(random()::text) from generate_series(1, 5) \"
                         \"where clock_timestamp() < '$until'; select pg_sleep(0.05);\")
" >"$dir/writer.sql"
  local logstart
  logstart=$( [ -r "$PGLOG" ] && stat -c %s "$PGLOG" || echo 0)
  python3 "$here/bench/pgcpu.py" "$ROLE" "$DB" >"$dir/cpu.tsv" &
  local sampler=$!
  sleep 0.5
  java ${LONGRUN_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" run "$dir/scenario.yaml" --quiet \
      --log-file "$dir/run.jsonl" >"$dir/out" 2>&1 &
  local lr=$!
  # the writer starts once the baseline is in the run log
  while ! grep -q '"type":"db"' "$dir/run.jsonl" 2>/dev/null; do sleep 0.1; done
  psql -X -q -h "$HOST" -p "$PORT" -U "$SUPER" -d "$DB" -f "$dir/writer.sql" >/dev/null 2>&1 &
  local wr=$!
  wait "$lr" || true
  wait "$wr" || true
  sleep 0.3
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  [ -r "$PGLOG" ] && tail -c +"$((logstart + 1))" "$PGLOG" | grep "$ROLE@$DB" >"$dir/server.log" || : >"$dir/server.log"
  local counted
  counted=$(psql -X -At -h "$HOST" -p "$PORT" -U "$SUPER" -d "$DB" -c "select count(*) from $table")
  python3 "$here/bench/db-watch-row.py" "$dir" "$table" "$count${key:+ on $key}" "$n" "$counted"
}

cd "$here"
out="$here/runs/bench-db-watch-$(date -u +%Y%m%dT%H%M%SZ)"   # each run's scenario, run log, CPU samples and server log stay here
mkdir -p "$out"
echo "PostgreSQL $(psql_ -d postgres -At -c 'show server_version'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); db_every $EVERY, ${DURATION} s a run"
python3 "$here/bench/db-watch-row.py" --header
for n in $(seq 1 "$RUNS"); do
  run events stats "" "$n"
  run tiny stats "" "$n"
done
[ "$KEYSET" = 1 ] && for n in $(seq 1 "$RUNS"); do run events keyset id "$n"; done
[ "$EXACT" = 1 ] && run events exact "" 1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
