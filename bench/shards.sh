#!/usr/bin/env bash
# Three shards of one schedule against nginx, measured from outside: three local processes with --shard 0/3, 1/3,
# 2/3 and one --start-at, RATE events/s in total (default 6000) for DURATION seconds (default 20), then one
# single-instance run of the same schedule. nginx logs each request's arrival time and body (a front server
# proxies to a back one that answers 204, so that the body is read and logged). Prints per run: arrivals per
# second against RATE (mean error, share of seconds within ±1 %, the worst second), the total against
# RATE x DURATION, and whether the ids are exactly those of the single run; then the merged report's totals
# beside the single run's.
#
#   bench/shards.sh                 RUNS=3 bench/shards.sh            RATE=9000 DURATION=30 bench/shards.sh
#
# Needs nginx (apt-get install -y --no-install-recommends nginx). START_IN (default 45) seconds between the
# launch and --start-at: three JVMs start and warm up meanwhile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
RATE="${RATE:-6000}"; DURATION="${DURATION:-20}"; RUNS="${RUNS:-1}"; START_IN="${START_IN:-45}"
opts="${LONGRUN_JAVA_OPTS--XX:+UseSerialGC}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
SINK_BODIES=1 source "$here/bench/sink.sh"
out="$here/runs/bench-shards-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$out"
common=(--target-url "$url" --rate "$RATE" --duration "${DURATION}s" --seed 7 --scenario-id bench-shards --metrics-port 0 --quiet)

# arrivals per second and the ids of one access log: "json" on stdout
measure() {
  sleep 2
  python3 - "$work/logs/access.log" "$RATE" "$DURATION" "$1" <<'PY'
import collections, json, re, sys
log, rate, secs, ids_out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
times, ids = [], []
idre = re.compile(r'id\\x22:\s*\\x22([0-9a-f-]{36})')
for line in open(log, errors="replace"):
    p = line.split(" ", 3)
    if len(p) < 3 or p[2] != "POST": continue
    times.append(float(p[0]))
    m = idre.search(p[3] if len(p) > 3 else "")
    ids.append(m.group(1) if m else "?")
open(ids_out, "w").write("\n".join(sorted(ids)) + "\n")
t0 = min(times)
per = collections.Counter(int(t - t0) for t in times)
w = [per.get(s, 0) for s in range(secs)]
dev = [abs(n - rate) / rate * 100 for n in w]
print(json.dumps({"arrivals": len(times), "mean_err_pct": round(sum(dev) / len(dev), 3), "within_1pct": round(sum(d <= 1 for d in dev) / len(dev) * 100, 1),
                  "worst_pct": round(max(dev), 2), "expected": int(rate * secs), "no_id": ids.count("?")}))
PY
}

printf '%-8s %-7s %9s %9s %12s %10s %9s %s\n' run kind arrivals expected mean_err_% within_1% worst_% ids
for r in $(seq 1 "$RUNS"); do
  reset_log
  java $opts -jar "$jar" run "${common[@]}" --log-file "$out/single-$r/run.jsonl" >"$out/single-$r.out" 2>&1 || true
  single=$(measure "$out/single-$r.ids")
  reset_log
  at=$(date -u -d "+$START_IN seconds" +%Y-%m-%dT%H:%M:%SZ)
  for i in 0 1 2; do
    java $opts -jar "$jar" run "${common[@]}" --shard $i/3 --start-at "$at" --log-file "$out/shards-$r/s$i/run.jsonl" >"$out/shards-$r-s$i.out" 2>&1 &
  done
  wait
  sharded=$(measure "$out/shards-$r.ids")
  same=$(cmp -s "$out/single-$r.ids" "$out/shards-$r.ids" && echo "equal to the single run's" || echo "DIFFER from the single run's")
  for k in single sharded; do
    python3 -c "import json,sys; a=json.loads(sys.argv[1]); print('%-8s %-7s %9d %9d %12s %10s %9s %s' % (sys.argv[2], sys.argv[3], a['arrivals'], a['expected'], a['mean_err_pct'], a['within_1pct'], a['worst_pct'], sys.argv[4]))" \
      "${!k}" "$r" "$k" "$([ $k = sharded ] && echo "$same" || echo "-")"
  done
  java -jar "$jar" report "$out/shards-$r/s0/run.jsonl" "$out/shards-$r/s1/run.jsonl" "$out/shards-$r/s2/run.jsonl" --out "$out/merged-$r" >/dev/null
  java -jar "$jar" report "$out/single-$r/run.jsonl" --out "$out/single-$r" >/dev/null
  python3 - "$out/merged-$r/summary.json" "$out/single-$r/summary.json" <<'PY'
import json, sys
m, s = (json.load(open(f))["run"] for f in sys.argv[1:3])
for name, r in (("merged", m), ("single", s)):
    t, l = r["totals"], r.get("latency_ms", {}).get("intended", {})
    print(f"  {name:7s} totals planned {t['planned']} sent {t['sent']} accepted {t['accepted']} dropped {t['dropped']} missed {t.get('missed', 0)}"
          f" | intended latency ms p50 {l.get('p50')} p95 {l.get('p95')} p99 {l.get('p99')}")
PY
done
echo "run logs, merged reports: $out"
