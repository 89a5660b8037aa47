"""Runs one command and prints its wall time in seconds (monotonic clock, microseconds) and
its peak RSS in KB (from wait4, so the whole process tree it waited for).
Usage: measure.py COMMAND  (one command line, split as a shell would; no shell is started,
so that its start-up is not counted: a pipeline must say sh -c '...' itself)"""
import os
import shlex
import sys
import time

argv = shlex.split(sys.argv[1])
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(f"{elapsed:.6f} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
