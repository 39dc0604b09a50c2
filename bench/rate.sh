#!/usr/bin/env bash
# Achieved rate against the target rate, measured from the target's database (row counts and stored
# receive times, not longrun's own counters), with longrun's CPU seconds and peak RSS.
#
#   bench/rate.sh [RATE ...]            e.g. bench/rate.sh 200 2000
#   DURATION=60s BENCH_DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres PGUSER=postgres bench/rate.sh 200
#
# Needs a PostgreSQL server (BENCH_DB_URL; a database longrun_bench is created and dropped in it), psql and
# GNU time. The reference target runs in its own JVM, so the figures are longrun's alone. longrun runs with the
# launcher's JVM options (LONGRUN_JAVA_OPTS, default -XX:+UseSerialGC).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"   # LONGRUN_JAR: measure a copy while you rebuild
rates=("${@:-200 2000}")
[ $# -eq 0 ] && rates=(200 2000)
duration="${DURATION:-60s}"
base="${BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export PGUSER="${PGUSER:-postgres}"
hostport="$(sed -E 's#jdbc:postgresql://([^/]+)/.*#\1#' <<<"$base")"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=5432
db=longrun_bench
url="jdbc:postgresql://$hostport/$db"
psqlc() { psql -X -q -t -A -h "$host" -p "$port" "$@"; }

[ -f "$jar" ] || "$here/longrun" --version >/dev/null
work="$(mktemp -d)"
runs="$here/runs/bench-$(date -u +%Y%m%dT%H%M%SZ)"   # run logs and outputs are kept here
mkdir -p "$runs"
cleanup() { [ -n "${tpid:-}" ] && kill "$tpid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

psqlc -d postgres -c "drop database if exists $db" -c "create database $db" ${BENCH_DB_SETUP:+-c "$BENCH_DB_SETUP"}
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$jar" target --port "$tport" --db-url "$url" >"$work/target.log" 2>&1 &
tpid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$tport/health" >/dev/null 2>&1 && break; sleep 0.2; done

# Warm the target (its JIT, its pool, PostgreSQL's caches) with an unmeasured run at the highest rate, so that
# the figures are longrun's: a soak's target is a warm service. WARMUP=0s skips it.
warm="${WARMUP:-20s}"
if [ "$warm" != "0s" ]; then
  max=$(printf '%s\n' "${rates[@]}" | sort -n | tail -1)
  cat >"$work/warm.yaml" <<YAML
duration: $warm
target: { url: "http://127.0.0.1:$tport/event", max_in_flight: 256 }
emitters: [ { name: warmup, rate: $max } ]
YAML
  java -jar "$jar" run "$work/warm.yaml" --quiet --scenario-id warmup --log-file "$work/warm.jsonl" >/dev/null 2>&1 || true
fi

printf '%-8s %-9s %10s %10s %12s %14s %10s %10s %10s %8s %9s\n' rate duration planned rows achieved/s "secs ±1%" p50_ms p99_ms cpu_s rss_MB exit
for rate in "${rates[@]}"; do
  id="bench-$rate-$$"
  cat >"$work/s.yaml" <<YAML
name: bench-$rate
duration: $duration
seed: 1
target: { url: "http://127.0.0.1:$tport/event", health_url: "http://127.0.0.1:$tport/health", max_in_flight: 256 }
database: { url: "$url", tables: [events] }
emitters: [ { name: bench, rate: $rate } ]
watch: { health_every: 2s, db_every: 5s }
YAML
  set +e
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" java ${LONGRUN_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" run "$work/s.yaml" --quiet --scenario-id "$id" \
    --log-file "$runs/run-$rate.jsonl" >"$runs/out-$rate.txt" 2>&1
  code=$?
  set -e
  cp "$work/time" "$runs/time-$rate.txt"
  read -r wall user sys rss <"$work/time"
  planned=$(grep '"type":"run.end"' "$runs/run-$rate.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["planned"])')
  lat=$(grep '"type":"run.end"' "$runs/run-$rate.jsonl" | python3 -c 'import json,sys; l=json.load(sys.stdin)["latency_ms"]["intended"]; print(l["p50"], l["p99"])')
  # From the database: rows of this run, the rate over the span of receive times, and the share of whole
  # seconds (first and last, partial, left out) whose arrivals are within 1% of the target rate.
  read -r rows achieved within <<<"$(psqlc -d "$db" -F ' ' -c "
    with r as (select received_at from events where scenario_id = '$id'),
         s as (select date_trunc('second', received_at) sec, count(*) n from r group by 1),
         inner_s as (select n from s where sec > (select min(sec) from s) and sec < (select max(sec) from s))
    select (select count(*) from r),
           round(((select count(*) from r) - 1) / nullif(extract(epoch from max(received_at) - min(received_at)), 0), 2),
           (select count(*) filter (where abs(n - $rate) <= $rate * 0.01) || '/' || count(*) from inner_s)
    from r")"
  printf '%-8s %-9s %10s %10s %12s %14s %10s %10s %10s %8s %9s\n' "$rate" "$duration" "$planned" "$rows" "$achieved" "$within" \
    ${lat} "$(python3 -c "print(round($user+$sys,1))")" "$((rss / 1024))" "$code"
done
