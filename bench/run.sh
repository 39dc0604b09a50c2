#!/usr/bin/env bash
# The traffic engine measured from outside: arrivals counted in a third-party sink's access log (Debian's nginx,
# answering 204), not longrun's own counters. Prints one table.
#
#   bench/run.sh                       1k, 5k, 10k, 20k events/s for 60 s each, then the highest sustained rate
#   DURATION=20 RATES="1000 5000" bench/run.sh
#   SEARCH=0 bench/run.sh              skip the search for the highest sustained rate
#
# Needs nginx (apt-get install nginx); wrk and hey are run against the same sink when installed. longrun runs
# with the launcher's JVM options (LONGRUN_JAVA_OPTS, default -XX:TieredStopAtLevel=1 -XX:+UseSerialGC). Every longrun run starts
# its JVM afresh: CPU figures include the start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"   # LONGRUN_JAR: measure a copy while you rebuild
DURATION="${DURATION:-60}"
RATES="${RATES:-1000 5000 10000 20000}"
SEARCH="${SEARCH:-1}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"

# longrun at RATE for SECONDS: prints "rate seconds arrivals mean_err within max_dev errors cpu_per_1k rss_mb"
run_longrun() {
  local rate=$1 secs=$2
  reset_log
  /usr/bin/time -f "%U %S %M" -o "$work/time" java ${LONGRUN_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar "$jar" run \
    --target-url "$url" --rate "$rate" --duration "${secs}s" --quiet --log-file "$work/run.jsonl" >"$work/out" 2>&1 || true
  sleep 1.5
  read -r u s m <"$work/time"
  python3 - "$work/logs/access.log" "$rate" "$secs" "$u" "$s" "$m" <<'PY'
import json, subprocess, sys
log, rate, secs, u, s, m = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
a = json.loads(subprocess.check_output([sys.executable, __import__("os").path.dirname(__import__("os").path.abspath("bench/analyze.py")) + "/analyze.py", log, rate, secs]))
cpu = (u + s) / max(1, a["arrivals"]) * 1000
print(f'{rate} {secs} {a["arrivals"]} {a["mean_error_pct"]} {a["within_1pct"]} {a["max_dev_pct"]} {a["error_pct"]} {cpu:.3f} {m // 1024}')
PY
}

row() { printf '%-22s %8s %9s %9s %10s %10s %9s %8s %11s %8s\n' "$@"; }
cd "$here"
echo "sink: nginx $(nginx -v 2>&1 | sed 's/.*\///'), 204, on 127.0.0.1; $(nproc) cores; longrun $(java -jar "$jar" --version)"
row "tool" "rate/s" "seconds" "arrivals" "mean err%" "secs ±1%" "max dev%" "errors%" "CPU-s/1k ev" "RSS MB"
for rate in $RATES; do
  read -r r secs n err within dev errs cpu rss <<<"$(run_longrun "$rate" "$DURATION")"
  row "longrun" "$r" "$secs" "$n" "$err" "$within" "$dev" "$errs" "$cpu" "$rss"
done

if [ "$SEARCH" = 1 ]; then
  # the highest rate at which every second is within ±1% and errors < 0.1%, 20 s each, from the top down
  best=none
  for rate in 30000 25000 20000 17500 15000 12500 10000 7500 5000; do
    read -r r secs n err within dev errs cpu rss <<<"$(run_longrun "$rate" 20)"
    row "longrun (search)" "$r" "$secs" "$n" "$err" "$within" "$dev" "$errs" "$cpu" "$rss"
    if python3 -c "import sys; sys.exit(0 if float('$within') >= 100 and float('$errs') < 0.1 else 1)"; then best=$rate; break; fi
  done
  echo "highest sustained single-event POST rate (all seconds within ±1%, errors < 0.1%): $best events/s"
fi

if command -v hey >/dev/null; then
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
if command -v wrk >/dev/null; then
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
