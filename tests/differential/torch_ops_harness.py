"""Differential harness for torch functions, tensor methods, operators and F.* ops: a tiny script
``x = torch.randn(...); y = <op>`` run with real torch and through shapelint's source evaluator (never executed),
comparing y's shape (nested for tuples) and error vs no error."""
from __future__ import annotations

import ast
import random
import warnings
from typing import Callable, Optional

PRELUDE = "import torch\nimport torch.nn.functional as F\n"


def torch_result(setup: str, expr: str):
    import torch
    import torch.nn.functional as F
    ns = {"torch": torch, "F": F}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(setup, ns)  # noqa: S102 -- generated test code
        try:
            with torch.no_grad():
                y = eval(expr, ns)  # noqa: S307
        except Exception as exc:
            return "error", f"{type(exc).__name__}: {str(exc)[:200]}"
    return "ok", _shape(y)


def _shape(v):
    import torch
    if isinstance(v, torch.Tensor):
        return tuple(v.shape)
    if isinstance(v, (tuple, list)):
        return tuple(_shape(i) for i in v)
    return None


def _ours_shape(v):
    from shapelint.core.values import Tensor, TensorTuple
    from shapelint.frontends.source.objects import TensorVal
    if isinstance(v, TensorVal):
        v = v.value
    if isinstance(v, Tensor):
        return tuple(v.shape) if v.shape is not None else "?"
    if isinstance(v, TensorTuple):
        return tuple(_ours_shape(i) for i in v.items)
    if isinstance(v, tuple):
        return tuple(_ours_shape(i) for i in v)
    return "?"


def shapelint_result(setup: str, expr: str):
    from shapelint.frontends.source.evaluator import Evaluator
    source = PRELUDE + setup + f"\ny = {expr}\n"
    ev = Evaluator("ops.py", source, ast.parse(source))
    ev.run()
    diags = []
    inf = ev.state.script_run
    if inf is not None:
        diags = [d for d in inf.diagnostics]
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        return "error", "; ".join(f"{d.code} {d.message}" for d in errors)
    y = ev.module.vars.get("y")
    return "ok", _ours_shape(y), "; ".join(f"{d.code} {d.message}" for d in diags)


def compare(setup: str, expr: str) -> Optional[str]:
    real = torch_result(setup, expr)
    ours = shapelint_result(setup, expr)
    if real[0] == ours[0] and (real[0] == "error" or real[1] == ours[1]):
        return None
    return f"{setup.strip()} ; y = {expr}\n  torch:     {real}\n  shapelint: {ours}"


def run_generated(generate: Callable[[random.Random], tuple], n: int, seed: int = 0) -> tuple:
    import torch
    torch.set_num_threads(1)
    rng = random.Random(seed)
    bad, counts = [], {"ok": 0, "error": 0}
    for _ in range(n):
        setup, expr = generate(rng)
        msg = compare(setup, expr)
        counts[torch_result(setup, expr)[0]] += 1
        if msg:
            bad.append(msg)
    return bad, counts
