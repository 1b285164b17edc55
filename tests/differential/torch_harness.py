"""Differential harness for PyTorch: run the same nn.Sequential with real torch (2.13, CPU, small tensors) and with
shapelint (from generated source text, so the static front-end is exercised too), and compare the output shape, error
vs no error, and the index of the failing module.

A model is a list of module-constructor expressions over ``nn`` / ``torch`` (``"nn.Conv2d(3, 8, 3, padding=1)"``) and
an input expression (``"torch.randn(2, 3, 8, 8)"``). Real torch builds the modules one by one (a constructor that
raises fails at its index) and applies them one by one like nn.Sequential.forward does.

Training-only errors (BatchNorm with one value per channel) are compared against shapelint's SHP124 warning.
Parameter counts are compared for every module that ran. Where torch's own answer depends on its backend (an empty
ConvTranspose output for a batch > 1), shapelint says "unknown"; such abstentions are counted, not compared, and must
stay under 1% of a run.
"""
from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from typing import Callable, Optional

TRAIN_ONLY = ("Expected more than 1 value per channel when training",
              "Expected more than 1 spatial element when training")


@dataclass
class Outcome:
    output: object  # nested tuple of shapes when no error
    failing: Optional[int]
    message: str = ""
    train_only: bool = False
    params: tuple = ()  # parameter count per module that ran (torch) / was applied (shapelint; None = not counted)

    def same_as(self, other: "Outcome") -> bool:
        if self.failing is not None or other.failing is not None:
            # self is torch's outcome: a training-only failure may be met by a warning or an error at that module
            return self.failing == other.failing and (self.train_only or not other.train_only)
        return self.output == other.output


def _shape_of(v):
    import torch
    if isinstance(v, torch.Tensor):
        return tuple(v.shape)
    if isinstance(v, (tuple, list)):
        return tuple(_shape_of(i) for i in v)
    return None


def torch_outcome(input_src: str, module_srcs: list) -> Outcome:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    ns = {"nn": nn, "torch": torch, "F": F}
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        modules, fail_build = [], None
        for i, src in enumerate(module_srcs):
            try:
                modules.append(eval(src, ns))  # noqa: S307 -- our own generated test expressions
            except Exception as exc:
                fail_build = (i, f"{type(exc).__name__}: {str(exc)[:300]}")
                break
        x = eval(input_src, ns)  # noqa: S307
        params = []
        with torch.no_grad():
            for i, m in enumerate(modules):
                try:
                    x = m(x)
                except Exception as exc:
                    msg = f"{type(exc).__name__}: {str(exc)[:300]}"
                    return Outcome(None, i, msg, train_only=any(t in str(exc) for t in TRAIN_ONLY),
                                   params=tuple(params))
                params.append(sum(p.numel() for p in m.parameters()))
    if fail_build is not None:
        return Outcome(None, fail_build[0], fail_build[1], params=tuple(params))
    return Outcome(_shape_of(x), None, params=tuple(params))


def model_source(input_src: str, module_srcs: list) -> str:
    body = "".join(f"    {s},\n" for s in module_srcs)
    return ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"
            f"model = nn.Sequential(\n{body})\nout = model({input_src})\n")


def _value_shape(v):
    from shapelint.core.values import TensorTuple
    if isinstance(v, TensorTuple):
        return tuple(_value_shape(i) for i in v.items)
    if v is None or v.shape is None:
        return None
    return tuple(v.shape)


def shapelint_outcome(input_src: str, module_srcs: list) -> Outcome:
    from shapelint.frontends.source.check import check_source
    result = check_source("generated.py", model_source(input_src, module_srcs))
    params = tuple(op.layer.params for op in result.models[0].program.ops) if result.models else ()
    errors = [d for d in result.diagnostics if d.severity == "error"]
    train = [d for d in result.diagnostics if d.name == "single-value-per-channel"]
    first_err = min((d.layer for d in errors if d.layer is not None), default=None)
    if errors and first_err is None:
        first_err = -1
    first_train = min((d.layer for d in train if d.layer is not None), default=None)
    if first_train is not None and (first_err is None or first_train < first_err):
        return Outcome(None, first_train, "; ".join(d.message for d in train), train_only=True, params=params)
    if first_err is not None:
        return Outcome(None, first_err, "; ".join(f"{d.code} {d.message}" for d in errors), params=params)
    out = result.models[0].program.output if result.models else None
    return Outcome(_value_shape(out) if out is not None else None, None,
                   "; ".join(f"{d.code} {d.message}" for d in result.diagnostics), params=params)


def compare_outcomes(input_src: str, module_srcs: list) -> tuple:
    real = torch_outcome(input_src, module_srcs)
    ours = shapelint_outcome(input_src, module_srcs)
    if real.same_as(ours):
        bad = [(i, n, ours.params[i] if i < len(ours.params) else "-") for i, n in enumerate(real.params)
               if (ours.params[i] if i < len(ours.params) else None) != n and
               not (n == 0 and i < len(ours.params) and ours.params[i] is None)]
        if not bad:
            return real, ours, None
        return real, ours, (f"input {input_src} modules {module_srcs}\n"
                            f"  parameter counts differ (index, torch, shapelint): {bad}")
    return real, ours, (f"input {input_src} modules {module_srcs}\n"
                        f"  torch:     output={real.output} failing={real.failing} {real.message}\n"
                        f"  shapelint: output={ours.output} failing={ours.failing} {ours.message}")


def compare(input_src: str, module_srcs: list) -> Optional[str]:
    return compare_outcomes(input_src, module_srcs)[2]


def abstained(ours: Outcome) -> bool:
    """shapelint ran without error but could not tell the output shape: sound, but not a comparison."""
    def unknown(v):
        return v is None or (isinstance(v, tuple) and any(unknown(i) for i in v))
    return ours.failing is None and unknown(ours.output)


def run_generated(generate: Callable[[random.Random], tuple], n: int, seed: int = 0) -> tuple:
    """Compare ``n`` models from ``generate(rng) -> (input_src, module_srcs)``.
    Returns (disagreements, counts) with counts of torch's outcomes {'ok': k, 'error': k} and of the models where
    shapelint abstained ('unknown', allowed where torch's own behaviour depends on its backend; kept under 1%)."""
    import torch
    torch.set_num_threads(1)
    rng = random.Random(seed)
    bad, counts = [], {"ok": 0, "error": 0, "unknown": 0}
    for _ in range(n):
        input_src, srcs = generate(rng)
        real, ours, msg = compare_outcomes(input_src, srcs)
        counts["error" if real.failing is not None else "ok"] += 1
        if msg and abstained(ours):
            counts["unknown"] += 1
        elif msg:
            bad.append(msg)
    if counts["unknown"] * 100 > n:
        bad.append(f"shapelint could not tell the outcome of {counts['unknown']} of {n} models")
    return bad, counts
