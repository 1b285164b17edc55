#!/usr/bin/env python3
"""Run every corpus script with the real frameworks and record what happened in its NAME.expect.json.

Usage: tools/verify_corpus.py [DIR=tests/corpus] [--only NAME ...] [--check]

Each script runs in its own process (forked from one that has imported keras and torch, KERAS_BACKEND=torch). Nothing is downloaded: ``keras.datasets.*.load_data``
returns zero arrays with the real shapes and dtypes, and tools/shims stands in for torchvision and sklearn's
train_test_split, tools/shims_tf for ``tensorflow.keras`` (none of them is installed in the venv). The ``verified`` field gets the framework
versions, the exception (``Type: message``, first line) or null, and the shape printed on an ``OUTPUT_SHAPE`` line.
A script whose recorded outcome contradicts its expected outcome (an "error" case that ran, an "ok"/"silent" case
that raised) is listed and makes the exit code 1; ``--check`` only reports, it writes nothing.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIMS = ROOT / "tools" / "shims"  # torchvision, sklearn; tools/shims_tf has tensorflow (added per script)

FAKE_SHAPES = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), "uint8", "uint8", 10),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), "uint8", "uint8", 10),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), "uint8", "uint8", 10),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), "uint8", "int64", 100),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,), "float64", "float64", None),
}


def _patch_datasets(keras, np):
    """keras.datasets.X.load_data without a download: zero images and random labels with the real shapes."""
    def fake(name):
        xs, ys, xts, yts, xd, yd, classes = FAKE_SHAPES[name]

        def load_data(*a, **k):
            rng = np.random.default_rng(0)

            def y(shape):
                if classes:
                    return rng.integers(0, classes, size=shape).astype(yd)
                return rng.random(shape).astype(yd)
            return (np.zeros(xs, xd), y(ys)), (np.zeros(xts, xd), y(yts))
        return load_data
    for n in FAKE_SHAPES:
        getattr(keras.datasets, n).load_data = fake(n)

    def sequences(n_train, n_test, classes):
        """imdb / reuters: lists of word ids of varying length, integer labels."""
        def load_data(*a, num_words=None, **k):
            rng = np.random.default_rng(0)
            top = num_words or 10000

            def xs(n):
                out = np.empty(n, dtype=object)
                for i in range(n):
                    out[i] = list(rng.integers(1, top, size=20 + i % 200))
                return out
            return ((xs(n_train), rng.integers(0, classes, n_train)), (xs(n_test), rng.integers(0, classes, n_test)))
        return load_data
    keras.datasets.imdb.load_data = sequences(25000, 25000, 2)
    keras.datasets.reuters.load_data = sequences(8982, 2246, 46)


def _child(path: Path, wfd: int) -> None:
    """Run one script in a forked child; report ``exception`` and ``OUTPUT_SHAPE`` through the pipe."""
    import io
    import runpy
    import contextlib
    out = io.StringIO()
    exc_text = None
    try:
        os.chdir(path.parent)
        if "tensorflow" in path.read_text():  # tensorflow.keras -> keras (only where a script imports it)
            sys.path.insert(0, str(ROOT / "tools" / "shims_tf"))
        sys.argv = [str(path)]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            if path.suffix == ".ipynb":  # the code cells in order, magics and shell lines left out
                sys.path.insert(0, str(ROOT / "src"))
                from shapelint.frontends.notebook import notebook_script
                code, _, _ = notebook_script(path.read_text())
                exec(compile(code, str(path), "exec"), {"__name__": "__main__"})
            else:
                runpy.run_path(str(path), run_name="__main__")
    except BaseException as exc:  # noqa: BLE001 -- whatever the script raises is the result
        msg = " ".join(str(exc).split())
        exc_text = f"{type(exc).__name__}: {msg[:400]}"
    shape = None
    for line in out.getvalue().splitlines():
        if line.startswith("OUTPUT_SHAPE"):
            try:
                shape = list(ast.literal_eval(line[len("OUTPUT_SHAPE"):].strip()))
            except Exception:
                shape = None
    os.write(wfd, json.dumps({"exception": exc_text, "output_shape": shape}).encode())
    os.close(wfd)
    os._exit(0)


def run_one(path: Path, timeout: int = 300) -> dict:
    """Fork from the server process (keras and torch already imported) and run ``path`` in the child."""
    import select
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(path, w)
    os.close(w)
    chunks, deadline = [], time.time() + timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(r)
            return {"exception": "timeout", "output_shape": None}
        ready, _, _ = select.select([r], [], [], min(left, 1.0))
        if ready:
            data = os.read(r, 65536)
            if not data:
                break
            chunks.append(data)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode())
    except ValueError:
        return {"exception": f"the script ended the process (status {status})", "output_shape": None}


def _script(exp_path: Path) -> Path:
    """NAME.py, or NAME.ipynb for a notebook."""
    py = exp_path.with_name(exp_path.name.replace(".expect.json", ".py"))
    return py if py.exists() else exp_path.with_name(exp_path.name.replace(".expect.json", ".ipynb"))


def shims_used(src: str) -> list:
    used = []
    if "keras.datasets" in src or ".load_data()" in src:
        used.append("keras.datasets (zero arrays, real shapes)")
    for mod in ("torchvision", "sklearn", "tensorflow"):
        if f"import {mod}" in src or f"from {mod}" in src:
            used.append(mod)
    return used


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?", default=str(ROOT / "tests" / "corpus"))
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    folder = Path(a.dir).resolve()
    cases = sorted(folder.glob("*.expect.json"))
    if a.only:
        cases = [c for c in cases if c.name.replace(".expect.json", "") in a.only]
    bad = []
    sys.path.insert(0, str(SHIMS))
    os.environ["KERAS_BACKEND"] = "torch"
    import warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    import torch
    import keras
    torch.set_num_threads(1)
    _patch_datasets(keras, np)
    ran_with = f"keras {keras.__version__} (torch backend) / torch {torch.__version__}"
    for c in cases:
        exp_path = c
        got = run_one(_script(c))
        if True:
            exp = json.loads(exp_path.read_text())
            src = _script(exp_path).read_text()
            verified = {"ran_with": ran_with, "exception": got["exception"], "output_shape": got["output_shape"]}
            shims = shims_used(src)
            if shims:
                verified["shims"] = shims
            raised = got["exception"] is not None
            agrees = raised == (exp["outcome"] == "error")
            name = exp_path.name.replace(".expect.json", "")
            print(f"{'ok ' if agrees else 'BAD'} {name}: {got['exception'] or got['output_shape']}", flush=True)
            if not agrees:
                bad.append(name)
            if not a.check:
                exp["verified"] = verified
                if exp["outcome"] == "ok" and got["output_shape"]:
                    exp["output"] = [None] + list(got["output_shape"][1:])
                exp_path.write_text(json.dumps(exp, indent=1) + "\n")
    if bad:
        print("outcome contradicts the framework:", ", ".join(sorted(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
