#!/usr/bin/env bash
# How exactly a replay keeps its recorded gaps, measured from outside: 1,500 events with irregular gaps (seeded,
# 10-300 ms apart as recorded) replayed at --speed 10 to nginx answering 204. Each arrival's offset from the FIRST
# arrival, in nginx's access log, is compared with the recorded offset divided by 10; prints the median and the
# largest error in ms (target: median <= 2 ms, max <= 10 ms), and the same measured from the second arrival; then how
# late the first and the second arrival came after their due times, measured from the run log's time zero
# (schedule.start's time_zero: the wall clock, so within a millisecond or so of nginx's).
#
#   bench/replay-timing.sh            one run
#   RUNS=3 bench/replay-timing.sh     three, one row each
#
# Needs nginx (apt-get install -y --no-install-recommends nginx). JVM flags: the launcher's (LONGRUN_JAVA_OPTS,
# default -XX:+UseSerialGC). nginx logs $msec: arrivals are known to the millisecond.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
RUNS="${RUNS:-1}"
EVENTS="${EVENTS:-1500}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"
python3 - "$work/rec.ndjson" "$EVENTS" <<'PY'
import json, random, sys, datetime
random.seed(10)
t = datetime.datetime(2025, 12, 23, 12, 0, 0, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(json.dumps({"id": f"00000000-0000-0000-0000-{i:012d}", "timestamp": t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                            "category": "motion", "payload": {"n": i}}) + "\n")
        t += datetime.timedelta(milliseconds=random.uniform(10, 300))
PY
printf '%4s %6s %9s %14s %11s %16s %13s %12s %12s\n' "run" "load" "arrivals" "median err ms" "max err ms" "from 2nd: median" "from 2nd: max" "1st late ms" "2nd late ms"
for i in $(seq 1 "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  reset_log
  java ${LONGRUN_JAVA_OPTS--XX:+UseSerialGC} -jar "$jar" replay "$work/rec.ndjson" --target-url "$url" --speed 10 --quiet \
    --log-file "$work/run-$i.jsonl" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  sleep 1.5
  python3 - "$work/logs/access.log" "$work/rec.ndjson" "$i" "$load" "$work/run-$i.jsonl" <<'PY'
import json, statistics, sys, datetime
log, rec, run, load, runlog = sys.argv[1:6]
arr = sorted(float(l.split()[0]) for l in open(log) if l.split()[2] == "POST")
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
ts = [t(json.loads(l)["timestamp"]) for l in open(rec)]
n = min(len(arr), len(ts))
def errs(k):  # offsets measured from arrival k
    return [abs((arr[i] - arr[k]) - (ts[i] - ts[k]) / 10) * 1000 for i in range(k + 1, n)]
e1, e2 = errs(0), errs(1)
zero = [t(r["time_zero"]) for r in map(json.loads, open(runlog)) if r.get("type") == "schedule.start"][0]
late1, late2 = (arr[0] - zero) * 1000, (arr[1] - zero - (ts[1] - ts[0]) / 10) * 1000
print(f"{run:>4} {load:>6} {len(arr):>9} {statistics.median(e1):>14.1f} {max(e1):>11.1f} {statistics.median(e2):>16.1f} {max(e2):>13.1f} {late1:>12.1f} {late2:>12.1f}")
PY
done
