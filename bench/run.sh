#!/usr/bin/env bash
# The traffic engine measured from outside: arrivals counted in a third-party sink's access log (Debian's nginx,
# answering 204), not longrun's own counters. Prints one table.
#
#   bench/run.sh                       1k, 5k, 10k, 20k events/s for 60 s each, then the highest sustained rate
#   DURATION=20 RATES="1000 5000" bench/run.sh
#   RUNS=5 JVM=both RATES=20000 DURATION=20 bench/run.sh
#                                      5 runs of each rate under the launcher's JVM flags and under plain java -jar;
#                                      every run must hold every second within ±1%, the first two included
#   SEARCH=0 bench/run.sh              skip the search for the highest sustained rate
#
# JVM: launcher (the launcher's flags: LONGRUN_JAVA_OPTS, default -XX:+UseSerialGC), plain (java -jar, the JVM's
# defaults: G1 and C2), or both. Every longrun run starts its JVM afresh: CPU figures include the start and the warm-up.
# Before each run it waits (QUIET_WAIT seconds at most, default 120) for the 1-minute load average to fall below
# LOAD_MAX (default 1.5): other work on a 2-core machine shows up as late seconds. The load is printed per run.
# With RUNS=1 the search for the highest rate, hey and wrk run too (SEARCH=0 or COMPARE=0 skip them).
# Needs nginx (apt-get install -y --no-install-recommends nginx); hey and wrk are used when installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"   # LONGRUN_JAR: measure a copy while you rebuild
DURATION="${DURATION:-60}"
RATES="${RATES:-1000 5000 10000 20000}"
RUNS="${RUNS:-1}"
JVM="${JVM:-launcher}"
SEARCH="${SEARCH:-$([ "$RUNS" = 1 ] && echo 1 || echo 0)}"
COMPARE="${COMPARE:-$([ "$RUNS" = 1 ] && echo 1 || echo 0)}"
LOAD_MAX="${LOAD_MAX:-1.5}"
QUIET_WAIT="${QUIET_WAIT:-120}"
launcher_opts="${LONGRUN_JAVA_OPTS--XX:+UseSerialGC}"
case "$JVM" in launcher) jvms="launcher" ;; plain) jvms="plain" ;; both) jvms="launcher plain" ;;
  *) echo "bench/run.sh: JVM must be launcher, plain or both, not '$JVM'" >&2; exit 2 ;; esac
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"

load1() { cut -d' ' -f1 /proc/loadavg; }
# Waits for a quiet machine, at most QUIET_WAIT s; prints the 1-minute load average it starts at.
wait_quiet() {
  local waited=0
  while python3 -c "import sys; sys.exit(0 if float('$(load1)') >= float('$LOAD_MAX') else 1)" && [ "$waited" -lt "$QUIET_WAIT" ]; do
    sleep 5; waited=$((waited + 5))
  done
  load1
}

# longrun at RATE for SECONDS under JVM: prints
# "rate seconds arrivals mean_err within max_dev errors cpu_per_1k rss_mb dropped load bad_seconds"
run_longrun() {
  local rate=$1 secs=$2 jvm=${3:-launcher} opts load
  opts=$([ "$jvm" = plain ] && echo "" || echo "$launcher_opts")
  load=$(wait_quiet)
  reset_log
  /usr/bin/time -f "%U %S %M" -o "$work/time" java $opts -jar "$jar" run \
    --target-url "$url" --rate "$rate" --duration "${secs}s" --quiet --log-file "$work/run.jsonl" >"$work/out" 2>&1 || true
  sleep 1.5
  read -r u s m <"$work/time"
  python3 - "$work/logs/access.log" "$rate" "$secs" "$u" "$s" "$m" "$work/run.jsonl" "$load" "$here/bench/analyze.py" <<'PY'
import json, subprocess, sys
log, rate, secs, u, s, m, runlog, load, analyze = sys.argv[1:10]
a = json.loads(subprocess.check_output([sys.executable, analyze, log, rate, secs]))
cpu = (float(u) + float(s)) / max(1, a["arrivals"]) * 1000
dropped = 0
for line in open(runlog):
    r = json.loads(line)
    if r.get("type") == "run.end":
        dropped = r.get("totals", {}).get("dropped", 0)
bad = ",".join(f"{s}:{n}" for s, n in a["bad_seconds"]) or "-"
print(f'{rate} {secs} {a["arrivals"]} {a["mean_error_pct"]} {a["within_1pct"]} {a["max_dev_pct"]} {a["error_pct"]} {cpu:.3f} {int(m) // 1024} {dropped} {load} {bad}')
PY
}

