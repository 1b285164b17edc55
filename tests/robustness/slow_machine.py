"""Running a subprocess in a test without a wall-clock timeout that a busy machine can trip.

A wall-clock ``timeout=`` fails the test when the machine is loaded (the README's test command once took 20 minutes
on a busy 2-CPU machine and a fixed 600 s timeout fired). A limit on the child's CPU time (RLIMIT_CPU) still stops a
runaway child, and load does not change it: the child is killed (SIGXCPU) only after it has really computed that
long."""
from __future__ import annotations

import subprocess
import sys


def _cpu_limit(seconds: int):
    def apply():
        import resource
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    return apply


def run(cmd, cpu_seconds: int, **kwargs) -> subprocess.CompletedProcess:
    """``subprocess.run(cmd, **kwargs)`` with the child's CPU time bounded instead of its wall-clock time."""
    if sys.platform != "win32":
        kwargs["preexec_fn"] = _cpu_limit(int(cpu_seconds))
    return subprocess.run(cmd, **kwargs)
