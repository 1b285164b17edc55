"""Checking many files: each inside its own guard, folders across CPUs, results in input order.

* **Guard.** Whatever goes wrong while shapelint checks one file -- an exception, a recursion or memory error, the
  per-file time limit -- becomes that file's one-line ``error`` (exit code 2 at the end); every other file is still
  checked and reported in full.
* **Time limit.** ``--timeout-per-file`` counts CPU time (a CPU-time timer in the process that checks the file), so
  a busy machine cannot trip it; a worker that makes no progress at all (stuck on I/O) is killed after ``WALL_FACTOR``
  times the limit in wall-clock time.
* **Pool.** Several files are checked in worker processes, one file at a time per worker, as many workers as CPUs.
  A worker that runs past the per-file time limit, exceeds its memory limit or dies is killed, its file gets a
  one-line error, and a fresh worker takes the next file. Results are put back in input order, so the report is the
  same as a serial run's, byte for byte.
* **Serial.** One file (or ``jobs=1``) is checked in this process, with the same CPU-time timer where the platform
  and thread allow it (Unix, main thread).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Optional

from .collection import collect_between_files, fewer_collections  # noqa: F401  (fewer_collections: check_files)
from .files import check_path, failure_message, iter_files
from .result import FileResult, Result

DEFAULT_TIMEOUT = 60.0  # seconds of CPU time per file: a safety net, far above any real file's check time (< 10 s)
WALL_FACTOR = 10  # a worker still busy after this many times the limit in wall-clock time is stuck (I/O): killed
WORKER_MEMORY = 1 << 30  # bytes a worker may add to its address space for one file before it is stopped


class FileTimeout(BaseException):
    """Raised by the timer inside a file's check. A BaseException, so no ``except Exception`` in the analysis can
    swallow it and carry on."""


@dataclass
class Cost:
    """What checking one file took: CPU seconds, and the peak resident memory of the process while it checked the
    file (a worker restarts its high-water mark before each file, where Linux lets it; elsewhere the peak is over
    all files the worker checked so far). ``start_rss_mb`` is what the process held before the file: a worker forked
    from a big process (a test run with PyTorch loaded) starts with that process's memory, which is not
    shapelint's; ``peak_rss_mb - start_rss_mb`` bounds what checking took on top."""
    cpu_seconds: float
    peak_rss_mb: float
    start_rss_mb: float = 0.0


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_files(paths, input_shape: Optional[tuple] = None, jobs: Optional[int] = None,
                timeout: Optional[float] = DEFAULT_TIMEOUT, costs: Optional[list] = None, expanded: bool = False,
                shape_for=None) -> Result:
    """Check every file of ``paths`` (folders expanded, unless ``expanded``: they are the files) and return one
    Result with the files in input order.

    ``jobs``: worker processes (None: one per CPU; 1: check in this process). ``timeout``: CPU seconds per file
    (None or 0: no limit). ``shape_for(path)``: the input shape for one file where ``input_shape`` is None (the
    settings' per-file shapes). ``costs``, if given, receives one Cost per file (what the hostile-input tests and
    the fuzzer measure)."""
    with fewer_collections():
        return _check_files(paths, input_shape, jobs, timeout, costs, expanded, shape_for)


def _check_files(paths, input_shape, jobs, timeout, costs, expanded, shape_for) -> Result:
    files = list(paths) if expanded else list(iter_files(paths))
    if shape_for is not None and input_shape is None:
        shapes = {p: shape_for(p) for p in files}
        if any(v is not None for v in shapes.values()):
            input_shape = _PerFile(shapes)
    jobs = min(cpu_count() if jobs is None else max(1, int(jobs)), len(files))
    timeout = timeout or None
    results: list = [None] * len(files)
    spent: list = [None] * len(files)
    pooled = [(i, p) for i, p in enumerate(files) if p != "-"]  # a worker's standard input is /dev/null
    if jobs > 1 and len(pooled) > 1 and _can_fork():
        pool = _Pool(jobs, input_shape, timeout)
        for (i, _), result, cost in zip(pooled, pool.run([p for _, p in pooled]), pool.costs):
            results[i], spent[i] = result, cost
    checked = False
    for i, path in enumerate(files):
        if results[i] is None:
            if checked:
                collect_between_files()
            checked = True
            start = 0.0
            if costs is not None:  # measured per file (the high-water mark is restarted only when asked to measure)
                _reset_peak_rss()
                start = _rss_mb()
            before = _cpu_seconds()
            results[i] = check_guarded(path, input_shape, timeout)
            spent[i] = Cost(_cpu_seconds() - before, _peak_rss_mb(), start)
    if costs is not None:
        costs.extend(spent)
    return Result(results)


class _PerFile(dict):
    """Input shapes per file (the settings'), sent to the workers with the rest."""


def check_guarded(path: str, input_shape: Optional[tuple] = None, timeout: Optional[float] = None) -> FileResult:
    """Check one file in this process; never raises (but lets KeyboardInterrupt through)."""
    if isinstance(input_shape, _PerFile):
        input_shape = input_shape.get(path)
    try:
        with _time_limit(timeout):
            return check_path(path, input_shape)
    except FileTimeout:
        return FileResult(_display(path), error=_timeout_message(timeout))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # shapelint's own failure on this file: one line, the other files go on
        return FileResult(_display(path), error=failure_message(exc))


def _display(path: str) -> str:
    return "<stdin>" if path == "-" else str(path)


def _timeout_message(seconds) -> str:
    return f"not checked: stopped after {seconds:g} s of CPU time (--timeout-per-file)"


