"""A mutation fuzzer for shapelint: mutate the scripts of the corpus (and notebooks and saved-model configs made from
them), check the mutants in batches the way the command line does, and hold every file to the contract:

* no internal error (no file reported as "shapelint failed on this file", killed, or stopped by the time limit);
* the JSON report is valid JSON, and every format renders;
* the exit code is 0, 1 or 2;
* each file's check stays within ``MAX_CPU_SECONDS`` of CPU time and ``MAX_PEAK_MB`` of memory.

The test suite runs a few hundred inputs (tests/robustness/test_fuzz.py); a release runs it long::

    python tests/robustness/fuzzing.py --inputs 100000 --seed 1 --out fuzz-findings/

which prints the figures (inputs, internal errors, hangs, invalid JSON, the slowest file, the peak memory) and keeps
every failing input in ``--out`` to reproduce with ``shapelint check FILE``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_CPU_SECONDS = 10.0
MAX_PEAK_MB = 500.0
FAILURE_WORDS = ("failed on this file", "was killed", "stopped unexpectedly", "ran out of memory")
HANG_WORDS = ("stopped after", "no progress")


def seeds() -> list:
    files = sorted((ROOT / "tests" / "corpus").glob("*.py")) + sorted((ROOT / "examples").glob("*.py")) + \
        sorted((ROOT / "docs" / "codes" / "examples").glob("*.py"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


# -- mutations --------------------------------------------------------------------------------------------------
_INTS = [0, 1, -1, 2, 3, 7, 64, 10_000, 10_001, 2 ** 31, 10 ** 40, -(10 ** 9)]
_SNIPPETS = [
    "for _ in range(100000):\n    pass\n", "while True:\n    x = x + x\n", "s = 'a' * 10000\ns = s * 10000\n",
    "l = [1]\nfor _ in range(64):\n    l = l + l\n", "t = (1,)\nfor _ in range(64):\n    t = (t, t)\n",
    "x = " + "+".join(["1"] * 600) + "\n", "def f(x):\n    return f(x)\nf(1)\n", "l = []\nl.append(l)\nprint(l)\n",
    "x = [" * 150 + "]" * 150 + "\n", "import torch\nx = torch.randn(10**40, 3)\n", "y = 2 ** 10 ** 8\n",
    "z = '%0999999999d' % 1\n", "global g\n", "del model\n", "raise SystemExit\n", "import keras\nkeras.Sequential(*" \
    "[1])\n", "exec('1')\n", "lambda: (yield)\n", "async def g():\n    await x\n", "match x:\n    case 1:\n        pass\n",
]


def _mutate_text(rng: random.Random, text: str, pool: list) -> str:
    lines = text.split("\n")
    kind = rng.randrange(16)
    i = rng.randrange(len(lines)) if lines else 0
    if kind == 0 and lines:
        del lines[i]
    elif kind == 1 and lines:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 2 and len(lines) > 1:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == 3:
        nums = list(re.finditer(r"\b\d+\b", text))
        if nums:
            m = rng.choice(nums)
            return text[:m.start()] + str(rng.choice(_INTS)) + text[m.end():]
    elif kind == 4:
        return text[: rng.randrange(len(text) + 1)]
    elif kind == 5:
        other = rng.choice(pool).split("\n")
        return "\n".join(lines[:i] + other[rng.randrange(len(other) + 1):])
    elif kind == 6 and lines:
        lines[i] = " " * rng.choice([1, 2, 3, 4, 8]) + lines[i]
    elif kind == 7:
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + rng.choice(["(", ")", "[", "]", ":", ",", "\\", "'", '"""', "\x00", "\r", "\t", "*",
                                        "**", "lambda", "yield", "not ", "-", "@"]) + text[pos:]
    elif kind == 8:
        lines.insert(i, rng.choice(_SNIPPETS))
    elif kind == 9 and lines:
        block = lines[i:i + rng.randint(1, 8)]
        lines[i:i] = block * rng.choice([2, 10, 100])
    elif kind == 10:
        idents = list(re.finditer(r"\b[A-Za-z_]\w*\b", text))
        if idents:
            a, b = rng.choice(idents), rng.choice(idents)
            return text[:a.start()] + b.group() + text[a.end():]
    elif kind == 11 and lines:
        lines[i] = "if x:\n    " + lines[i].strip() + "\nelse:\n    pass"
    elif kind == 12 and lines:
        lines[i] = f"for i in range({rng.choice(_INTS)}):\n    " + lines[i].strip()
    elif kind == 13:
        text = text.replace("\n", rng.choice(["\r\n", "\r"]))
        return text
    elif kind == 14 and lines:
        lines[i] = lines[i].replace("(", "((", 1).replace(")", "))", 1)
    else:
        pos = rng.randrange(len(text) + 1)
        return text[:pos] + text[pos:pos + rng.randint(0, 40)] + text[pos:]
    return "\n".join(lines)


