#!/usr/bin/env bash
# How sharply a fault experiment's phases switch faults on and off, measured from outside: a client pings the
# reference target's /health through the run's embedded proxy every 20 ms and stamps each ping; a latency fault
# of 100 ms on the proxy makes every ping during the fault phase slow. From the first of three slow pings in a row
# and the first of three fast ones after them, against the planned boundaries (the run log's time_zero + the phase's start_s / end_s), it prints
# how late the fault came on and went off as the client saw it; and, from the run log, fault.on's and fault.off's
# took_ms (the engine's confirmation) and phase.start's lateness on longrun's own clock. ROUNDS runs.
#
#   bench/phases.sh                      3 rounds of a 5s / 5s / 5s experiment
#   ROUNDS=5 bench/phases.sh
#
# Needs a PostgreSQL server on 127.0.0.1:5432 (PGUSER, trust or PGPASSWORD; a database longrun_phases_bench is
# created and dropped), psql, curl and python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
ROUNDS="${ROUNDS:-3}"
export PGUSER="${PGUSER:-postgres}"
db=longrun_phases_bench
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
tport=$(free_port); work="$(mktemp -d)"
cleanup() { [ -n "${tpid:-}" ] && kill "$tpid" 2>/dev/null; wait 2>/dev/null || true; psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db" >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$work"; echo "work: $work" >&2; }
trap cleanup EXIT
opts=(${LONGRUN_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC})

psql -X -q -h 127.0.0.1 -d postgres -c "drop database if exists $db" -c "create database $db" >/dev/null 2>&1
java "${opts[@]}" -jar "$jar" target --port "$tport" --metrics-port 0 --scheduler off --db-url "jdbc:postgresql://127.0.0.1:5432/$db" --log-file "$work/target.log" >/dev/null 2>&1 &
tpid=$!
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$tport/health" >/dev/null 2>&1 && break; sleep 0.2; done

echo "load: $(uptime | sed 's/.*load average: //') (1, 5, 15 min); $(nproc) cores; latency 100 ms on a proxy in front of the target, pings every 20 ms"
printf '%5s %16s %17s %14s %15s %18s\n' round "on late (out) ms" "off late (out) ms" "fault.on took" "fault.off took" "phase.start late ms"
for r in $(seq 1 "$ROUNDS"); do
  pport=$(free_port)
  cat >"$work/x.yaml" <<EOF
name: phases-bench
target: { url: "http://127.0.0.1:$pport/event" }
emitters: [ { name: a, rate: 20 } ]
proxies: [ { name: api, listen: "127.0.0.1:$pport", upstream: "127.0.0.1:$tport" } ]
experiment: { stabilize: 5s, fault: { latency: { proxy: api, ms: 100 } }, fault_for: 5s, recover: 5s }
EOF
  rm -f "$work/run.jsonl"
  java "${opts[@]}" -jar "$jar" run "$work/x.yaml" --quiet --metrics-port 0 --log-file "$work/run.jsonl" >"$work/run.out" 2>&1 &
  rpid=$!
  python3 - "$pport" "$rpid" "$work/pings.txt" <<'PY'
import http.client, os, sys, time
port, pid, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    while os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z":
        t0 = time.time()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/health"); c.getresponse().read(); c.close()
            f.write(f"{t0} {(time.time() - t0) * 1000}\n")
        except OSError:
            pass
        time.sleep(max(0, 0.02 - (time.time() - t0)))
PY
  wait "$rpid" || true
  python3 - "$work/run.jsonl" "$work/pings.txt" "$r" <<'PY'
import datetime, json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def ts(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
zero = ts(next(x for x in recs if x["type"] == "schedule.start")["time_zero"])
phase = next(x for x in recs if x["type"] == "experiment")["phases"][1]
on_at, off_at = zero + phase["start_s"], zero + phase["end_s"]
pings = [tuple(map(float, l.split())) for l in open(sys.argv[2])]
# a ping is slow when it took 100 ms or more; the fault is seen on at the end of the first of three slow pings in a
# row (a loaded machine makes a lone ping slow), and off at the send of the first of three fast ones after them
def run_of(i, slow):
    return i + 3 <= len(pings) and all((ms >= 100) == slow for _, ms in pings[i:i + 3])
i_on = next(i for i in range(len(pings)) if pings[i][0] >= on_at - 1 and run_of(i, True))
first_slow = pings[i_on][0] + pings[i_on][1] / 1000
fast_after = next(pings[i][0] for i in range(i_on, len(pings)) if run_of(i, False))
on = next(x for x in recs if x["type"] == "fault.on"); off = next(x for x in recs if x["type"] == "fault.off")
late = max(x["elapsed_s"] - p["start_s"] for x in recs if x["type"] == "phase.start"
           for p in [next(q for q in recs if q["type"] == "experiment")["phases"][x["index"]]])
print("%5s %16.0f %17.0f %14s %15s %18.0f" % (sys.argv[3], (first_slow - 0.1 - on_at) * 1000, (fast_after - off_at) * 1000,
      on["took_ms"], off["took_ms"], late * 1000))
PY
done
