#!/usr/bin/env bash
# One leader for three shards, and its takeover: three local processes with --shard 0/3, 1/3, 2/3, one --start-at
# and one --coordinate store, RATE events/s in total (default 1500) for DURATION seconds (default 40) against nginx
# (/event answers 204, /health 200; the health watcher checks every 250 ms). At T+KILL_AT seconds (default 10) the
# shard that leads is killed with SIGKILL. Prints per run: which shard led and which took over, and from the kill
# to the new leader's "leader acquired" record and to its first watcher sample (its first health record), both
# read from the run logs.
#
#   bench/leader.sh                 RUNS=5 bench/leader.sh
#   COORDINATE=jdbc:postgresql://127.0.0.1:5432/postgres PGUSER=postgres bench/leader.sh
#
# COORDINATE: the store (default a fresh folder, file:...). Needs nginx (apt-get install -y --no-install-recommends
# nginx). START_IN (default 45) seconds between the launch and --start-at: three JVMs start and warm up meanwhile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
RATE="${RATE:-1500}"; DURATION="${DURATION:-40}"; RUNS="${RUNS:-1}"; START_IN="${START_IN:-45}"; KILL_AT="${KILL_AT:-10}"
opts="${LONGRUN_JAVA_OPTS--XX:+UseSerialGC}"
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install -y --no-install-recommends nginx)" >&2; exit 2; }
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cat >"$work/s.yaml" <<YAML
name: bench-leader
duration: ${DURATION}s
seed: 7
target: { url: "http://127.0.0.1:$port/event", health_url: "http://127.0.0.1:$port/health", timeout: 2s }
watch: { health_every: 250ms }
emitters:
  - { name: steady, rate: $RATE }
YAML
out="$here/runs/bench-leader-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$out"
printf '%-4s %-8s %-8s %-10s %20s %26s\n' run store killed took_over kill_to_acquired_ms kill_to_first_sample_ms
for r in $(seq 1 "$RUNS"); do
  store="${COORDINATE:-file:$work/coord-$r}"
  at=$(date -u -d "+$START_IN seconds" +%Y-%m-%dT%H:%M:%SZ)
  pids=()
  for i in 0 1 2; do
    java $opts -jar "$jar" run "$work/s.yaml" --shard $i/3 --start-at "$at" --coordinate "$store" --scenario-id "bench-leader-$r-$$" \
      --metrics-port 0 --quiet --log-file "$out/run-$r/s$i/run.jsonl" >"$out/run-$r-s$i.out" 2>&1 &
    pids+=($!)
  done
  # until T+KILL_AT, then the shard whose last leader record is "acquired"
  wait_s=$(( $(date -u -d "$at" +%s) + KILL_AT - $(date -u +%s) )); [ "$wait_s" -gt 0 ] && sleep "$wait_s"
  leader=$(python3 - "$out/run-$r" <<'PY'
import json, sys
for i in range(3):
    states = []
    for line in open(f"{sys.argv[1]}/s{i}/run.jsonl", errors="replace"):
        try: rec = json.loads(line)
        except ValueError: continue
        if rec.get("type") == "leader": states.append(rec["state"])
    if states and states[-1] == "acquired": print(i); break
else: print(-1)
PY
)
  if [ "$leader" -lt 0 ]; then echo "run $r: no shard leads at T+$KILL_AT s (see $out/run-$r-s*.out)" >&2; wait "${pids[@]}" 2>/dev/null || true; continue; fi
  kill -9 "${pids[$leader]}"; killed=$(date -u +%s.%N)
  wait "${pids[@]}" 2>/dev/null || true
  python3 - "$out/run-$r" "$leader" "$killed" "$r" "${store%%:*}" <<'PY'
import json, sys
from datetime import datetime
d, dead, killed, run, store = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
def t(rec): return datetime.fromisoformat(rec["time"].replace("Z", "+00:00")).timestamp()
best = None
for i in range(3):
    if i == dead: continue
    acquired = None
    for line in open(f"{d}/s{i}/run.jsonl", errors="replace"):
        try: rec = json.loads(line)
        except ValueError: continue
        if rec.get("type") == "leader" and rec.get("state") == "acquired" and t(rec) >= killed - 0.001: acquired = t(rec)
        if acquired is not None and rec.get("type") == "health" and t(rec) >= acquired:
            best = (i, acquired, t(rec)); break
    if best: break
if best is None: print(f"{run:4s} {store:8s} {dead}/3      nobody took over")
else: print(f"{run:4s} {store:8s} {dead}/3      {best[0]}/3        {round((best[1]-killed)*1000):20d} {round((best[2]-killed)*1000):26d}")
PY
done
echo "run logs: $out"
