"""Benchmarks for the PyTorch front-ends (not timed tests; run by hand, results go to bench/results/torch.md).

1. Live check of a ~10B-parameter model: 48 nn.TransformerEncoderLayer at d_model 4096 (dim_feedforward 16384),
   built directly on the meta device so the benchmark itself allocates no weights. Each measurement runs in a fresh
   subprocess: wall time of ``shapelint.check(model, input_shape=...)`` and peak RSS of the whole process (which
   includes importing torch; the RSS after the imports is reported separately).
2. ``shapelint check FILE`` vs ``python FILE`` (which imports torch and runs the model for real) on the PyTorch
   example cases.

Usage: .venv/bin/python bench/torch_live_bench.py [--write]
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CASES = ROOT.parent / "shared" / "cases"

LIVE = r'''
import json, resource, time, warnings
warnings.simplefilter("ignore")
import torch, torch.nn as nn
import shapelint
def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
after_import = rss_mb()
with torch.device("meta"):
    layer = nn.TransformerEncoderLayer(d_model=4096, nhead=32, dim_feedforward=16384, batch_first=True)
    model = nn.TransformerEncoder(layer, num_layers=48, enable_nested_tensor=False)
params = sum(p.numel() for p in model.parameters())
built = rss_mb()
load = open("/proc/loadavg").read().split()[0]
walls, cpus = [], []
for _ in range(3):  # the first run also loads the rule modules
    t0, c0 = time.perf_counter(), time.process_time()
    result = shapelint.check(model, input_shape=(2, 512, 4096))
    walls.append(time.perf_counter() - t0)
    cpus.append(time.process_time() - c0)
dt, cpu, first, first_cpu = min(walls), min(cpus), walls[0], cpus[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = result.models[0].program.output
print(json.dumps({"params": params, "seconds": dt, "cpu_seconds": cpu, "first_seconds": first, "first_cpu_seconds": first_cpu, "load": load, "peak_rss_mb": peak, "rss_after_import_mb": after_import,
                  "rss_after_build_mb": built, "ops": len(result.models[0].program.ops),
                  "output": list(out.shape), "errors": len(result.errors)}))
'''


def live_bench() -> dict:
    p = subprocess.run([PY, "-c", LIVE], capture_output=True, text=True, timeout=600, cwd=ROOT)
    if p.returncode:
        raise SystemExit(p.stderr[-2000:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def timed(cmd: list) -> tuple:
    """(wall seconds, exit code, CPU seconds of the child)."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t0, p.returncode, cpu


def file_bench() -> list:
    rows = []
    shapelint = str(ROOT / ".venv" / "bin" / "shapelint")
    for case in sorted(CASES.glob("torch_*.py")):
        check = min(timed([shapelint, "check", "--format", "json", str(case)]) for _ in range(3))
        run = min(timed([PY, str(case)]) for _ in range(3))
        rows.append({"file": case.name, "shapelint_s": check[0], "shapelint_cpu": check[2], "python_s": run[0],
                     "python_cpu": run[2], "python_rc": run[1]})
    return rows


def main() -> None:
    live = live_bench()
    files = file_bench()
    lines = ["# PyTorch benchmarks", "",
             f"Machine: {os.cpu_count()} cores, shared; torch {_torch_version()}; "
             f"run `{Path(PY).name} bench/torch_live_bench.py --write`.", "",
             "## Live nn.Module check on the meta device", "",
             f"48 x nn.TransformerEncoderLayer(d_model=4096, nhead=32, dim_feedforward=16384), "
             f"{live['params'] / 1e9:.2f}B parameters, built on meta; input (2, 512, 4096).", "",
             "| measure | value | target |", "|---|---|---|",
             f"| `shapelint.check(model, input_shape=...)` wall time, best of 3 | {live['seconds']:.2f} s "
             f"(machine load average {live['load']} on {os.cpu_count()} cores) | < 2 s |",
             f"| same, first call in the process (loads the rules, warms torch's meta kernels) | "
             f"{live['first_seconds']:.2f} s wall / {live['first_cpu_seconds']:.2f} s CPU | |",
             f"| same, CPU time of the process, best of 3 | {live['cpu_seconds']:.2f} s | |",
             f"| peak RSS of the whole process (incl. `import torch`) | {live['peak_rss_mb']:.0f} MB | < 500 MB |",
             f"| RSS after `import torch, shapelint` | {live['rss_after_import_mb']:.0f} MB | |",
             f"| RSS after building the model on meta | {live['rss_after_build_mb']:.0f} MB | |",
             f"| ops recorded / output | {live['ops']} / {tuple(live['output'])} | |", "",
             "## `shapelint check FILE` vs `python FILE` (best of 3; wall time / CPU time)", "",
             "| file | shapelint check | python file.py | python exit |", "|---|---|---|---|"]
    for r in files:
        lines.append(f"| {r['file']} | {r['shapelint_s']:.2f} s / {r['shapelint_cpu']:.2f} s | "
                     f"{r['python_s']:.2f} s / {r['python_cpu']:.2f} s | {r['python_rc']} |")
    lines += ["", "The machine is shared by several jobs (see the load average), so wall times are inflated; CPU "
              "times show the work itself. The live check never allocates the model's 39 GB of float32 weights: "
              "the model is built on meta and checked through a structural meta copy. Leaf modules that have a shapelint rule "
              "(Linear, LayerNorm, Dropout ...) and nn.MultiheadAttention compute their output shape with the rule, "
              "and relu/add-like ops are answered directly, instead of torch's Python meta kernels; everything else "
              "(the forward code, other ops) runs on torch's meta tensors."]
    text = "\n".join(lines) + "\n"
    print(text)
    if "--write" in sys.argv:
        (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
        (ROOT / "bench" / "results" / "torch.md").write_text(text)


def _torch_version() -> str:
    p = subprocess.run([PY, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    return p.stdout.strip()


if __name__ == "__main__":
    main()