def mutant(rng: random.Random, pool: list) -> tuple:
    """(file name suffix, bytes) of one fuzzed input."""
    text = rng.choice(pool)
    for _ in range(rng.choice([1, 1, 2, 3, 5, 8])):
        text = _mutate_text(rng, text, pool)
    roll = rng.random()
    if roll < 0.08:  # a notebook of the mutant's pieces, sometimes malformed
        cells = [{"cell_type": rng.choice(["code", "code", "markdown", 3]), "metadata": {},
                  "source": rng.choice([part, part.splitlines(True), [1, part], None, {"a": part}])}
                 for part in text.split("\n\n")]
        nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        data = json.dumps(nb)
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data) + 1)]
        return ".ipynb", data.encode()
    if roll < 0.12:  # a saved-model config, mutated as JSON text
        layers = [{"class_name": rng.choice(["Dense", "Conv2D", "Flatten", "LSTM", "Reshape", "Bogus", 7]),
                   "config": {"units": rng.choice(_INTS), "filters": rng.choice(_INTS), "kernel_size": 3,
                              "target_shape": [rng.choice(_INTS), 2], "name": f"l{k}"}}
                  for k in range(rng.randint(0, 6))]
        cfg = {"class_name": rng.choice(["Sequential", "Functional", "Model", None]),
               "config": {"name": "m", "layers": [{"class_name": "InputLayer",
                                                   "config": {"batch_shape": [None, rng.choice(_INTS), 3]}}] + layers}}
        data = json.dumps(cfg)
        if rng.random() < 0.3:
            data = _mutate_text(rng, data, [data])
        return ".json", data.encode()
    data = text.encode("utf-8", errors="surrogatepass")
    if rng.random() < 0.03:
        data = data.replace(b"e", b"\xe9", 1)  # invalid UTF-8
    return ".py", data


# -- running ----------------------------------------------------------------------------------------------------
def check_batch(paths: list, jobs: int = 2) -> dict:
    """Check ``paths`` as the command line does; the problems found, per kind."""
    from shapelint.reporters.json import render_json
    from shapelint.runner import check_files
    costs: list = []
    result = check_files([str(p) for p in paths], jobs=jobs, costs=costs)
    problems = {"internal": [], "hang": [], "json": [], "exit": [], "slow": [], "memory": [], "render": []}
    try:
        report = json.loads(render_json(result))
        assert [f["path"] for f in report["files"]] == [str(p) for p in paths]
    except Exception as exc:  # noqa: BLE001 - any failure here is a finding
        problems["json"].append((None, repr(exc)))
    if result.exit_code not in (0, 1, 2):
        problems["exit"].append((None, result.exit_code))
    for path, f, cost in zip(paths, result.files, costs):
        if f.error and any(w in f.error for w in HANG_WORDS):
            problems["hang"].append((path, f.error))
        elif f.error and any(w in f.error for w in FAILURE_WORDS):
            problems["internal"].append((path, f.error))
        if cost is not None and cost.cpu_seconds > MAX_CPU_SECONDS:
            problems["slow"].append((path, round(cost.cpu_seconds, 2)))
        if cost is not None and file_mb(cost) > MAX_PEAK_MB:
            problems["memory"].append((path, round(file_mb(cost))))
    from shapelint.cli import render
    # the text tables of a batch with thousands of layers take minutes in rich (issue #12 makes them fast): the
    # tables are rendered for ordinary batches, the rest of the text report for all
    tables = sum(len(m.program.ops) for m in result.models) <= 5000
    for fmt in ("text", "concise", "sarif", "html"):
        try:
            render(result, fmt, _NullOut(), show_tables=tables)
        except Exception as exc:  # noqa: BLE001
            problems["render"].append((fmt, repr(exc)))
    problems["costs"] = costs
    return problems


FRESH_PROCESS_MB = 60.0  # a fresh `shapelint check` process before it reads anything


def file_mb(cost) -> float:
    """Peak memory of a shapelint process checking the file: what the worker added to what it was forked with (this
    harness grows as it renders batches; a worker starts with the harness's memory), plus a fresh process's."""
    return cost.peak_rss_mb - cost.start_rss_mb + FRESH_PROCESS_MB if cost.start_rss_mb else cost.peak_rss_mb


class _NullOut:
    def write(self, text):
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False


def fuzz(n: int, seed: int = 0, batch: int = 200, jobs: int = 2, out=None, log=None) -> dict:
    rng = random.Random(seed)
    pool = seeds()
    totals = {k: 0 for k in ("inputs", "internal", "hang", "json", "exit", "slow", "memory", "render")}
    worst_cpu, worst_mb, findings = 0.0, 0.0, []
    work = Path(tempfile.mkdtemp(prefix="shapelint-fuzz-"))
    started = time.time()
    try:
        done = 0
        while done < n:
            paths = []
            for k in range(min(batch, n - done)):
                suffix, data = mutant(rng, pool)
                p = work / f"m{done + k:06d}{suffix}"
                p.write_bytes(data)
                paths.append(p)
            found = check_batch(paths, jobs=jobs)
            for kind, items in found.items():
                if kind == "costs":
                    continue
                totals[kind] += len(items)
                findings.extend((kind, str(p), detail) for p, detail in items)
                if out is not None:
                    for p, _ in items:
                        if isinstance(p, Path):
                            Path(out).mkdir(parents=True, exist_ok=True)
                            shutil.copy(p, Path(out) / p.name)
            for c in found["costs"]:
                if c is not None:
                    worst_cpu, worst_mb = max(worst_cpu, c.cpu_seconds), max(worst_mb, file_mb(c))
            done += len(paths)
            totals["inputs"] = done
            for p in paths:
                p.unlink()
            if log is not None:
                print(f"{done} inputs, {time.time() - started:.0f} s: " +
                      ", ".join(f"{k} {v}" for k, v in totals.items() if k != "inputs") +
                      f"; slowest {worst_cpu:.2f} s CPU, peak {worst_mb:.0f} MB", file=log, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {**totals, "slowest_cpu_seconds": round(worst_cpu, 2), "peak_mb": round(worst_mb),
            "wall_seconds": round(time.time() - started), "findings": findings[:200]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", default=None, help="folder to keep the failing inputs in")
    args = ap.parse_args(argv)
    summary = fuzz(args.inputs, args.seed, args.batch, args.jobs, args.out, log=sys.stderr)
    print(json.dumps(summary, indent=1, default=str))
    bad = sum(summary[k] for k in ("internal", "hang", "json", "exit", "slow", "memory", "render"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
