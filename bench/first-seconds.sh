#!/usr/bin/env bash
# The first seconds of a run, measured from outside and from the JVM's own logs, at RATE (default 20,000/s) to
# nginx answering 204, for DURATION (default 10 s). Time zero is the run log's schedule.start (its time_zero).
# Per run it prints:
#   - the arrivals at nginx in each of the first 5 seconds after time zero;
#   - the first arrival's offset from time zero, in ms;
#   - compilations (all tiers, and C2's) in the second before time zero and in the 4 s after it, and the
#     deoptimizations in those 4 s (the JVM's flight recorder: jdk.Compilation with no threshold, jdk.Deoptimization;
#     read back with the JDK's jfr tool);
#   - the CPU of the C2 compiler threads in the 4 s after time zero (from /proc/PID/task/*/stat), in % of one core;
#   - connections to nginx established at time zero and opened after it (nginx's side of /proc/net/tcp, polled
#     every 10 ms).
# The counts that load moves least (compilations, deoptimizations, connections) are the ones to compare; the load
# average at each start is printed too. DETAIL=1 prints the methods deoptimized after time zero, and the reasons.
#
#   bench/first-seconds.sh                       one run under the launcher's flags
#   RUNS=3 JVM=both bench/first-seconds.sh       three under the launcher's flags, three under plain java -jar
#
# Needs nginx (apt-get install -y --no-install-recommends nginx).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
RATE="${RATE:-20000}"
DURATION="${DURATION:-10}"
RUNS="${RUNS:-1}"
JVM="${JVM:-launcher}"
DETAIL="${DETAIL:-0}"
launcher_opts="${LONGRUN_JAVA_OPTS--XX:+UseSerialGC}"
case "$JVM" in launcher) jvms="launcher" ;; plain) jvms="plain" ;; both) jvms="launcher plain" ;;
  *) echo "bench/first-seconds.sh: JVM must be launcher, plain or both, not '$JVM'" >&2; exit 2 ;; esac
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"
command -v jfr >/dev/null || { echo "bench/first-seconds.sh: the JDK's jfr tool is needed on the PATH" >&2; exit 2; }
cat >"$work/jit.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="jit">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
</configuration>
JFC

printf '%-8s %3s %5s  %-34s %6s  %-15s %-15s %-9s %5s %s\n' "jvm" "run" "load" "arrivals s0..s4 after time zero" "1st ms" \
  "compiled -1s/4s" "C2 -1s/4s" "deopt 4s" "C2 %" "connections at 0 / opened after"
for jvm in $jvms; do
  for i in $(seq 1 "$RUNS"); do
    opts=$([ "$jvm" = plain ] && echo "" || echo "$launcher_opts")
    load=$(cut -d' ' -f1 /proc/loadavg)
    reset_log
    d="$work/$jvm-$i"
    mkdir -p "$d"
    java $opts -XX:StartFlightRecording:filename="$d/run.jfr",settings="$work/jit.jfc",dumponexit=true \
      -jar "$jar" run --target-url "$url" --rate "$RATE" --duration "${DURATION}s" --quiet --log-file "$d/run.jsonl" \
      >"$d/out" 2>&1 &
    pid=$!
    python3 "$here/bench/first-seconds-poll.py" "$pid" "$port" >"$d/poll" &
    poller=$!
    wait "$pid" || { echo "run $jvm $i failed:" >&2; cat "$d/out" >&2; }
    wait "$poller" || true
    sleep 1.5
    jfr print --json --events jdk.Compilation,jdk.Deoptimization "$d/run.jfr" >"$d/jit.json" 2>/dev/null || echo '{"recording":{"events":[]}}' >"$d/jit.json"
    row=$(python3 "$here/bench/first-seconds.py" "$d" "$work/logs/access.log" "$DETAIL")
    printf '%-8s %3s %5s  %s\n' "$jvm" "$i" "$load" "$row"
  done
done
