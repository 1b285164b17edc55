"""Issue #12's table, reproduced in one run: every row a paired comparison, measured in this process's children.

    .venv/bin/python bench/speed_bench.py [--repeat N] [--rows lenet,empty,...]

Each row runs command A (shapelint) and command B (what a user would do instead) alternately, REPEAT times after one
warm-up each, in fresh processes with byte-code caching on (this sandbox sets PYTHONDONTWRITEBYTECODE; a user's
machine does not). Reported: CPU time (user + system of the process and its children, from ``wait4``) -- the
machine is shared, so wall time is noisier -- as medians, the median of the per-pair ratios, wall medians, and peak
RSS. Benchmarks, not timed tests.

Comparators: running the file with PyTorch; running the seed example with TensorFlow (a Python with TensorFlow from
SHAPELINT_BENCH_TF_PYTHON, else this one if it has TensorFlow; the row is skipped otherwise); ``torchtyc run`` (runs
the file on the meta device) where torchtyc is installed next to this Python.

Also: where the start-up time goes (``-X importtime``, plus the modules loaded through importlib, which importtime
does not see), and the live-Keras check (first call, memory, whether TensorFlow got imported).
Writes bench/results/speed.md and bench/results/speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent
SHAPELINT = [str(BIN / "shapelint")] if (BIN / "shapelint").exists() else [PY, "-m", "shapelint"]
LENET = ROOT / "examples" / "torch_lenet_28x28.py"
SEED1 = ROOT / "examples" / "seed_ex1_missing_flatten.py"


def env(**extra) -> dict:
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    e.setdefault("KERAS_BACKEND", "torch")
    e.update(extra)
    return e


def run(cmd, cwd=None, environ=None) -> dict:
    """One fresh process: CPU seconds (user + sys, children included), wall seconds, peak RSS in MB, exit code."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=environ or env())
    _, status, ru = os.wait4(p.pid, 0)
    return {"cpu": ru.ru_utime + ru.ru_stime, "wall": time.perf_counter() - t, "rss": ru.ru_maxrss / 1024,
            "rc": os.waitstatus_to_exitcode(status)}


def paired(a, b, repeat: int, environ_b=None) -> dict:
    """A and B alternately (warm-up first); medians and the median of per-pair ratios B/A."""
    run(a), run(b, environ=environ_b)
    ra, rb = [], []
    for _ in range(repeat):
        ra.append(run(a))
        rb.append(run(b, environ=environ_b))
    med = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
    return {"a_cpu": med(ra, "cpu"), "b_cpu": med(rb, "cpu"), "a_wall": med(ra, "wall"), "b_wall": med(rb, "wall"),
            "a_rss": max(r["rss"] for r in ra), "b_rss": max(r["rss"] for r in rb),
            "ratio_cpu": statistics.median(y["cpu"] / x["cpu"] for x, y in zip(ra, rb)),
            "ratio_wall": statistics.median(y["wall"] / x["wall"] for x, y in zip(ra, rb)),
            "a_rc": ra[-1]["rc"], "b_rc": rb[-1]["rc"], "n": repeat}


# -- generated inputs ---------------------------------------------------------------------------------------------
def keras_deep(n: int, error_at=None) -> str:
    rows = []
    for i in range(n):
        rows.append("    layers.Reshape((4, 5)),\n" if i == error_at else "    layers.Dense(16, activation='relu'),\n")
    return ("import keras\nfrom keras import layers\n\n"
            f"model = keras.Sequential([\n    keras.Input(shape=(32,)),\n{''.join(rows)}    layers.Dense(10),\n])\n")


def torch_deep(n: int, error_at=None) -> str:
    rows = "".join("    nn.Linear(17, 16),\n" if i == error_at else "    nn.Linear(16, 16),\n" for i in range(n))
    return ("import torch\nimport torch.nn as nn\n\n"
            f"model = nn.Sequential(\n    nn.Linear(32, 16),\n{rows}    nn.Linear(16, 10),\n)\n"
            "out = model(torch.randn(8, 32))\n")


