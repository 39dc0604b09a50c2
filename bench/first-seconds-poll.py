#!/usr/bin/env python3
"""Polls one JVM and one local server port until the JVM exits (bench/first-seconds.sh).

usage: first-seconds-poll.py PID PORT
Every 10 ms it reads the server side of /proc/net/tcp and prints "WALL open CLIENT_PORT" for each connection to
PORT that was not established at the previous poll ("WALL close CLIENT_PORT" for each one gone); every 100 ms it
prints "WALL c2 TICKS", the CPU clock ticks used so far by the JVM's C2 compiler threads. The first line is
"0 hz TICKS_PER_SECOND".
"""
import os, sys, time

pid, port = sys.argv[1], int(sys.argv[2])
hz = os.sysconf("SC_CLK_TCK")
print(f"0 hz {hz}", flush=True)


def established():
    ports = set()
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                p = line.split()
                local, remote, state = p[1], p[2], p[3]
                if state == "01" and int(local.split(":")[1], 16) == port:
                    ports.add(int(remote.split(":")[1], 16))
    except OSError:
        pass
    return ports


def c2_ticks():
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    s = f.read()
            except OSError:
                continue
            comm = s[s.index("(") + 1:s.rindex(")")]
            if comm.startswith("C2 CompilerThre"):
                fields = s[s.rindex(")") + 2:].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total


before = set()
n = 0
out = []
while os.path.exists(f"/proc/{pid}"):
    now = time.time()
    cur = established()
    for p in cur - before:
        out.append(f"{now:.3f} open {p}")
    for p in before - cur:
        out.append(f"{now:.3f} close {p}")
    before = cur
    if n % 10 == 0:
        t = c2_ticks()
        if t is not None:
            out.append(f"{now:.3f} c2 {t}")
    n += 1
    if len(out) > 200:
        print("\n".join(out), flush=True)
        out = []
    time.sleep(0.01)
if out:
    print("\n".join(out), flush=True)
