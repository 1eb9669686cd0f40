#!/usr/bin/env python3
"""Runs a load generator and records the CPU time that it, and every process
with one of the given names, used meanwhile.

usage: cpu.py OUT NAME[,NAME...] -- COMMAND...
Writes one line to OUT: `load=<seconds> NAME=<seconds> ...` (user + system).
Processes are sampled every 100 ms, so one that ends during the run counts
up to its last sample.
"""
import os
import resource
import subprocess
import sys
import time


def ticks_by_pid(names):
    """{pid: (name, user + system ticks)} of the processes with those names."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime and stime are fields 14 and 15 of stat, 12 and 13 after comm and state.
        for name in names:
            if comm.startswith(name):
                found[pid] = (name, int(fields[11]) + int(fields[12]))
    return found


def main():
    out, names, sep, *command = sys.argv[1:]
    assert sep == "--", __doc__
    names = names.split(",")
    hz = os.sysconf("SC_CLK_TCK")
    # Sampled while the command runs, so that processes that end with it (the
    # database backends of a benchmark client) are counted up to their end.
    start = ticks_by_pid(names)
    seen = dict(start)
    child = subprocess.Popen(command)
    while child.poll() is None:
        seen.update(ticks_by_pid(names))
        time.sleep(0.1)
    if child.returncode:
        sys.exit(f"{command[0]} failed with status {child.returncode}")
    seen.update(ticks_by_pid(names))
    spent = dict.fromkeys(names, 0)
    for pid, (name, ticks) in seen.items():
        spent[name] += ticks - start.get(pid, (name, 0))[1]
    load = resource.getrusage(resource.RUSAGE_CHILDREN)
    parts = [f"load={load.ru_utime + load.ru_stime:.3f}"]
    parts += [f"{n}={spent[n] / hz:.3f}" for n in names]
    with open(out, "w") as f:
        f.write(" ".join(parts) + "\n")


if __name__ == "__main__":
    main()
