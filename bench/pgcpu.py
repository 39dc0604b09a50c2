#!/usr/bin/env python3
"""CPU time of the PostgreSQL processes serving one role in one database, from /proc, every 50 ms until SIGTERM.

Usage: pgcpu.py ROLE DB > cpu.tsv. A backend is found by its process title ("postgres: ...: ROLE DB host(port) state"),
a parallel worker by its leader ("parallel worker for PID N"). Each process's CPU is the first field of
/proc/PID/schedstat (nanoseconds on a CPU); a process that exits keeps its last value. Each line: the epoch time in
seconds and the CPU seconds of all of them so far.
"""
import os, signal, sys, time

role, db = sys.argv[1], sys.argv[2]
marker = f" {role} {db} "
last = {}        # pid -> ns on CPU, last seen
ours = set()     # backends of the role
other = set()    # processes that are not ours (pid reuse is rare within a run; a worker's pid is checked each time)
stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)


def title(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def comm_is_postgres(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip() == "postgres"
    except OSError:
        return False


def cpu(pid):
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except OSError:
        return None


out = sys.stdout
while not stop:
    now = time.time()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        if pid in other:
            continue
        if pid not in ours:
            try:
                t = title(pid)
            except Exception:
                continue
            if t is None:
                continue
            if not t.startswith("postgres: "):
                # a backend forked a moment ago still shows the postmaster's command line: looked at again next time
                if not comm_is_postgres(pid):
                    other.add(pid)
                continue
            if marker in t:
                ours.add(pid)
            elif "parallel worker for PID " in t:
                try:
                    leader = int(t.split("parallel worker for PID ")[1].split()[0])
                except (IndexError, ValueError):
                    continue
                if leader not in ours:
                    continue   # not ours, or its leader not seen yet: looked at again next time
                ours.add(pid)
            else:
                other.add(pid)
                continue
        v = cpu(pid)
        if v is not None:
            last[pid] = v
    out.write(f"{now:.3f}\t{sum(last.values()) / 1e9:.6f}\n")
    out.flush()
    time.sleep(0.05)
