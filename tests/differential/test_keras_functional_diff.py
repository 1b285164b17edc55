"""Differential test for multi-input Keras layers (merging and attention) in functional models.

A generated model is a short straight-line script: ``keras.Input`` tensors, then one layer call per line on earlier
tensors (lists for merge layers, positional tensors for MultiHeadAttention), then ``keras.Model``. Real Keras runs
the script line by line (the first line that raises is the failing layer); shapelint checks the same text from
source. They must agree on error vs no error, the failing line, and the output shape.
"""
from __future__ import annotations

import os
import random
import warnings
from dataclasses import dataclass
from typing import Optional

import pytest

pytest.importorskip("keras")
os.environ.setdefault("KERAS_BACKEND", "torch")

HEADER = "import keras\nfrom keras import layers\n\n"


@dataclass
class Outcome:
    output: Optional[tuple]
    failing_line: Optional[int]
    message: str = ""

    def same_as(self, other: "Outcome") -> bool:
        if self.failing_line is not None or other.failing_line is not None:
            return self.failing_line == other.failing_line
        return self.output == other.output


def _shape(v):
    if isinstance(v, (list, tuple)):
        return tuple(_shape(t) for t in v)
    return tuple(v.shape)


def keras_outcome(lines: list, out_var: str) -> Outcome:
    import keras
    from keras import layers
    ns = {"keras": keras, "layers": layers}
    first = HEADER.count("\n") + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, line in enumerate(lines):
            try:
                exec(line, ns)  # noqa: S102 -- our own generated test statements
            except Exception as exc:
                return Outcome(None, first + i, f"{type(exc).__name__}: {str(exc)[:300]}")
    return Outcome(_shape(ns[out_var]), None)


def shapelint_outcome(lines: list, out_var: str) -> Outcome:
    from shapelint.core.values import TensorTuple
    from shapelint.frontends.source.check import check_source
    result = check_source("generated.py", HEADER + "\n".join(lines) + "\n")
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        return Outcome(None, min(d.line for d in errors), "; ".join(d.message for d in errors))
    out = result.models[0].program.output if result.models else None

    def shp(v):
        if isinstance(v, TensorTuple):
            return tuple(shp(i) for i in v.items)
        return tuple(v.shape) if v is not None and v.shape is not None else None
    return Outcome(shp(out), None)


# -- generation ------------------------------------------------------------------------------------------------
def _pick(rng, good, bad, p_bad=0.08):
    return rng.choice(bad) if bad and rng.random() < p_bad else rng.choice(good)


class Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lines: list = []
        self.tensors: list = []  # (name, rank incl. batch)
        self.last = None

    def new(self, expr: str, rank: int) -> str:
        name = f"t{len(self.lines)}"
        self.lines.append(f"{name} = {expr}")
        self.tensors.append((name, rank))
        self.last = name
        return name

    def some(self, k: int, same_rank: bool = True) -> list:
        rng = self.rng
        first = rng.choice(self.tensors)
        pool = [t for t in self.tensors if t[1] == first[1]] if same_rank and rng.random() < 0.8 else self.tensors
        return [first] + [rng.choice(pool) for _ in range(k - 1)]


DIMS = [2, 3, 4, 6]


def unary(b: Builder):
    rng = b.rng
    name, rank = rng.choice(b.tensors)
    op = rng.choice(["dense", "dense", "dense", "norm", "lstm", "flatten"])
    if op == "dense":
        return b.new(f"layers.Dense({rng.choice(DIMS)})({name})", rank)
    if op == "norm":
        return b.new(f"layers.LayerNormalization()({name})", rank)
    if op == "lstm" and rank == 3:
        return b.new(f"layers.LSTM({rng.choice(DIMS)}, return_sequences=True)({name})", 3)
    return b.new(f"layers.Flatten()({name})", 2)


