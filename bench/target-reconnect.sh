#!/usr/bin/env bash
# How the reference target lives through a database outage, measured from outside with curl: the target's
# PostgreSQL behind `longrun proxy`, the proxy switched off (Toxiproxy's "enabled": false: open connections closed,
# new ones refused) for OUTAGE seconds, then on again. Per run it prints the seconds from the outage's start until
# GET /health answers 503, and from its end until it answers 200 again, with and without fault no_reconnect; with
# the fault it waits WAIT seconds, then switches the fault off through the target's runtime fault API and measures
# again from there.
#
#   bench/target-reconnect.sh              3 runs each, a 5 s outage, 30 s of waiting with no_reconnect
#   RUNS=5 OUTAGE=10 WAIT=60 bench/target-reconnect.sh
#
# A request during the outage can take up to the pool's 5 s connection time-out; health is polled every 100 ms with a
# 10 s time-out, so each figure is when a client first sees the answer.
#
# Needs a PostgreSQL server on 127.0.0.1:5432 (PGUSER, trust or PGPASSWORD; a database longrun_reconnect_bench is
# created and dropped), psql, curl and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
RUNS="${RUNS:-3}"; OUTAGE="${OUTAGE:-5}"; WAIT="${WAIT:-30}"
export PGUSER="${PGUSER:-postgres}"
db=longrun_reconnect_bench
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pport=$(free_port); aport=$(free_port); tport=$(free_port); fport=$(free_port)
api="http://127.0.0.1:$aport"; target="http://127.0.0.1:$tport"; faults="http://127.0.0.1:$fport/faults"
work="$(mktemp -d)"
# exec: a backgrounded java_ is then java itself, so $! is its pid
java_() { exec java ${LONGRUN_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" "$@"; }
stop_target() { if [ -n "${tpid:-}" ]; then kill "$tpid" 2>/dev/null || true; wait "$tpid" 2>/dev/null || true; fi; tpid=; }
cleanup() {
  stop_target || true
  [ -n "${ppid_:-}" ] && kill "$ppid_" 2>/dev/null; wait 2>/dev/null || true
  psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db with (force)" -c "create database $db" >/dev/null
java_ proxy --api "127.0.0.1:$aport" --proxy "db=127.0.0.1:$pport=127.0.0.1:5432" >"$work/proxy.log" 2>&1 &
ppid_=$!
for _ in $(seq 1 100); do curl -fs "$api/version" >/dev/null 2>&1 && break; sleep 0.2; done

now() { date +%s.%N; }
status() { curl -s -o /dev/null -m 10 -w '%{http_code}' "$target/health" || true; }
# seconds from $1 until health answers $2, polled every 100 ms, at most $3 seconds; "never" past that
until_status() {
  local t0=$1 want=$2 limit=$3
  while :; do
    [ "$(status)" = "$want" ] && { python3 -c "print(f'{$(now) - $t0:.1f}')"; return; }
    python3 -c "import sys; sys.exit(0 if $(now) - $t0 < $limit else 1)" || { echo "never (${limit} s)"; return; }
    sleep 0.1
  done
}
proxy_enabled() { curl -fs -X POST "$api/proxies/db" -d "{\"enabled\": $1}" >/dev/null; }

printf '%-14s %-4s %-10s %-16s %-22s\n' fault run down_s back_up_s "after fault off_s"
for fault in none no_reconnect; do
  for run in $(seq 1 "$RUNS"); do
    args=(target --db-url "jdbc:postgresql://127.0.0.1:$pport/$db" --port "$tport" --metrics-port 0 --fault-api "127.0.0.1:$fport"
          --scheduler off --log-file "$work/target-$fault-$run.log")
    [ "$fault" = none ] || args+=(--fault "$fault")
    java_ "${args[@]}" >"$work/target-$fault-$run.out" 2>&1 &
    tpid=$!
    t=$(now); until_status "$t" 200 120 | grep -q never && { echo "the target did not start: $work/target-$fault-$run.out" >&2; KEEP=1; exit 1; }
    t0=$(now); proxy_enabled false
    down=$(until_status "$t0" 503 30)
    sleep "$OUTAGE"
    t1=$(now); proxy_enabled true
    limit=$([ "$fault" = none ] && echo 60 || echo "$WAIT")
    up=$(until_status "$t1" 200 "$limit")
    off=-
    if [ "$fault" != none ]; then
      t2=$(now); curl -fs -X DELETE "$faults/$fault" >/dev/null
      off=$(until_status "$t2" 200 60)
    fi
    printf '%-14s %-4s %-10s %-16s %-22s\n' "$fault" "$run" "$down" "$up" "$off"
    stop_target
  done
done
