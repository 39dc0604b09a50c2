#!/usr/bin/env python3
"""One row of bench/db-watch.sh's table, from a run's folder: run.jsonl, cpu.tsv (bench/pgcpu.py) and server.log.

The run's database CPU is split by time: the two exact counts (the baseline before the first event and the last
figures after the drain: a db record's time is taken after the poll's statistics query, before its counts, so each
spans from its record's time to poll_ms after it, 0.3 s either side) and the polls in between. Usage: db-watch-row.py DIR TABLE METHOD RUN COUNTED | --header
"""
import json, re, sys
from bisect import bisect_right
from datetime import datetime

COLS = ("table", "count", "run", "polls", "poll CPU-s", "% of a core", "CPU-ms/poll", "longest poll ms (server)",
        "longest poll ms (longrun)", "end counts CPU-s", "rows_end", "count(*) after", "rows_end exact")
FMT = "%-7s %-10s %3s %5s %10s %11s %11s %24s %25s %16s %11s %14s %14s"
if sys.argv[1] == "--header":
    print(FMT % COLS)
    sys.exit(0)
d, table, method, run, counted = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])


def epoch(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


recs = [json.loads(l) for l in open(f"{d}/run.jsonl") if l.strip()]
db = [r for r in recs if r["type"] == "db" and r.get("table") == table and "rows" in r]
end = [r for r in recs if r["type"] == "run.end"][-1]
first, last = db[0], db[-1]
b0 = epoch(first["time"]) - 0.3
b1 = epoch(first["time"]) + first["poll_ms"] / 1000 + 0.3
f0 = epoch(last["time"]) - 0.3
f1 = epoch(last["time"]) + last["poll_ms"] / 1000 + 0.3
polls = db[1:-1]

ts, cs = [], []
for line in open(f"{d}/cpu.tsv"):
    t, c = line.split()
    ts.append(float(t))
    cs.append(float(c))


def at(t):
    """CPU seconds so far at time t, linear between samples."""
    i = bisect_right(ts, t)
    if i == 0:
        return cs[0]
    if i == len(ts):
        return cs[-1]
    return cs[i - 1] + (cs[i] - cs[i - 1]) * (t - ts[i - 1]) / (ts[i] - ts[i - 1])


poll_cpu = at(f0) - at(b1)
span = f0 - b1
ends = (at(b1) - at(b0)) + (at(f1) - at(f0))

# the server's log: "... UTC [pid] role@db LOG:  duration: 0.123 ms  execute S_1: ..." per parse, bind and execute;
# a poll is the lines within 0.3 s of each other; those overlapping the two counts are left out
line_re = re.compile(r"^(\S+ \S+) UTC \[\d+\] \S+ LOG:  duration: ([\d.]+) ms")
groups, cur, prev = [], [], None
for l in open(f"{d}/server.log", errors="replace"):
    m = line_re.match(l)
    if not m:
        continue
    t = datetime.fromisoformat(m.group(1) + "+00:00").timestamp()
    if prev is not None and t - prev > 0.3:
        groups.append(cur)
        cur = []
    cur.append((t, float(m.group(2))))
    prev = t
if cur:
    groups.append(cur)
running = [sum(ms for _, ms in g) for g in groups if g[0][0] > b1 and g[-1][0] < f0]
server_max = f"{max(running):.2f}" if running else "n/a"
client_max = max(r["poll_ms"] for r in polls) if polls else 0
rows_end = end["tables"][table]["rows_end"]
print(FMT % (table, method, run, len(polls), f"{poll_cpu:.3f}", f"{100 * poll_cpu / span:.3f}",
             f"{1000 * poll_cpu / max(1, len(polls)):.2f}", server_max, f"{client_max:.1f}", f"{ends:.2f}", rows_end, counted,
             "yes" if rows_end == counted else "NO (" + end["tables"][table]["rows_end_method"] + ")"))
