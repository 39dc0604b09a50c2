#!/usr/bin/env bash
# The report of a 6-hour run: generates a synthetic run log as a real 6-hour soak writes it (a tick record per
# emitter per second, DB samples of 3 tables every 10 s, a health check every 2 s, some alerts), then builds its
# report with the jar built from this repository. Prints the log's size, the build time, the report's size and
# the peak RSS; then builds it again in a 48 MB heap, which only a streaming reader can do.
#
#   bench/report.sh                 6 hours, 3 emitters
#   HOURS=24 EMITTERS=10 bench/report.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/synthetic.sh" report

python3 - "$log" "$HOURS" "$EMITTERS" <<'PY'
import json, math, random, sys
from datetime import datetime, timedelta, timezone
path, hours, emitters = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(42)
t0 = datetime(2026, 1, 5, 8, 0, 0, tzinfo=timezone.utc)
def at(s):
    return (t0 + timedelta(seconds=s)).isoformat(timespec="microseconds").replace("+00:00", "Z")
names = ["motion", "door", "sensor", "bed", "kitchen", "hall", "bath", "window", "power", "water"]
names = (names * (emitters // len(names) + 1))[:emitters]
names = [n if names.count(n) == 1 else f"{n}-{i}" for i, n in enumerate(names)]
rates = [20.0 / (i + 1) for i in range(emitters)]
seconds = int(hours * 3600)
tables = ["events", "deviations", "deviations_v1"]
stop_when = [
    {"name": "health_failures", "kind": "health_failures", "severity": "abort", "after": "0s", "condition": "3 consecutive failed health checks", "params": {"consecutive": 3}},
    {"name": "error_rate", "kind": "error_rate", "severity": "warn", "after": "0s", "condition": "error rate above 1% for 30s", "params": {"above_pct": 1.0, "for": "30s"}},
    {"name": "events_per_event", "kind": "unexpected_growth", "severity": "warn", "after": "0s", "condition": "events 1 per accepted event", "params": {"table": "events", "per_accepted_event": 1.0, "tolerance_pct": 2.0, "for": "2m"}},
    {"name": "deviations_static", "kind": "unexpected_growth", "severity": "warn", "after": "0s", "condition": "deviations static", "params": {"table": "deviations", "per_accepted_event": 0.0, "tolerance_pct": 2.0, "for": "0s"}},
    {"name": "table_growth", "kind": "table_growth", "severity": "abort", "after": "0s", "condition": "deviations_v1 above 100 rows/min", "params": {"table": "deviations_v1", "above_per_min": 100.0, "for": "1m"}},
]
config = {"name": "soak", "duration": f"{int(hours)}h" if hours == int(hours) else f"{int(seconds)}s", "tick": "1s",
          "target": {"url": "http://127.0.0.1:8000/event", "health_url": "http://127.0.0.1:8000/health", "timeout": "5s", "max_in_flight": 64},
          "database": {"url": "jdbc:postgresql://127.0.0.1:5432/agingos", "user": "agingos", "password_env": "PGPASSWORD", "tables": tables},
          "emitters": [{"name": n, "format": "agingos-event", "rate": r, "arrivals": "uniform",
                        "schedule": {"start_after": "0s", "ramp_up": "5m", "ramp_down": "5m", "jitter_pct": 0.1}} for n, r in zip(names, rates)],
          "watch": {"health_every": "2s", "db_every": "10s"}, "stop_when": stop_when}
out = open(path, "w")
def w(rec):
    out.write(json.dumps(rec, separators=(",", ":")) + "\n")
w({"type": "run.start", "time": at(0), "scenario": "soak", "run_id": "soak-20260105T080000Z", "scenario_id": "soak-20260105T080000Z", "seed": 42, "config": config})
w({"type": "warmup", "time": at(0.9), "url": "http://127.0.0.1:8000/health", "method": "GET", "answered": 500, "failed": 0, "took_ms": 420})
start = 1.0
acc = 0.0
dev = 0
totals = dict(planned=0, sent=0, accepted=0, rejected=0, failed=0, dropped=0)
ramp = 300.0
def shape(e):
    if e < ramp: return e / ramp
    if e > seconds - ramp: return max(0.0, (seconds - e) / ramp)
    return 1.0
errors_from, errors_to = seconds * 0.4, seconds * 0.4 + 300   # a 5-minute burst of 5xx
for e in range(1, seconds + 1):
    t = start + e
    for n, r in zip(names, rates):
        eff = r * shape(e - 0.5) * rnd.uniform(0.9, 1.1)
        planned = int(eff + rnd.random())
        failed = int(planned * 0.05) if errors_from <= e < errors_to else 0
        rejected = 1 if rnd.random() < 0.002 and planned > failed else 0
        accepted = planned - failed - rejected
        p50 = 2 + rnd.random() * 2
        rec = {"type": "tick", "time": at(t), "elapsed_s": float(e), "emitter": n, "planned": planned, "sent": planned, "accepted": accepted,
               "rejected": rejected, "failed": failed, "dropped": 0, "eff_eps": round(eff, 3), "p50": round(p50, 2), "p95": round(p50 * 2.5, 2),
               "p99": round(p50 * 4 + rnd.random() * 20, 2), "service_p50": round(p50 * 0.8, 2), "service_p95": round(p50 * 2, 2), "service_p99": round(p50 * 3.2, 2),
               "levels": {"INFO": planned}}
        if rejected: rec["rejected_by"] = {"422": rejected}
        if failed: rec["failed_by"] = {"500": failed}
        w(rec)
        acc += accepted
        for k, v in (("planned", planned), ("sent", planned), ("accepted", accepted), ("rejected", rejected), ("failed", failed)):
            totals[k] += v
    if e % 2 == 0:
        ok = not (seconds * 0.7 <= e < seconds * 0.7 + 4)
        w({"type": "health", "time": at(t + 0.3), "ok": ok, "status": 200 if ok else 503, "latency_ms": round(2 + rnd.random() * 3 if ok else 5000, 2)})
    if e % 10 == 0:
        if e > seconds * 0.6: dev += 5                          # a hot loop from 60% of the run
        ev = int(acc)
        db = 50_000_000 + ev * 420 + dev * 300
        for tb, rows in (("events", ev), ("deviations", dev), ("deviations_v1", 0)):
            w({"type": "db", "time": at(t + 0.5), "table": tb, "rows": rows, "bytes": 24576 + rows * (380 if tb == "events" else 300), "db_bytes": db})
    if e == int(errors_from) + 30:
        w({"type": "alert", "time": at(t), "criterion": "error_rate", "kind": "error_rate", "severity": "warn", "state": "firing", "observed": 5.0, "threshold": 1.0, "message": "error rate 5% above 1% for 30s"})
    if e == int(errors_to) + 30:
        w({"type": "alert", "time": at(t), "criterion": "error_rate", "kind": "error_rate", "severity": "warn", "state": "resolved", "observed": 0.0, "threshold": 1.0, "message": "error rate 0% not above 1% for 30s"})
    if e == int(seconds * 0.6) + 10:
        w({"type": "alert", "time": at(t), "criterion": "deviations_static", "kind": "unexpected_growth", "severity": "warn", "state": "firing", "observed": 5.0, "threshold": 0.0, "message": "table deviations grew 5 rows, expected static"})
w({"type": "run.end", "time": at(start + seconds + 2), "verdict": "completed", "exit_code": 0, "elapsed_s": seconds + 1.0, "totals": totals,
   "latency_ms": {"intended": {"count": totals["accepted"], "p50": 3.0, "p95": 7.6, "p99": 14.0, "max": 40.0},
                  "service": {"count": totals["accepted"], "p50": 2.4, "p95": 6.1, "p99": 9.8, "max": 30.0}},
   "tables": {}, "health": {"checks": seconds // 2, "failures": 2}, "alerts": 3})
out.close()
PY

opts=${LONGRUN_JAVA_OPTS--XX:+UseSerialGC}
lines=$(wc -l <"$log")
echo "run log: $log: $(du -m "$log" | cut -f1) MB, $lines records ($HOURS h, $EMITTERS emitters: a tick per emitter per second, DB samples every 10 s, health every 2 s, 3 alerts)"
# shellcheck disable=SC2086
/usr/bin/time -f "%e %M" -o "$out/time" java $opts -jar "$jar" report "$log" --out "$out/report" --disk-limit 50GB >"$out/out.txt" 2>&1
read -r wall rss <"$out/time"
html="$out/report/report.html"
echo "report: built in ${wall} s, peak RSS $((rss / 1024)) MB (java $opts); report.html $(( $(stat -c %s "$html") / 1024 )) kB, samples.csv $(( $(stat -c %s "$out/report/samples.csv") / 1024 )) kB"
# shellcheck disable=SC2086
/usr/bin/time -f "%e %M" -o "$out/time48" java $opts -Xmx48m -jar "$jar" report "$log" --out "$out/report-48m" >"$out/out48.txt" 2>&1
read -r wall48 rss48 <"$out/time48"
echo "again in a 48 MB heap (-Xmx48m): ${wall48} s, peak RSS $((rss48 / 1024)) MB"
cat "$out/out.txt"