def merge(b: Builder):
    rng = b.rng
    kind = rng.choice(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Add"])
    k = _pick(rng, [2, 2, 2, 3], [1, 4], p_bad=0.1) if kind != "Subtract" else _pick(rng, [2], [3, 1], 0.1)
    ts = b.some(k, same_rank=rng.random() < 0.85)
    args = ", ".join(t[0] for t in ts)
    rank = max(t[1] for t in ts)
    if rng.random() < 0.3:
        return b.new(f"layers.{kind.lower()}([{args}])", rank)
    return b.new(f"layers.{kind}()([{args}])", rank)


def concat(b: Builder):
    rng = b.rng
    ts = b.some(_pick(rng, [2, 2, 3], [1], p_bad=0.1))
    rank = ts[0][1]
    axis = _pick(rng, [-1, -1, 1, rank - 1, -2], [0, rank, -rank - 1, 5], p_bad=0.12)
    args = ", ".join(t[0] for t in ts)
    if rng.random() < 0.3:
        return b.new(f"layers.concatenate([{args}], axis={axis})", rank)
    return b.new(f"layers.Concatenate(axis={axis})([{args}])", rank)


def dot(b: Builder):
    rng = b.rng
    (a, ra), (c, rc) = b.some(2)
    axes = _pick(rng, ["1", "-1", "(1, 1)", "(2, 1)", "(1, 2)", "(-1, -2)", "(2, 2)"],
                 ["0", "3", "(1, 2, 3)", "'x'", "(1.0, 1)"], p_bad=0.1)
    norm = ", normalize=True" if rng.random() < 0.2 else ""
    rank_out = max(ra + rc - 3, 2)
    return b.new(f"layers.Dot(axes={axes}{norm})([{a}, {c}])", rank_out)


def attention(b: Builder, final: bool):
    rng = b.rng
    kind = rng.choice(["Attention", "AdditiveAttention", "Attention"])
    k = _pick(rng, [2, 2, 3], [1, 4], p_bad=0.08)
    ts = b.some(k)
    args = ", ".join(t[0] for t in ts)
    opts = []
    if kind == "Attention" and rng.random() < 0.3:
        opts.append(_pick(rng, ["use_scale=True", "score_mode='concat'"], ["score_mode='general'"], 0.2))
    if kind == "AdditiveAttention" and rng.random() < 0.3:
        opts.append("use_scale=False")
    call = ", return_attention_scores=True" if final and rng.random() < 0.3 else ""
    return b.new(f"layers.{kind}({', '.join(opts)})([{args}]{call})", ts[0][1])


def mha(b: Builder, final: bool):
    rng = b.rng
    k = _pick(rng, [2, 2, 1, 3], [4], p_bad=0.05)
    ts = b.some(k)
    heads = _pick(rng, [1, 2, 4], [0, -1, 2.0])
    key_dim = _pick(rng, [2, 4, 8], [0])
    opts = [str(heads), str(key_dim)]
    if rng.random() < 0.25:
        opts.append(_pick(rng, ["value_dim=3", "use_bias=False", "output_shape=5", "output_shape=(2, 3)",
                                "dropout=0.1", "attention_axes=1", "attention_axes=(1,)", "attention_axes=-2"],
                          ["value_dim=0", "attention_axes=4", "attention_axes=-5", "sliding_window=0"], 0.3))
    args = ", ".join(t[0] for t in ts)
    call = ", return_attention_scores=True" if final and rng.random() < 0.3 else ""
    return b.new(f"layers.MultiHeadAttention({', '.join(opts)})({args}{call})", ts[0][1])


def gqa(b: Builder, final: bool):
    rng = b.rng
    ts = b.some(_pick(rng, [2, 2, 3], [1], p_bad=0.05))
    qh = rng.choice([2, 4, 6])
    kvh = _pick(rng, [1, 2], [4, 3], p_bad=0.15)
    opts = [str(rng.choice([2, 4])), str(qh), str(kvh)]
    if rng.random() < 0.2:
        opts.append(_pick(rng, ["use_bias=False", "use_gate=True", "dropout=0.1"], ["sliding_window=0"], 0.3))
    args = ", ".join(t[0] for t in ts)
    call = ", return_attention_scores=True" if final and rng.random() < 0.3 else ""
    return b.new(f"layers.GroupQueryAttention({', '.join(opts)})({args}{call})", ts[0][1])


def generate(rng: random.Random):
    b = Builder(rng)
    n_inputs = rng.choice([1, 2, 2, 3])
    base_rank = rng.choice([2, 3, 3, 4])
    base = [rng.choice(DIMS) for _ in range(base_rank - 1)]
    inputs = []
    for i in range(n_inputs):
        shape = list(base)
        if rng.random() < 0.35:  # vary one axis (or the rank) so some merges mismatch
            if rng.random() < 0.25 and len(shape) > 1:
                shape = shape[:-1]
            else:
                j = rng.randrange(len(shape))
                shape[j] = rng.choice(DIMS + [1])
        name = f"x{i}"
        b.lines.append(f"{name} = keras.Input(shape={tuple(shape)!r})")
        b.tensors.append((name, len(shape) + 1))
        inputs.append(name)
    n_ops = rng.choice([1, 2, 2, 3, 3, 4])
    for i in range(n_ops):
        final = i == n_ops - 1
        op = rng.choice(["unary", "merge", "merge", "concat", "concat", "dot", "attention", "mha", "mha"])
        if op == "unary":
            unary(b)
        elif op == "merge":
            merge(b)
        elif op == "concat":
            concat(b)
        elif op == "dot":
            dot(b)
        elif op == "attention":
            attention(b, final)
        elif rng.random() < 0.25:
            gqa(b, final)
        else:
            mha(b, final)
    out = b.last or inputs[0]
    b.lines.append(f"model = keras.Model([{', '.join(inputs)}], {out})")
    return b.lines, out


def run(n: int, seed: int):
    rng = random.Random(seed)
    bad, counts = [], {"ok": 0, "error": 0}
    for _ in range(n):
        lines, out = generate(rng)
        real = keras_outcome(lines, out)
        ours = shapelint_outcome(lines, out)
        counts["error" if real.failing_line is not None else "ok"] += 1
        if not real.same_as(ours):
            bad.append("\n".join("    " + ln for ln in lines) +
                       f"\n  keras:     output={real.output} line={real.failing_line} {real.message}"
                       f"\n  shapelint: output={ours.output} line={ours.failing_line} {ours.message}")
    return bad, counts


N_MODELS = 500


def test_keras_functional_differential():
    bad, counts = run(N_MODELS, seed=20261128)
    assert counts["error"] >= N_MODELS * 0.25, counts
    assert not bad, f"{len(bad)} of {N_MODELS} disagree:\n" + "\n\n".join(bad[:10])
