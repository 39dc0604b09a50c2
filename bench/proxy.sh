#!/usr/bin/env bash
# The embedded fault proxy under PostgreSQL traffic, measured from outside: pgbench's own figures (transactions/s,
# mean latency) directly against PostgreSQL and through `longrun proxy`, the proxy's CPU seconds from
# /proc/PID/stat and its RSS; then the faults' effects on the same traffic (latency, emulated loss), set through
# the proxy's Toxiproxy API with curl. Each figure is taken ROUNDS times; the machine's load is printed first.
#
#   bench/proxy.sh                       8 clients, 15 s per figure, 3 rounds
#   CLIENTS=4 SECONDS_EACH=30 ROUNDS=5 bench/proxy.sh
#
# Needs a PostgreSQL server on 127.0.0.1:5432 (PGUSER, trust or PGPASSWORD; a database longrun_proxy_bench is
# created and dropped), pgbench, psql and curl. The proxy runs with the launcher's JVM options.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
CLIENTS="${CLIENTS:-8}"; SECONDS_EACH="${SECONDS_EACH:-15}"; ROUNDS="${ROUNDS:-3}"
export PGUSER="${PGUSER:-postgres}"
db=longrun_proxy_bench
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pport=$(free_port); aport=$(free_port); api="http://127.0.0.1:$aport"
work="$(mktemp -d)"
cleanup() { [ -n "${ppid_:-}" ] && kill "$ppid_" 2>/dev/null; wait 2>/dev/null || true; psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db" -c "create database $db" >/dev/null 2>&1
pgbench -q -i -s 10 -h 127.0.0.1 "$db" >/dev/null 2>&1
java ${LONGRUN_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" proxy --api "127.0.0.1:$aport" --seed 1 \
  --proxy "db=127.0.0.1:$pport=127.0.0.1:5432" >"$work/proxy.log" 2>&1 &
ppid_=$!
for _ in $(seq 1 100); do curl -fs "$api/version" >/dev/null 2>&1 && break; sleep 0.2; done

cpu() { awk '{print $14 + $15}' "/proc/$ppid_/stat"; }   # utime + stime, in clock ticks
tick=$(getconf CLK_TCK)
# one figure: pgbench -S (one indexed SELECT per transaction) for SECONDS_EACH; prints "tps latency_ms proxy_cpu_s"
figure() {
  local port=$1 c0 c1 out
  c0=$(cpu)
  out=$(pgbench -n -S -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -h 127.0.0.1 -p "$port" "$db" 2>&1)
  c1=$(cpu)
  tps=$(sed -nE 's/^tps = ([0-9]+)[.0-9]*.*/\1/p' <<<"$out" | head -1)
  lat=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out")
  echo "$tps $lat $(python3 -c "print(round(($c1 - $c0) / $tick, 2))")"
}
toxic() { curl -fs -X POST -H 'Content-Type: application/json' -d "$1" "$api/proxies/db/toxics" >/dev/null; }
untoxic() { curl -fs -X DELETE "$api/proxies/db/toxics/$1" >/dev/null; }

echo "load: $(uptime | sed 's/.*load average: //') (1, 5, 15 min); $(nproc) cores; pgbench -S, $CLIENTS clients, ${SECONDS_EACH}s per figure"
printf '%-34s %5s %10s %12s %12s %16s\n' "path" "round" "tps" "latency ms" "proxy CPU s" "proxy CPU ms/1k tx"
run() {
  local label=$1 port=$2
  for r in $(seq 1 "$ROUNDS"); do
    read -r tps lat pcpu < <(figure "$port")
    per=$(python3 -c "print(round($pcpu * 1000 / ($tps * $SECONDS_EACH) * 1000, 1) if $tps > 0 else '-')")
    [ "$port" = 5432 ] && { pcpu=-; per=-; }
    printf '%-34s %5s %10s %12s %12s %16s\n' "$label" "$r" "$tps" "$lat" "$pcpu" "$per"
  done
}
run "direct" 5432
run "through the proxy, no fault" "$pport"
toxic '{"name":"lat","type":"latency","stream":"downstream","attributes":{"latency":20}}'
run "latency 20 ms downstream" "$pport"
untoxic lat
for pct in 2 10; do
  toxic "{\"name\":\"loss\",\"type\":\"longrun_loss\",\"stream\":\"downstream\",\"attributes\":{\"percent\":$pct}}"
  run "loss $pct% downstream (emulated)" "$pport"
  untoxic loss
done
echo "proxy peak RSS: $(awk '/VmHWM/ {print int($2/1024)}' "/proc/$ppid_/status") MB"
