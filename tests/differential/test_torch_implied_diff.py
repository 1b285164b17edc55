"""Soundness with unknown sizes: each generated nn.Sequential is also checked WITHOUT its input, so shapelint works
from the input the first module implies (``Conv2d(3, ...)`` -> (N, 3, H, W) with symbolic N, H, W). An error found
that way must hold for every size, so real torch, run on a concrete input that fits the implied one, must fail too,
at that module or before it. (Differences in the other direction are fine: unknown sizes hide size-dependent errors.)
"""
from __future__ import annotations

import os
import sys
import zlib

import pytest

sys.path.insert(0, os.path.dirname(__file__))
pytest.importorskip("torch")

from torch_gen import FAMILIES  # noqa: E402
from torch_harness import torch_outcome  # noqa: E402


def implied_errors(module_srcs: list):
    from shapelint.frontends.source.check import check_source
    body = "".join(f"    {s},\n" for s in module_srcs)
    source = f"import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(\n{body})\n"
    result = check_source("implied.py", source)
    if not result.models or not result.models[0].program.inputs:
        return None, None
    program = result.models[0].program
    errors = [d.layer for d in result.diagnostics if d.severity == "error" and d.layer is not None]
    return program.inputs[0], (min(errors) if errors else None)


def _fits(implied, concrete: tuple) -> bool:
    shape = getattr(implied, "shape", None)
    if shape is None or len(shape) != len(concrete):
        return False
    return all(not isinstance(d, int) or d == c for d, c in zip(shape, concrete))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_errors_from_implied_inputs_are_real(family):
    import random

    import torch
    generate, n = FAMILIES[family]
    rng = random.Random(zlib.crc32(family.encode()) + 7)
    checked, errors, bad = 0, 0, []
    for _ in range(n // 4):
        input_src, mods = generate(rng)
        implied, err = implied_errors(mods)
        concrete = tuple(eval(input_src, {"torch": torch}).shape)  # noqa: S307
        if implied is None or not _fits(implied, concrete):
            continue
        checked += 1
        if err is None:
            continue
        errors += 1
        real = torch_outcome(input_src, mods)
        if real.failing is None or real.failing > err:
            bad.append(f"{mods}: shapelint (implied {implied}) reports module {err}; torch on {input_src}: "
                       f"failing={real.failing} output={real.output}")
    assert checked > n // 20 and errors > 0, (checked, errors)
    assert not bad, "\n".join(bad[:10])
