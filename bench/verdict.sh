#!/usr/bin/env bash
# The verdict of a 6-hour fault experiment: generates a synthetic run log as a real experiment writes it (a tick
# record per emitter per second, each with its latency histogram, DB samples every 10 s, the experiment, phase and
# fault records; stabilize 1 h, a fault for 2 h, recover 3 h), then builds its report with the jar built from this
# repository, twice: as it is, and with the experiment record taken out (the same log without a verdict to judge).
# Prints the log's size and, for each, the build time and peak RSS; then the verdict in a 48 MB heap.
#
#   bench/verdict.sh                 6 hours, 3 emitters
#   HOURS=1 EMITTERS=10 bench/verdict.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/synthetic.sh" verdict

python3 - "$log" "$HOURS" "$EMITTERS" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
path, hours, emitters = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
# three ticks' intended-latency histograms from a real run (HdrHistogram's compressed encoding, base64): p95 67 ms,
# 268 ms and 152 ms; the first in the calm phases, the second while the fault is on
HISTS = ["HISTFAAAAI54nJNpmSzMwMBQwgABzFCaEURcm7yEwf4DROCgA1MnM5M1EyeTIFM/I9NOJqZEJmGmaKZGRiZuJnsmZqBwIdNTRqZYplZGJnEmU6ZkJn4mS6BcOpANFC9nymfaz8j0m5FJmcmfyZFJmmk9E9NpJqCoOJM+EHcyMr1kZTrOxLSZkWkjE1M102J2JgAOMRl+", "HISTFAAAAGd4nJNpmSzMwMAQyAABzFCaEURcm7yEwf4DRKCxk5GJlYmFlUmTiYEJhISZmIE0Cy8TMwsTO5MiEy8TN5MqExM/SJiJlYWdiQXIFgRiBiBUZVJn0mfKZHJmes3IJMlUyyTOBACWoQoQ", "HISTFAAAAIx4nC2KoQoCcRjD//t9B2L1sNnFfNEgPoDBYPYJRETMBjUb7gEu6KULRpHDbDZo8xEEwSz4ybmxDba11mkcQpiHCvZP/eye7kPvVRVFQtngLVYRWUSbh9HlVCPhYmzEkI+PxlbcRIcFY/qMmFGKHHbC/BRzxK3unLqaLLnKz4WY8BQDDpCLM3wBFFAb7A=="]

t0 = datetime(2026, 1, 5, 8, 0, 0, tzinfo=timezone.utc)
def at(s):
    return (t0 + timedelta(seconds=s)).isoformat(timespec="microseconds").replace("+00:00", "Z")
seconds = int(hours * 3600)
b_end, f_end = seconds // 6, seconds // 2
names = [f"e{i}" for i in range(emitters)]
config = {"name": "exp", "duration": f"{seconds}s", "tick": "1s", "target": {"url": "http://127.0.0.1:8000/event", "timeout": "5s", "max_in_flight": 64},
          "database": {"url": "jdbc:postgresql://127.0.0.1:5432/agingos", "tables": ["events"]},
          "emitters": [{"name": n, "format": "agingos-event", "rate": 20.0, "arrivals": "uniform"} for n in names],
          "watch": {"health_every": "2s", "db_every": "10s"}, "stop_when": []}
out = open(path, "w")
def w(rec):
    out.write(json.dumps(rec, separators=(",", ":")) + "\n")
fault = {"kind": "latency", "proxy": "db", "stream": "downstream", "params": {"ms": 200}, "desc": "latency 200 ms on db"}
w({"type": "run.start", "time": at(0), "scenario": "exp", "run_id": "exp-20260105T080000Z", "scenario_id": "exp-20260105T080000Z", "seed": 42, "config": config})
w({"type": "experiment", "time": at(0.1), "phases": [
    {"name": "stabilize", "index": 0, "start_s": 0, "end_s": b_end, "baseline": True, "faults": [], "asserts": []},
    {"name": "fault", "index": 1, "start_s": b_end, "end_s": f_end, "baseline": False, "faults": [fault], "asserts": []},
    {"name": "recover", "index": 2, "start_s": f_end, "end_s": seconds, "baseline": False, "faults": [], "asserts": []}],
   "recovery": {"signals": ["error_rate", "p95", "throughput", "ingest"], "tolerance_pct": 25, "hold_s": 10}, "engine": "embedded proxy"})
