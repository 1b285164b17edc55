"""Benchmarks for issue #2 (not timed tests): run with ``python bench/keras_bench.py``.

1. ``shapelint check`` on the seed article's examples vs running them under real Keras 3 (``python file.py``).
   The seed files import TensorFlow; this machine runs Keras 3 on the torch backend, so each file is run as the
   same program spelled with ``import keras`` (KERAS_BACKEND=torch). Both sides are whole processes, best of N.
2. Inference over a 10,000-layer Sequential: from source (parse + abstract interpretation + inference) and on an
   already-built Program (inference alone).
Writes bench/results/keras.md.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples").glob("seed_ex*.py"))
PY = sys.executable
SHAPELINT = [PY, "-m", "shapelint", "check", "--format", "json"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def as_keras3(src: str) -> str:
    return (src.replace("import tensorflow as tf", "import keras")
            .replace("from tensorflow.keras import layers", "from keras import layers")
            .replace("tf.keras.Sequential", "keras.Sequential")
            .replace("tf.random.normal", "keras.random.normal"))


def normal_env(**extra) -> dict:
    """A user's ordinary environment: byte-code caching on (this sandbox sets PYTHONDONTWRITEBYTECODE, which makes
    every Python start recompile its imports -- it slows both sides, shapelint's start-up most)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def best_of(cmd, env=None, n=REPEAT) -> float:
    env = env or normal_env()
    subprocess.run(cmd, capture_output=True, env=env, check=False)  # warm-up: byte-code caches, disk cache
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - t)
    return min(times)


def bench_seeds() -> list:
    env = normal_env(KERAS_BACKEND="torch")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            k3 = Path(tmp) / seed.name
            k3.write_text(as_keras3(seed.read_text()))
            t_keras = best_of([PY, str(k3)], env)
            t_lint = best_of(SHAPELINT + [str(seed)])
            rows.append((seed.name, t_lint, t_keras, t_keras / t_lint))
    return rows


def bench_inprocess_seed() -> float:
    from shapelint.frontends.source.check import check_source
    src = SEEDS[0].read_text()
    check_source("warm.py", src)
    t = time.perf_counter()
    n = 50
    for _ in range(n):
        check_source(str(SEEDS[0]), src)
    return (time.perf_counter() - t) / n


def deep_source(n: int) -> str:
    body = "".join("    layers.Dense(16, activation='relu'),\n" for _ in range(n))
    return ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
            f"model = keras.Sequential([\n    keras.Input(shape=(32,)),\n{body}    layers.Dense(10),\n])\n")


def bench_deep(n: int = 10_000) -> tuple:
    from shapelint.core.infer import infer
    from shapelint.core.program import Layer, Program
    from shapelint.core.registry import lookup
    from shapelint.core.values import Tensor
    from shapelint.frontends.source.check import check_source
    src = deep_source(n)
    check_source("warm.py", deep_source(10))
    t = time.perf_counter()
    result = check_source("deep.py", src)
    t_source = time.perf_counter() - t
    out = result.models[0].program.output
    assert len(result.models[0].program.ops) == n + 1, len(result.models[0].program.ops)
    sig = lookup("keras", "Dense").signature
    layers = []
    for i in range(n + 1):
        args, given, _ = sig.bind([16], {"activation": "relu"})
        layers.append(Layer("keras", "Dense", f"dense_{i}", args, set(given)))
    t = time.perf_counter()
    inf = infer(Program("deep", "keras"), [Tensor((None, 32))], layers)
    t_infer = time.perf_counter() - t
    assert inf.program.output.shape == (None, 16) and not inf.diagnostics
    return t_source, t_infer, out


def main() -> None:
    lines = ["# Keras benchmarks (issue #2)", "",
             f"Machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; best of {REPEAT} runs per command after one warm-up run, byte-code caching on.", ""]
    rows = bench_seeds()
    lines += ["## `shapelint check` vs running the file under real Keras 3 (torch backend)", "",
              "| file | shapelint check (s) | python file.py (s) | speed-up |", "|---|---:|---:|---:|"]
    for name, t_lint, t_keras, ratio in rows:
        lines.append(f"| {name} | {t_lint:.3f} | {t_keras:.3f} | {ratio:.0f}x |")
    per_file = bench_inprocess_seed()
    lines += ["", f"In-process check of one seed file (no interpreter start-up): {per_file * 1000:.1f} ms.", ""]
    t_source, t_infer, out = bench_deep()
    lines += ["## A 10,000-layer Sequential", "",
              f"- from source (parse + interpretation + inference): {t_source:.3f} s (output {out})",
              f"- inference alone on the built Program: {t_infer:.3f} s", ""]
    text = "\n".join(lines)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "keras.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
