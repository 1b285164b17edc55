"""Differential harness: build the same Sequential model with real Keras 3 and with shapelint (from generated source
text, so the whole static front-end is exercised) and compare output shape, error vs no error, and the failing layer.

A model is a list of layer-constructor expressions written against ``layers`` / ``keras``
(``"layers.Conv2D(8, 3, padding='same')"``) plus the input shape without the batch axis.
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Callable, Optional

os.environ.setdefault("KERAS_BACKEND", "torch")


@dataclass
class Outcome:
    output: Optional[tuple]  # final output shape (batch None) when no error
    failing: Optional[int]  # index of the first failing layer
    message: str = ""

    def same_as(self, other: "Outcome") -> bool:
        if self.failing is not None or other.failing is not None:
            return self.failing == other.failing
        return self.output == other.output


def keras_outcome(input_shape: tuple, layer_srcs: list) -> Outcome:
    import warnings

    import keras
    from keras import layers
    ns = {"layers": layers, "keras": keras}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = keras.Input(shape=input_shape)
        for i, src in enumerate(layer_srcs):
            try:
                layer = eval(src, ns)  # noqa: S307 -- our own generated test expressions
                x = layer(x)
            except Exception as exc:  # Keras raises ValueError, TypeError, ... all count as "fails here"
                return Outcome(None, i, f"{type(exc).__name__}: {str(exc)[:300]}")
    shape = tuple(x.shape) if not isinstance(x, (list, tuple)) else tuple(tuple(t.shape) for t in x)
    return Outcome(shape, None)


def model_source(input_shape: tuple, layer_srcs: list) -> str:
    body = "".join(f"    {s},\n" for s in layer_srcs)
    return ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n"
            f"model = keras.Sequential([\n    keras.Input(shape={tuple(input_shape)!r}),\n{body}])\n")


def shapelint_outcome(input_shape: tuple, layer_srcs: list) -> Outcome:
    from shapelint.frontends.source.check import check_source
    from shapelint.core.values import TensorTuple
    result = check_source("generated.py", model_source(input_shape, layer_srcs))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        layer = min((d.layer for d in errors if d.layer is not None), default=-1)
        return Outcome(None, layer, "; ".join(d.message for d in errors))
    out = result.models[0].program.output if result.models else None
    if isinstance(out, TensorTuple):
        return Outcome(tuple(tuple(t.shape) if t.shape is not None else None for t in out.items), None)
    return Outcome(tuple(out.shape) if out is not None and out.shape is not None else None, None)


def compare_outcomes(input_shape: tuple, layer_srcs: list) -> tuple:
    """(real, ours, disagreement text or None)."""
    real = keras_outcome(input_shape, layer_srcs)
    ours = shapelint_outcome(input_shape, layer_srcs)
    if real.same_as(ours):
        return real, ours, None
    return real, ours, (f"input {input_shape} layers {layer_srcs}\n"
                        f"  keras:     output={real.output} failing={real.failing} {real.message}\n"
                        f"  shapelint: output={ours.output} failing={ours.failing} {ours.message}")


def compare(input_shape: tuple, layer_srcs: list) -> Optional[str]:
    """None when Keras and shapelint agree, else a one-paragraph description of the disagreement."""
    return compare_outcomes(input_shape, layer_srcs)[2]


def run_generated(generate: Callable[[random.Random], tuple], n: int, seed: int = 0) -> tuple:
    """Compare ``n`` models from ``generate(rng) -> (input_shape, layer_srcs)``.
    Returns (disagreements, counts) where counts = {'ok': k, 'error': k} counts Keras' outcomes."""
    rng = random.Random(seed)
    bad, counts = [], {"ok": 0, "error": 0}
    for _ in range(n):
        input_shape, srcs = generate(rng)
        real, _, msg = compare_outcomes(input_shape, srcs)
        counts["error" if real.failing is not None else "ok"] += 1
        if msg:
            bad.append(msg)
    return bad, counts