row() { printf '%-22s %8s %9s %9s %10s %10s %9s %8s %11s %8s\n' "$@"; }
cd "$here"
echo "sink: nginx $(nginx -v 2>&1 | sed 's/.*\///'), 204, on 127.0.0.1; $(nproc) cores; longrun $(java -jar "$jar" --version)"
echo "JVM settings: launcher = java $launcher_opts -jar; plain = java -jar"
if [ "$RUNS" = 1 ]; then
  row "tool" "rate/s" "seconds" "arrivals" "mean err%" "secs ±1%" "max dev%" "errors%" "CPU-s/1k ev" "RSS MB"
  for jvm in $jvms; do
    for rate in $RATES; do
      read -r r secs n err within dev errs cpu rss dropped load bad <<<"$(run_longrun "$rate" "$DURATION" "$jvm")"
      row "longrun ($jvm)" "$r" "$secs" "$n" "$err" "$within" "$dev" "$errs" "$cpu" "$rss"
    done
  done
else
  printf '%-8s %-8s %4s %6s %9s %9s %8s %8s %8s %7s  %s\n' "jvm" "rate/s" "run" "load" "arrivals" "secs ±1%" "max dev%" "dropped" "CPU-s/1k" "RSS MB" "seconds off by more than 1% (second:arrivals)"
  summary=()
  for jvm in $jvms; do
    for rate in $RATES; do
      held=0
      for i in $(seq 1 "$RUNS"); do
        read -r r secs n err within dev errs cpu rss dropped load bad <<<"$(run_longrun "$rate" "$DURATION" "$jvm")"
        printf '%-8s %-8s %4s %6s %9s %9s %8s %8s %8s %7s  %s\n' "$jvm" "$r" "$i" "$load" "$n" "$within" "$dev" "$dropped" "$cpu" "$rss" "$bad"
        if python3 -c "import sys; sys.exit(0 if float('$within') >= 100 and float('$errs') < 0.1 else 1)"; then held=$((held + 1)); fi
      done
      summary+=("$jvm $rate/s: $held of $RUNS held (every second within ±1%, the first two included)")
    done
  done
  printf '%s\n' "${summary[@]}"
fi

if [ "$SEARCH" = 1 ]; then
  # the highest rate at which every second is within ±1% and errors < 0.1%, 20 s each, from the top down
  best=none
  for rate in 30000 25000 20000 17500 15000 12500 10000 7500 5000; do
    read -r r secs n err within dev errs cpu rss dropped load bad <<<"$(run_longrun "$rate" 20)"
    row "longrun (search)" "$r" "$secs" "$n" "$err" "$within" "$dev" "$errs" "$cpu" "$rss"
    if python3 -c "import sys; sys.exit(0 if float('$within') >= 100 and float('$errs') < 0.1 else 1)"; then best=$rate; break; fi
  done
  echo "highest sustained single-event POST rate (all seconds within ±1%, errors < 0.1%): $best events/s"
fi

if [ "$COMPARE" = 1 ] && command -v hey >/dev/null; then
  for rate in 10000; do
    reset_log
    /usr/bin/time -f "%U %S %M" -o "$work/time" hey -z "${DURATION}s" -c 50 -q $((rate / 50)) -m POST -T application/json \
      -d '{"id":"00000000-0000-0000-0000-000000000001","timestamp":"2025-12-23T12:00:00Z","category":"motion","payload":{}}' "$url" >/dev/null 2>&1 || true
    sleep 1.5
    read -r u s m <"$work/time"
    a=$(python3 bench/analyze.py "$work/logs/access.log" "$rate" "$DURATION")
    read -r n err within dev errs <<<"$(python3 -c "import json; a=json.loads('$a'); print(a['arrivals'], a['mean_error_pct'], a['within_1pct'], a['max_dev_pct'], a['error_pct'])")"
    row "hey -c 50" "$rate" "$DURATION" "$n" "$err" "$within" "$dev" "$errs" "$(python3 -c "print(f'{($u+$s)/max(1,$n)*1000:.3f}')")" "$((m / 1024))"
  done
fi
if [ "$COMPARE" = 1 ] && command -v wrk >/dev/null; then
  cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"00000000-0000-0000-0000-000000000001","timestamp":"2025-12-23T12:00:00Z","category":"motion","payload":{}}'
LUA
  reset_log
  /usr/bin/time -f "%U %S %M" -o "$work/time" wrk -t2 -c64 -d10s -s "$work/post.lua" "$url" >"$work/wrk.out" 2>&1 || true
  read -r u s m <"$work/time"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  n=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  row "wrk -t2 -c64 (closed)" "${rps%.*}" 10 "$n" "-" "-" "-" "-" "$(python3 -c "print(f'{($u+$s)/max(1,$n)*1000:.3f}')")" "$((m / 1024))"
fi
