#!/usr/bin/env python3
"""Arrivals per second from an nginx access log ($msec $status $request_method), against a target rate.

usage: analyze.py ACCESS_LOG RATE SECONDS [METHOD]
Prints one JSON object: arrivals, seconds measured, mean absolute error per second (%), share of seconds within
+-1% of the rate, the largest deviation of a second (%), and the error rate (non-2xx share).
The window is the first SECONDS whole seconds from the first arrival: the first seconds count, as they should.
"""
import collections, json, math, sys

log, rate, seconds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
method = sys.argv[4] if len(sys.argv) > 4 else "POST"
times, errors = [], 0
with open(log) as f:
    for line in f:
        p = line.split()
        if len(p) < 3 or p[2] != method:
            continue
        times.append(float(p[0]))
        if not p[1].startswith("2"):
            errors += 1
if not times:
    print(json.dumps({"arrivals": 0}))
    sys.exit(0)
t0 = min(times)
per = collections.Counter(int(t - t0) for t in times)
window = [per.get(s, 0) for s in range(seconds)]
dev = [abs(n - rate) / rate * 100 for n in window]
print(json.dumps({
    "arrivals": len(times),
    "seconds": len(window),
    "mean_error_pct": round(sum(dev) / len(dev), 3),
    "total_error_pct": round(abs(sum(window) - rate * seconds) / (rate * seconds) * 100, 3),
    "within_1pct": round(sum(1 for d in dev if d <= 1.0) / len(dev) * 100, 1),
    "max_dev_pct": round(max(dev), 1),
    "error_pct": round(errors / len(times) * 100, 3),
    "bad_seconds": [[s, n] for s, n in enumerate(window) if abs(n - rate) / rate * 100 > 1.0],
}))