def torch_cnn(depth: int, in_features: int) -> str:
    convs = "".join("    nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),\n" for _ in range(depth // 2))
    return ("import torch\nimport torch.nn as nn\n\n"
            f"model = nn.Sequential(\n    nn.Conv2d(3, 8, 3, padding=1),\n{convs}    nn.MaxPool2d(2), nn.Flatten(),\n"
            f"    nn.Linear({in_features}, 10),\n)\nout = model(torch.randn(8, 3, 32, 32))\n")


def model_files(folder: Path, n: int) -> None:
    """n model files: the examples and the corpus, round robin (each a real script with one or more models)."""
    sources = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))
    for i in range(n):
        src = sources[i % len(sources)]
        (folder / f"m{i:04d}_{src.name}").write_text(src.read_text())


def tf_python():
    for cand in [os.environ.get("SHAPELINT_BENCH_TF_PYTHON"), PY]:
        if cand and subprocess.run([cand, "-c", "import tensorflow"], capture_output=True,
                                   env=env(TF_CPP_MIN_LOG_LEVEL="3")).returncode == 0:
            return cand
    return None


# -- rows ---------------------------------------------------------------------------------------------------------
def rows_table(which: set, repeat: int, tmp: Path) -> list:
    out = []

    def row(key, what, a_label, b_label, a, b, kind="faster", n=repeat, environ_b=None, note=""):
        if key not in which:
            return
        print(f"  {key} ...", flush=True)
        r = paired(a, b, n, environ_b)
        r.update(key=key, what=what, a=a_label, b=b_label, kind=kind, note=note)
        out.append(r)

    row("lenet", f"`{LENET.relative_to(ROOT)}`", "shapelint check", "running it with torch",
        SHAPELINT + ["check", str(LENET)], [PY, str(LENET)])
    tfpy = tf_python() if "seed1" in which else None
    if tfpy:
        row("seed1", f"`{SEED1.relative_to(ROOT)}`", "shapelint check", "running it with TensorFlow",
            SHAPELINT + ["check", str(SEED1)], [tfpy, str(SEED1)], environ_b=env(TF_CPP_MIN_LOG_LEVEL="3"))
    elif "seed1" in which:
        print("  seed1: skipped (no Python with TensorFlow; set SHAPELINT_BENCH_TF_PYTHON)")
    torchtyc = shutil.which("torchtyc", path=str(BIN))
    if torchtyc:
        row("torchtyc", f"`{LENET.relative_to(ROOT)}`", "shapelint check", "torchtyc run (meta device)",
            SHAPELINT + ["check", str(LENET)], [torchtyc, "run", "--python", PY, str(LENET)])
    elif "torchtyc" in which:
        print("  torchtyc: skipped (not installed next to this Python)")
    empty = tmp / "empty.py"
    empty.write_text("")
    row("empty", "`shapelint check empty.py`", "shapelint check", "`python -c pass`",
        SHAPELINT + ["check", str(empty)], [PY, "-c", "pass"], kind="slower")
    deep = tmp / "deep10k.py"
    deep.write_text(keras_deep(10_000))
    row("deep_text", "10,000-layer Sequential (Keras), text", "text (default)", "`--format json`",
        SHAPELINT + ["check", str(deep)], SHAPELINT + ["check", "--format", "json", str(deep)], n=max(3, repeat // 2))
    deep_err = tmp / "deep10k_error.py"
    deep_err.write_text(keras_deep(10_000, error_at=9_000))
    row("deep_error", "10,000-layer Sequential (Keras), error at layer 9,000, text", "with the error",
        "the correct model", SHAPELINT + ["check", str(deep_err)], SHAPELINT + ["check", str(deep)], kind="cost",
        n=max(3, repeat // 2))
    tdeep, tdeep_err = tmp / "tdeep10k.py", tmp / "tdeep10k_error.py"
    tdeep.write_text(torch_deep(10_000))
    tdeep_err.write_text(torch_deep(10_000, error_at=9_000))
    row("deep_error_torch", "10,000-layer nn.Sequential, error at layer 9,000, text", "with the error",
        "the correct model", SHAPELINT + ["check", str(tdeep_err)], SHAPELINT + ["check", str(tdeep)], kind="cost",
        n=max(3, repeat // 2))
    cnn_ok, cnn_err = tmp / "cnn50.py", tmp / "cnn50_error.py"
    cnn_ok.write_text(torch_cnn(50, 8 * 16 * 16))
    cnn_err.write_text(torch_cnn(50, 8 * 14 * 14))  # the input-size note runs here
    row("cnn_error", "50-layer CNN, wrong `in_features` (input-size note), text", "with the error",
        "the correct model", SHAPELINT + ["check", str(cnn_err)], SHAPELINT + ["check", str(cnn_ok)], kind="cost")
    if "files" in which:
        folder = tmp / "files"
        folder.mkdir()
        model_files(folder, 1000)
        parse = ("import ast, pathlib, sys\n"
                 "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.py')): ast.parse(p.read_text())\n")
        row("files", "1,000 model files, one call (`--format json`)", "shapelint check FOLDER",
            "`ast.parse` of the same files", SHAPELINT + ["check", "--format", "json", "--exit-zero", str(folder)],
            [PY, "-c", parse, str(folder)], kind="slower", n=max(2, repeat // 3))
    return out


LIVE = r'''
import json, os, resource, sys, time
sys.setrecursionlimit(20000)  # Keras itself recurses once per layer when it builds a 1,000-layer model
import keras
from keras import layers
import numpy as np
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
model = keras.Sequential([keras.Input(shape=(32,))] + [layers.Dense(16) for _ in range(1000)])
x = np.zeros((8, 32), "float32")
model(x)
t = time.process_time(); w = time.perf_counter(); model(x)
call_cpu, call_wall = time.process_time() - t, time.perf_counter() - w
before = rss()
t = time.process_time(); w = time.perf_counter()
import shapelint
result = shapelint.check(model)
first_cpu, first_wall = time.process_time() - t, time.perf_counter() - w
grown = rss() - before
t = time.process_time(); shapelint.check(model); second_cpu = time.process_time() - t
assert tuple(result.models[0].program.output.shape) == (None, 16)
print(json.dumps({"check_cpu": first_cpu, "check_wall": first_wall, "second_cpu": second_cpu, "rss_growth_mb": grown,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "call_cpu": call_cpu, "call_wall": call_wall, "tensorflow_imported": "tensorflow" in sys.modules,
                  "backend": keras.backend.backend()}))
'''


def live_keras(python: str, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([python, "-c", LIVE], capture_output=True, text=True,
                              env=env(TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT / "src")))
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], float)}
    med.update(tensorflow_imported=any(r["tensorflow_imported"] for r in runs), backend=runs[0]["backend"],
               n=repeat, python=python)
    return med


# -- where start-up goes ------------------------------------------------------------------------------------------
def importtime(cmd, repeat: int = 5) -> dict:
    """Per module: the smallest self and cumulative microseconds over runs (-X importtime)."""
    best: dict = {}
    for _ in range(repeat):
        err = subprocess.run([PY, "-X", "importtime"] + cmd, capture_output=True, text=True, env=env()).stderr
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            head, cum, name = line.split("|")
            key = name.strip()
            own = int(head.split(":")[1])
            if key not in best:
                best[key] = [own, int(cum), len(name) - len(name.lstrip())]
            else:
                best[key][0] = min(best[key][0], own)
                best[key][1] = min(best[key][1], int(cum))
    return best


DATACLASSES = r'''
import dataclasses, io, json, sys, time
orig = dataclasses._process_class
spent = [0.0, 0]
def timed(*a, **k):
    t = time.process_time(); r = orig(*a, **k); spent[0] += time.process_time() - t; spent[1] += 1; return r
dataclasses._process_class = timed
t0 = time.process_time()
from shapelint.cli import main
sys.stdout = io.StringIO()
main(["check", sys.argv[1]])
sys.stdout = sys.__stdout__
print(json.dumps({"n": spent[1], "dataclasses": spent[0], "total": time.process_time() - t0}))
'''


LOADED = r'''
import io, json, sys
from shapelint.cli import main
sys.stdout = io.StringIO()
main(["check", sys.argv[1]])
sys.stdout = sys.__stdout__
print(json.dumps([len(sys.modules), len([m for m in sys.modules if m.startswith("shapelint")])]))
'''


INVISIBLE = r'''
import importlib, json, sys, time
import shapelint.api, shapelint.frontends.source.check
out = {}
c = time.process_time
t = c(); from shapelint.frontends.source import api; api.load_always()
out["library knowledge every file with an import loads (api.ALWAYS, loaded with importlib)"] = c() - t
t = c(); api.load_all()
out["the rest, each at the first name of its packages (api.SUPPORT)"] = c() - t
t = c(); from shapelint.core import registry; registry._load("torch")
out["PyTorch rules (loaded with importlib)"] = c() - t
t = c(); registry._load("keras"); out["Keras rules (loaded with importlib)"] = c() - t
print(json.dumps(out))
'''


def startup_report(tmp: Path, repeat: int) -> list:
    lines = []
    empty = tmp / "empty.py"
    script = SHAPELINT[0] if len(SHAPELINT) == 1 else None
    for label, target in (("`shapelint check empty.py`", empty), ("`shapelint check` on the LeNet example", LENET)):
        cmd = [script, "check", str(target)] if script else ["-m", "shapelint", "check", str(target)]
        best = importtime(cmd, repeat)
        total = sum(v[0] for v in best.values()) / 1000
        ours = [k for k in best if k.startswith("shapelint")]
        loaded = json.loads(subprocess.run([PY, "-c", LOADED, str(target)], capture_output=True, text=True,
                                           env=env()).stdout.strip().splitlines()[-1])
        lines += [f"### {label}", "",
                  f"`-X importtime`, smallest of {repeat} runs: {len(best)} modules, {total:.1f} ms of imports in "
                  f"all; {len(ours)} of them shapelint's ({sum(best[k][0] for k in ours) / 1000:.1f} ms self). "
                  f"Loaded at the end of the run, importlib's included (`sys.modules`): {loaded[0]} modules, "
                  f"{loaded[1]} of them shapelint's. The heaviest, cumulative:", "",
                  "| module | self ms | cumulative ms |", "|---|---:|---:|"]
        top = sorted(best.items(), key=lambda kv: -kv[1][1])
        shown = [kv for kv in top if kv[1][2] <= 4][:14]
        lines += [f"| {k} | {v[0] / 1000:.1f} | {v[1] / 1000:.1f} |" for k, v in shown]
        lines.append("")
    vals = [json.loads(subprocess.run([PY, "-c", INVISIBLE], capture_output=True, text=True,
                                      env=env()).stdout.strip().splitlines()[-1]) for _ in range(repeat)]
    lines += ["`-X importtime` does not see modules loaded through `importlib.import_module` (the per-framework rule "
              "packages and the library-knowledge modules); their cost in-process (CPU, median of "
              f"{repeat} fresh processes; a file loads the rules of the frameworks it uses only):", ""]
    lines += [f"- {k}: {statistics.median(v[k] for v in vals) * 1000:.1f} ms" for k in vals[0]]
    lines.append("")
    dc = [json.loads(subprocess.run([PY, "-c", DATACLASSES, str(LENET)], capture_output=True, text=True,
                                    env=env()).stdout.strip().splitlines()[-1]) for _ in range(repeat)]
    lines += [f"Creating dataclasses (`@dataclass` compiles each generated method) in the LeNet run: {dc[0]['n']} "
              f"classes, {statistics.median(d['dataclasses'] for d in dc) * 1000:.1f} ms of the "
              f"{statistics.median(d['total'] for d in dc) * 1000:.1f} ms the run takes after the interpreter has "
              "started (CPU, medians).", ""]
    return lines


# -- report -------------------------------------------------------------------------------------------------------
def fmt_row(r: dict) -> str:
    if r["kind"] == "faster":
        verdict = f"{r['ratio_cpu']:.1f}× faster"
    elif r["kind"] == "slower":
        verdict = f"{r['ratio_cpu']:.2f} (B/A; {1 / r['ratio_cpu']:.1f}× slower)"
    else:
        verdict = f"{1 / r['ratio_cpu']:.2f}× the correct model's time"
    return (f"| {r['what']} | {r['a']}: {r['a_cpu']:.3f} s ({r['a_wall']:.2f} s wall, {r['a_rss']:.0f} MB) | "
            f"{r['b']}: {r['b_cpu']:.3f} s ({r['b_wall']:.2f} s wall, {r['b_rss']:.0f} MB) | {verdict} "
            f"(wall {r['ratio_wall']:.1f}) | {r['n']} |")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "7")))
    ap.add_argument("--rows", default="lenet,seed1,torchtyc,empty,deep_text,deep_error,deep_error_torch,cnn_error,"
                                      "files,live,startup")
    args = ap.parse_args(argv)
    which = set(args.rows.split(","))
    # byte-compiled, as an installed package is
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], capture_output=True)
    load = open("/proc/loadavg").read().split()[0]
    results = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "load_before": load, "rows": []}
    lines = ["# Speed (issue #12)", "",
             f"Machine: {os.cpu_count()} CPUs, load average {load} when the run started (a shared machine); "
             f"Python {results['python']}. Every row is paired: A and B alternate in fresh processes, "
             f"after one warm-up each; CPU time (user + system, children included) is the measure, medians; the "
             f"ratio is the median of the per-pair ratios. Byte-code caching on. Reproduce: "
             "`.venv/bin/python bench/speed_bench.py`.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("paired rows:", flush=True)
        rows = rows_table(which, args.repeat, tmp)
        results["rows"] = rows
        lines += ["| what | A: shapelint (CPU, wall, peak RSS) | B: comparator | ratio (CPU) | pairs |",
                  "|---|---|---|---|---|"]
        lines += [fmt_row(r) for r in rows]
        lines.append("")
        if "live" in which:
            print("  live keras ...", flush=True)
            pythons = [PY] + ([tf_python()] if tf_python() not in (None, PY) else [])
            results["live"] = []
            lines += ["## Live Keras model, 1,000 Dense layers (torch backend)", "",
                      "| Python | `shapelint.check(model)` first call (CPU / wall) | second call | memory growth | "
                      "`model(x)` | TensorFlow imported |", "|---|---|---|---|---|---|"]
            for py in pythons:
                r = live_keras(py, max(3, args.repeat // 2))
                results["live"].append(r)
                if "error" in r:
                    lines.append(f"| {py} | failed: {r['error']} | | | | |")
                    continue
                lines.append(f"| {py} | {r['check_cpu']:.3f} s / {r['check_wall']:.3f} s | {r['second_cpu']:.3f} s | "
                             f"+{r['rss_growth_mb']:.0f} MB | {r['call_cpu']:.3f} s | "
                             f"{'yes' if r['tensorflow_imported'] else 'no'} |")
            lines.append("")
        if "startup" in which:
            print("  start-up ...", flush=True)
            lines += ["## Where start-up goes", ""] + startup_report(tmp, 5)
    text = "\n".join(lines)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    name = "speed" if args.rows == ap.get_default("rows") else "speed-partial"  # a partial run keeps the full one
    (out / f"{name}.md").write_text(text)
    (out / f"{name}.json").write_text(json.dumps(results, indent=1))
    print(text)


if __name__ == "__main__":
    main()
