"""Helpers for the table-driven PyTorch rule tests.

A row is (module source, input shape, expected) where expected is an output shape (nested tuples for tuple outputs)
or an error code. shapelint sees the row as ``model = nn.Sequential(<src>); out = model(torch.randn(shape))`` (the
static front-end, never executed); ``torch_row`` runs the same row through real torch 2.13 so every table is
verified against the framework.
"""
from __future__ import annotations

import warnings

from shapelint.core.values import Tensor, TensorTuple
from shapelint.frontends.source.check import check_source


def _input_src(shape, dtype=None) -> str:
    if dtype == "int64":
        return f"torch.randint(0, 5, {tuple(shape)!r})"
    return f"torch.randn({tuple(shape)!r})" if shape else "torch.randn(())"


def shapelint_row(src: str, shape, dtype=None):
    """(outcome, op, result): outcome is the output shape or the first error code."""
    source = ("import torch\nimport torch.nn as nn\n\n"
              f"model = nn.Sequential(\n    {src},\n)\nout = model({_input_src(shape, dtype)})\n")
    result = check_source("row.py", source)
    program = result.models[0].program
    op = program.ops[0] if program.ops else None
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        return errors[0].code, op, result
    return value_shape(op.output) if op else None, op, result


def value_shape(v):
    if isinstance(v, TensorTuple):
        return tuple(value_shape(i) for i in v.items)
    if isinstance(v, Tensor):
        return tuple(v.shape) if v.shape is not None else None
    return None


def torch_row(src: str, shape, dtype=None):
    """(outcome, params) from real torch: output shape or 'error', and the parameter count."""
    import torch
    import torch.nn as nn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            m = eval(src, {"nn": nn, "torch": torch})  # noqa: S307
            x = torch.randint(0, 5, tuple(shape)) if dtype == "int64" else torch.randn(tuple(shape))
            with torch.no_grad():
                y = m(x)
        except Exception:
            return "error", None
    params = sum(p.numel() for p in m.parameters())
    return _shape(y), params


def _shape(v):
    import torch
    if isinstance(v, torch.Tensor):
        return tuple(v.shape)
    if isinstance(v, (tuple, list)):
        return tuple(_shape(i) for i in v)
    return None


def check_row(src, shape, expected, params=None, dtype=None):
    got, op, result = shapelint_row(src, shape, dtype)
    assert got == expected, f"{src} on {shape}: shapelint gives {got}, expected {expected}\n" + \
        "\n".join(d.message for d in result.diagnostics)
    if params is not None:
        got_params = op.layer.params if op.layer.params is not None else 0  # modules without weights: left unset
        assert got_params == params, f"{src}: params {op.layer.params} != {params}"