w({"type": "phase.start", "time": at(1), "phase": "stabilize", "index": 0, "elapsed_s": 0.0})
start, rows = 1.0, 0
for e in range(1, seconds + 1):
    t = start + e
    if e == b_end + 1:
        w({"type": "phase.end", "time": at(t - 1), "phase": "stabilize", "index": 0, "elapsed_s": float(b_end), "cut": False})
        w({"type": "phase.start", "time": at(t - 1), "phase": "fault", "index": 1, "elapsed_s": float(b_end)})
        w(dict({"type": "fault.on", "time": at(t - 0.9), "phase": "fault", "elapsed_s": b_end + 0.1, "took_ms": 2}, **fault))
    if e == f_end + 1:
        w({"type": "fault.off", "time": at(t - 1), "phase": "fault", "kind": "latency", "proxy": "db", "desc": fault["desc"], "elapsed_s": float(f_end),
           "took_ms": 1, "reason": "phase_end", "bytes": {"up": 10**8, "down": 10**8}, "bytes_before": {"up": 10**7, "down": 10**7}})
        w({"type": "phase.end", "time": at(t - 1), "phase": "fault", "index": 1, "elapsed_s": float(f_end), "cut": False})
        w({"type": "phase.start", "time": at(t - 1), "phase": "recover", "index": 2, "elapsed_s": float(f_end)})
    slow = b_end < e <= f_end
    for n in names:
        planned = 20
        p95 = 268.29 if slow else 67.01  # as the histograms say
        w({"type": "tick", "time": at(t), "elapsed_s": float(e), "emitter": n, "planned": planned, "sent": planned, "accepted": planned, "rejected": 0,
           "failed": 0, "dropped": 0, "eff_eps": 20.0, "p50": p95 / 2, "p95": p95, "p99": p95, "service_p50": p95 / 2, "service_p95": p95, "service_p99": p95,
           "hist": {"intended": HISTS[1] if slow else HISTS[0], "service": HISTS[0]}})
        rows += planned
    if e % 10 == 0:
        w({"type": "db", "time": at(t + 0.5), "table": "events", "rows": rows, "bytes": 24576 + rows * 380, "db_bytes": 50_000_000 + rows * 420})
w({"type": "phase.end", "time": at(start + seconds), "phase": "recover", "index": 2, "elapsed_s": float(seconds), "cut": False})
w({"type": "run.end", "time": at(start + seconds + 2), "verdict": "completed", "exit_code": 0, "elapsed_s": seconds + 1.0})
out.close()
PY

grep -v '"type":"experiment"' "$log" >"$out/plain.jsonl"
opts=${LONGRUN_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
echo "run log: $log: $(du -m "$log" | cut -f1) MB, $(wc -l <"$log") records ($HOURS h, $EMITTERS emitters, a histogram per tick record)"
measure() { # name, log, out dir, extra java options
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %M" -o "$out/time-$1" java $opts $4 -jar "$jar" report "$2" --out "$3" >"$out/out-$1.txt" 2>&1
  read -r wall rss <"$out/time-$1"
  echo "$1: report built in ${wall} s, peak RSS $((rss / 1024)) MB"
}
measure "with the verdict" "$log" "$out/report" ""
measure "without (no experiment record)" "$out/plain.jsonl" "$out/report-plain" ""
measure "with the verdict, -Xmx48m" "$log" "$out/report-48m" "-Xmx48m"
python3 -c "import json,sys; e=json.load(open(sys.argv[1]))['experiment']; print('verdict:', e['verdict'], '-', e['reason'])" "$out/report/summary.json"
