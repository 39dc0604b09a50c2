#!/usr/bin/env python3
"""One row of bench/first-seconds.sh from one run's folder.

usage: first-seconds.py RUN_DIR ACCESS_LOG [DETAIL]
RUN_DIR holds run.jsonl (the run log), jit.json (jfr print --json of jdk.Compilation and jdk.Deoptimization) and
poll (first-seconds-poll.py's output). ACCESS_LOG has "$msec $status $request_method ..." per request.
"""
import collections, datetime, json, os, re, sys

run_dir, access = sys.argv[1], sys.argv[2]
detail = len(sys.argv) > 3 and sys.argv[3] == "1"


def instant(s):
    # "2026-11-30T21:30:00.123456789Z" or with an offset; Python reads 6 digits of the fraction at most
    s = re.sub(r"(\.\d{6})\d+", r"\1", s.replace("Z", "+00:00"))
    return datetime.datetime.fromisoformat(s).timestamp()


zero, warm = None, {}
for line in open(os.path.join(run_dir, "run.jsonl")):
    r = json.loads(line)
    if r.get("type") == "schedule.start":
        zero = instant(r["time_zero"])
    elif r.get("type") == "warmup":
        warm = r
if zero is None:
    print("no schedule.start in the run log")
    sys.exit(0)

arrivals = sorted(float(l.split()[0]) for l in open(access) if l.split()[2:3] == ["POST"])
per = collections.Counter(int((t - zero) // 1) for t in arrivals if t >= zero)
seconds = " ".join(f"{per.get(s, 0):>6}" for s in range(5))
first = f"{(arrivals[0] - zero) * 1000:.1f}" if arrivals else "-"

# the flight recorder's events, as the JDK's jfr tool prints them in JSON
events = json.load(open(os.path.join(run_dir, "jit.json")))["recording"]["events"]
before = after = c2_before = c2_after = 0
c2_ms_after = 0.0
c2_methods = collections.Counter()
deopts, reasons, methods = 0, collections.Counter(), collections.Counter()


def method_name(m):
    return (m.get("type", {}).get("name", "?") + "." + m.get("name", "?")) if m else "?"


def millis(d):  # "PT0.012345S" or a number of ms
    if isinstance(d, (int, float)):
        return float(d)
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", d or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


for e in events:
    v = e["values"]
    dt = instant(v["startTime"]) - zero
    if e["type"] == "jdk.Compilation":
        c2 = v.get("compileLevel") == 4
        if -1 <= dt < 0:
            before += 1
            c2_before += c2
        elif 0 <= dt < 4:
            after += 1
            c2_after += c2
            if c2:
                c2_ms_after += millis(v.get("duration"))
                c2_methods[method_name(v.get("method"))] += 1
    elif e["type"] == "jdk.Deoptimization" and 0 <= dt < 4:
        deopts += 1
        reasons[v.get("reason", "?")] += 1
        methods[f'{method_name(v.get("method"))}:{v.get("lineNumber")} {v.get("reason")}'] += 1

hz, c2 = 100, []
opened_before, opened_after, open_ports, closed_before = set(), set(), set(), []
for line in open(os.path.join(run_dir, "poll")):
    p = line.split()
    if p[1] == "hz":
        hz = int(p[2])
        continue
    t = float(p[0])
    if p[1] == "c2":
        c2.append((t, int(p[2])))
    elif p[1] == "open":
        (opened_before if t < zero else opened_after).add(p[2])
        if t < zero:
            open_ports.add(p[2])
    elif p[1] == "close" and t < zero:
        if p[2] in open_ports:
            closed_before.append(round((t - zero) * 1000))
        open_ports.discard(p[2])


def ticks_at(t):
    best = None
    for s, n in c2:
        if s <= t:
            best = n
    return best


a, b = ticks_at(zero), ticks_at(zero + 4)
c2_pct = f"{(b - a) / hz / 4 * 100:.0f}" if a is not None and b is not None else "-"
print(f"{seconds}  {first:>6}  {before:>5} / {after:<7} {c2_before:>5} / {c2_after:<7} {deopts:<9} {c2_pct:>5} "
      f"{len(open_ports)} / {len(opened_after)}")
if detail:
    print(f"    warm-up: {warm.get('events')} events in {warm.get('took_ms')} ms, JIT settled: {warm.get('jit_settled')}, "
          f"connections opened before time zero (run log): {warm.get('connections')}")
    print(f"    connections to nginx opened before time zero: {len(opened_before)}, of them closed before it: "
          f"{len(closed_before)} (ms before time zero: {closed_before[:8]})")
    print(f"    C2 compile time in the 4 s after time zero: {c2_ms_after:.0f} ms; C2 compilations by package:",
          dict(collections.Counter(".".join(m.split("/")[:3]) for m in c2_methods.elements()).most_common(12)))
    for m, n in c2_methods.most_common(int(os.environ.get("TOP", "0"))):
        print(f"    C2 {n:3d}  {m}")
if detail:
    print("    deoptimization reasons in the 4 s after time zero:", dict(reasons.most_common()))
    ours = sum(n for m, n in methods.items() if m.startswith("io/longrun/") or m.startswith("io.longrun."))
    print(f"    of them in longrun's own code: {ours}")
    for m, n in methods.most_common(25):
        print(f"    {n:5d}  {m}")
