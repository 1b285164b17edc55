"""Per-file isolation (issue #11) and folders in parallel (issue #12): whatever goes wrong on one file is that file's
one-line error, in every format, and every other file is reported in full; a worker that hangs, blows its memory or
dies is killed and reported; the report of a parallel run is the serial run's, byte for byte."""
import json
import os
import signal
import time
from pathlib import Path

import pytest

from shapelint import files, runner
from shapelint.cli import main
from shapelint.frontends.source import check as source_check

ROOT = Path(__file__).resolve().parents[2]
GOOD = "import torch\nimport torch.nn as nn\nm = nn.Linear(3, 4)\ny = m(torch.randn(2, 5))\n"  # one SHP101 error
FORMATS = ["text", "json", "concise", "sarif", "html"]
fork_only = pytest.mark.skipif(not runner._can_fork(), reason="the pool needs fork")


def _files(tmp_path, n=3):
    paths = []
    for i in range(n):
        p = tmp_path / f"f{i}.py"
        p.write_text(GOOD.replace("m =", f"m{i} = m =") if i != 1 else "BOOM = 1\n" + GOOD)
        paths.append(str(p))
    return paths


def _sabotage(monkeypatch, action):
    """Make checking any source that mentions BOOM do ``action`` (raise, hang, allocate, die)."""
    real = source_check.check_source

    def check_source(path, source, *a, **k):
        if "BOOM" in source:
            action()
        return real(path, source, *a, **k)
    monkeypatch.setattr(source_check, "check_source", check_source)
    monkeypatch.setattr(files, "check_source", check_source)  # where the file checker looks it up


def _raise():
    raise KeyError("boom")


def _recurse():
    def f(n):
        return f(n + 1)
    f(0)


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=fork_only)])
@pytest.mark.parametrize("action", [_raise, _recurse, lambda: (_ for _ in ()).throw(MemoryError())])
def test_a_failure_on_one_file_is_its_one_line_error_in_every_format(tmp_path, monkeypatch, capsys, jobs, action):
    _sabotage(monkeypatch, action)
    paths = _files(tmp_path)
    for fmt in FORMATS:
        code = main(["check", *paths, "--format", fmt, "--jobs", str(jobs)])
        out, err = capsys.readouterr()
        assert code == 2, fmt
        assert "Traceback" not in out + err
        assert sum(1 for line in err.splitlines() if "f1.py" in line) == 1, err  # one line for the bad file
        assert "not checked" in err
        for name in ("f0.py", "f2.py"):
            assert name in out, (fmt, name)
        if fmt == "json":
            files = json.loads(out)["files"]
            assert [Path(f["path"]).name for f in files] == ["f0.py", "f1.py", "f2.py"]
            assert files[1]["error"].startswith("not checked") and not files[1]["diagnostics"]
            assert [d["code"] for d in files[0]["diagnostics"] + files[2]["diagnostics"]] == ["SHP101", "SHP101"]


def _spin():
    while True:
        pass


@fork_only
def test_a_file_that_runs_forever_is_stopped_and_the_others_reported(tmp_path, monkeypatch):
    _sabotage(monkeypatch, _spin)
    result = runner.check_files(_files(tmp_path), jobs=2, timeout=1.0)
    assert "stopped after 1 s of CPU time" in result.files[1].error or "no progress" in result.files[1].error
    assert [len(f.diagnostics) for f in (result.files[0], result.files[2])] == [1, 1]


@fork_only
def test_a_stuck_worker_is_killed_and_the_others_reported(tmp_path, monkeypatch):
    _sabotage(monkeypatch, lambda: time.sleep(600))  # no CPU used: the wall-clock backstop kills it
    result = runner.check_files(_files(tmp_path), jobs=2, timeout=0.2)
    assert "no progress after 2 s" in result.files[1].error
    assert [len(f.diagnostics) for f in (result.files[0], result.files[2])] == [1, 1]


def test_the_time_limit_also_holds_in_process(tmp_path, monkeypatch):
    _sabotage(monkeypatch, _spin)
    result = runner.check_files(_files(tmp_path), jobs=1, timeout=1.0)
    assert "stopped after 1 s of CPU time" in result.files[1].error
    assert result.exit_code == 2 and len(result.files[2].diagnostics) == 1


@fork_only
def test_a_worker_that_dies_or_exceeds_its_memory_is_reported(tmp_path, monkeypatch):
    _sabotage(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    result = runner.check_files(_files(tmp_path), jobs=2)
    assert "killed (SIGKILL" in result.files[1].error
    assert [len(f.diagnostics) for f in (result.files[0], result.files[2])] == [1, 1]
    _sabotage(monkeypatch, lambda: bytearray(3 << 30))  # 3 GB: over the worker's limit
    result = runner.check_files(_files(tmp_path), jobs=2)
    assert "out of memory" in result.files[1].error, result.files[1].error
    assert [len(f.diagnostics) for f in (result.files[0], result.files[2])] == [1, 1]


@fork_only
@pytest.mark.parametrize("fmt", ["json", "text"])  # the other formats render the same results (see above)
def test_a_parallel_run_reports_exactly_what_a_serial_run_does(capsys, fmt):
    folder = str(ROOT / "examples")
    outs = []
    for jobs in ("1", "2"):
        code = main(["check", folder, "--format", fmt, "--jobs", jobs])
        outs.append((code, capsys.readouterr().out))
    assert outs[0] == outs[1]


def test_check_path_never_raises_on_a_nul_in_the_name():
    import shapelint
    result = shapelint.check("a\x00b.py")
    assert result.exit_code == 2 and "cannot read" in result.files[0].error


def test_jobs_and_timeout_options_are_validated(capsys):
    assert main(["check", "x.py", "--jobs", "0"]) == 2
    assert main(["check", "x.py", "--timeout-per-file", "-1"]) == 2
    assert "Traceback" not in capsys.readouterr().err
