#!/usr/bin/env bash
# Heap over a long run: longrun at RATE events/s for DURATION against nginx (answering 204), with the GC log on.
# Prints the live heap after collections, one line per minute (mean and max after-GC heap in that minute), and
# whether the heap is flat: the last fifth of the collections against the second fifth (the first is warm-up), ±10%.
#
#   bench/heap.sh                  2,000 events/s for 30 minutes
#   RATE=5000 DURATION=5m bench/heap.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"   # LONGRUN_JAR: measure a copy while you rebuild
RATE="${RATE:-2000}"
DURATION="${DURATION:-30m}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
source "$here/bench/sink.sh"
out="$here/runs/bench-heap-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$out"
/usr/bin/time -f "%e %U %S %M" -o "$out/time" java ${LONGRUN_JAVA_OPTS--XX:+UseSerialGC} \
  -Xlog:gc:file="$out/gc.log":uptime -jar "$jar" run --target-url "$url" --rate "$RATE" --duration "$DURATION" --quiet \
  --log-file "$out/run.jsonl" >"$out/out.txt" 2>&1 || true
sleep 1.5
read -r wall u s m <"$out/time"
echo "longrun at $RATE events/s for $DURATION: wall ${wall}s, CPU $(python3 -c "print(round($u+$s,1))") s, peak RSS $((m / 1024)) MB; logs in $out"
python3 - "$out/gc.log" "$work/logs/access.log" <<'PY'
import collections, re, sys
gc, access = sys.argv[1], sys.argv[2]
# "[12.345s] GC(7) Pause Young (Allocation Failure) 40M->3M(60M) 1.234ms"
pat = re.compile(r"\[(\d+\.\d+)s\].*Pause.*?(\d+)M->(\d+)M\((\d+)M\)")
after = [(float(m.group(1)), int(m.group(3)), int(m.group(4))) for m in map(pat.search, open(gc)) if m]
arrivals = sum(1 for line in open(access) if line.split()[2:3] == ["POST"])
print(f"arrivals at nginx: {arrivals}; collections: {len(after)}")
if not after:
    sys.exit(0)
per = collections.defaultdict(list)
for t, a, c in after:
    per[int(t // 60)].append((a, c))
print("minute  collections  live heap after GC MB (mean / max)  committed MB (max)")
for m in sorted(per):
    xs = per[m]
    print(f"{m:6d}  {len(xs):11d}  {sum(a for a, _ in xs) / len(xs):12.1f} / {max(a for a, _ in xs):4d}  {max(c for _, c in xs):17d}")
n = len(after)
early = [a for _, a, _ in after[n // 5: 2 * n // 5]]
late = [a for _, a, _ in after[4 * n // 5:]]
if early and late:
    e, l = sum(early) / len(early), sum(late) / len(late)
    change = (l - e) / e * 100 if e else 0.0
    print(f"live heap after GC: second fifth {e:.1f} MB, last fifth {l:.1f} MB, change {change:+.1f}% -> "
          f"{'flat (within ±10%)' if abs(change) <= 10 else 'NOT flat'}")
PY