class _time_limit:
    """Raise FileTimeout in this thread once this process has used ``seconds`` more of CPU time (ITIMER_PROF: Unix,
    main thread only; elsewhere no limit here -- the evaluator's own budget still bounds the analysis)."""

    def __init__(self, seconds: Optional[float]):
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        if self.seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread() \
                and signal.getitimer(signal.ITIMER_PROF)[0] == 0:  # never replace a timer the caller has set
            self.previous = signal.signal(signal.SIGPROF, self._fire)
            signal.setitimer(signal.ITIMER_PROF, self.seconds)
            self.armed = True
        return self

    def _fire(self, signum, frame):
        if self.armed:
            raise FileTimeout()

    def __exit__(self, *exc):
        if self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self.previous)
        return False


# -- the process pool -------------------------------------------------------------------------------------------
def _can_fork() -> bool:
    """Workers are forked: they start at once with everything imported. Forking a process that runs other threads
    (a notebook kernel) can deadlock, so then the files are checked here, one after the other."""
    import multiprocessing  # deferred: a run of one file never starts workers
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _reset_peak_rss() -> None:
    """Start this worker's high-water mark afresh. A process started from a big one (a test runner that imported
    torch) otherwise reports its parent's peak as its own: ``ru_maxrss`` survives fork and exec."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    try:  # Linux: this address space's own peak, which _reset_peak_rss can restart
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource  # deferred: POSIX only
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024
    except (ImportError, OSError):
        return 0.0


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0.0


def _cpu_seconds() -> float:
    # the process's CPU clock, not os.times(): on this kind of VM times() took up to milliseconds per call once the
    # process had checked a few files -- a third of a folder's time, at two calls per file
    return time.process_time()


def _limit_memory(extra: int) -> None:
    """Let this worker grow its address space by ``extra`` bytes beyond what it has now: past that, allocations
    fail (MemoryError, reported for the file) instead of the machine swapping."""
    try:
        import resource  # deferred: POSIX only
        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass


def _worker(conn, input_shape, memory: int, timeout: Optional[float]) -> None:
    import pickle  # only a pool needs it: a run on one file does not load it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    if memory:
        _limit_memory(memory)
    checked = False
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        if checked:
            collect_between_files()
        checked = True
        _reset_peak_rss()  # the peak is this file's: a large file checked before must not count against the next
        start_rss = _rss_mb()
        before = _cpu_seconds()
        result = check_guarded(path, input_shape, timeout)
        cost = Cost(_cpu_seconds() - before, _peak_rss_mb(), start_rss)
        try:
            payload = pickle.dumps((index, result, cost), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # a value that cannot cross the process boundary: still one line, not a crash
            payload = pickle.dumps((index, FileResult(result.path, error=failure_message(exc)), cost))
        try:
            conn.send_bytes(payload)
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, ctx, input_shape, memory: int, timeout: Optional[float]):
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, input_shape, memory, timeout), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        self.task = None  # (index, path, deadline)

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, AttributeError):
            pass
        self.process.join()
        self.conn.close()


class _Pool:
    def __init__(self, jobs: int, input_shape, timeout: Optional[float], memory: int = WORKER_MEMORY):
        import multiprocessing  # deferred: a run of one file never starts workers
        self.ctx = multiprocessing.get_context("fork")
        self.jobs, self.input_shape, self.timeout, self.memory = jobs, input_shape, timeout, memory

    def run(self, files: list) -> list:
        import pickle  # deferred: workers only
        from multiprocessing.connection import wait  # deferred: workers only
        results: list = [None] * len(files)
        self.costs: list = [None] * len(files)
        todo = list(enumerate(files))[::-1]  # popped from the end: input order
        workers: list = []
        try:
            while todo or any(w.task for w in workers):
                while todo and len(workers) < self.jobs:
                    workers.append(_Worker(self.ctx, self.input_shape, self.memory, self.timeout))
                for w in workers:
                    if w.task is None and todo:
                        index, path = todo.pop()
                        w.conn.send((index, path))
                        stuck = self.timeout * WALL_FACTOR if self.timeout else None  # the worker's own timer is first
                        w.task = (index, path, time.monotonic() + stuck if stuck else None)
                busy = [w for w in workers if w.task]
                deadlines = [w.task[2] for w in busy if w.task[2] is not None]
                wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = wait([w.conn for w in busy], wait_for)
                for w in busy:
                    index, path, deadline = w.task
                    if w.conn in ready:
                        try:
                            got, result, cost = pickle.loads(w.conn.recv_bytes())
                            results[got], self.costs[got] = result, cost
                            w.task = None
                            continue
                        except (EOFError, OSError, pickle.UnpicklingError):
                            w.kill()
                            results[index] = FileResult(_display(path), error=_death_message(w.process.exitcode))
                    elif deadline is not None and time.monotonic() >= deadline:
                        w.kill()
                        results[index] = FileResult(_display(path), error=f"not checked: no progress after "
                                                    f"{self.timeout * WALL_FACTOR:g} s (stuck; --timeout-per-file)")
                    else:
                        continue
                    workers.remove(w)
            for w in workers:
                w.conn.send(None)
        finally:
            for w in workers:
                if w.process.is_alive():
                    w.process.join(timeout=1.0)
                    if w.process.is_alive():
                        w.kill()
        return results


def _death_message(exitcode) -> str:
    if exitcode is not None and exitcode < 0:
        name = {int(signal.SIGKILL): "SIGKILL, often the system running out of memory",
                int(signal.SIGSEGV): "SIGSEGV"}.get(-exitcode, f"signal {-exitcode}")
        return f"not checked: the process checking this file was killed ({name})"
    return f"not checked: the process checking this file stopped unexpectedly (exit code {exitcode})"
