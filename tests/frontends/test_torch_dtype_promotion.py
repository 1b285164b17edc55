"""Dtypes follow torch's type promotion (rules/_dtypes.py): an integer tensor times 0.9, divided by 2, clamped
at 0.01, passed through ``exp`` or moved ``.to(logits)`` is a float -- the loss checks act on the dtype, so an int
dtype kept through these would be a false alarm (code review 20, finding 1: label-smoothed KL targets). torch is the
oracle; a dtype shapelint does not know is allowed, a wrong one is not."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source
from tests.oracle import run, static_values

torch = pytest.importorskip("torch")

PRELUDE = """import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.randn(4, 10).log_softmax(1)
y = torch.randint(0, 10, (4,))
oh = F.one_hot(y, 10)
device = torch.device("cpu")
"""

SPELLINGS = [  # t = ...: the targets people build for a distribution-valued loss (and a few integer ones)
    "oh", "oh * 1.0", "oh / 1", "oh / 2", "oh // 2", "oh * 2", "oh + 1", "oh - 0.5", "(1 - 0.1) * oh + 0.1 / 10",
    "oh * (1 - 0.1) + 0.1 / 10", "oh.float()", "oh.double()", "oh.half().float()", "oh.to(torch.float32)",
    "oh.to(x)", "oh.to(x.dtype)", "oh.to(device)", "oh.to('cpu')", "oh.to(device, dtype=torch.float16).float()",
    "torch.clamp(oh, min=0.01)", "torch.clamp(oh, min=0)", "oh.clamp(0.01, 1.0)", "oh.clamp(min=0)",
    "oh + torch.zeros(4, 10)", "torch.zeros(4, 10) + oh", "oh * torch.ones(4, 10, dtype=torch.float64)",
    "torch.exp(oh)", "torch.sigmoid(oh)", "oh.sqrt()", "torch.add(oh, 1)", "torch.add(oh, 0.5)", "oh.add(1)",
    "torch.where(oh > 0, oh, 0)", "oh > 0", "(oh > 0).float()", "torch.maximum(oh, torch.zeros(4, 10))",
    "oh.abs()", "-oh", "oh ** 2", "oh ** 0.5",
]


@pytest.mark.parametrize("expr", SPELLINGS)
def test_the_dtype_is_torchs_or_unknown(expr):
    src = PRELUDE + f"t = {expr}\n"
    real = str(run(src)["t"].dtype).replace("torch.", "")
    mine = getattr(static_values(src).get("t"), "value", None)
    got = getattr(mine, "dtype", None)
    assert got in (None, real), f"{expr}: torch gives {real}, shapelint {got}"


@pytest.mark.parametrize("loss", ["nn.KLDivLoss(reduction='batchmean')(x, t)", "F.kl_div(x, t, reduction='batchmean')",
                                  "nn.BCELoss()(torch.sigmoid(x), t)", "F.binary_cross_entropy_with_logits(x, t)"])
@pytest.mark.parametrize("expr", SPELLINGS)
def test_a_target_torch_accepts_is_not_an_error(expr, loss):
    src = PRELUDE + f"t = {expr}\nloss = {loss}\n"
    try:
        run(src)
    except RuntimeError:
        return  # torch refuses it (an integer target): whatever shapelint says is not a false alarm
    errors = [d for d in check_source("t.py", src, root_causes=False).diagnostics if d.severity == "error"]
    assert not errors, f"{expr} with {loss}: torch runs it, shapelint says {[d.message for d in errors]}"


def test_an_integer_target_is_still_an_error():
    src = PRELUDE + "t = oh\nloss = nn.KLDivLoss(reduction='batchmean')(x, t)\n"
    with pytest.raises(RuntimeError):
        run(src)
    assert [d.code for d in check_source("t.py", src, root_causes=False).diagnostics if d.severity == "error"] \
        == ["SHP303"]


def test_the_legacy_reduce_argument_keeps_every_element():
    """``F.kl_div(..., reduce=False)`` is ``reduction='none'`` (torch's legacy_get_string): a per-element loss that
    ``.sum(1)`` reduces per sample (code review 20, finding 2)."""
    src = PRELUDE + "per_sample = F.kl_div(x, F.softmax(torch.randn(4, 10), 1), reduce=False).sum(1)\n" \
                    "summed = F.kl_div(x, F.softmax(torch.randn(4, 10), 1), size_average=False)\n"
    real = run(src)
    assert tuple(real["per_sample"].shape) == (4,) and tuple(real["summed"].shape) == ()
    mine = static_values(src)
    assert tuple(mine["per_sample"].shape) == (4,) and tuple(mine["summed"].shape) == ()
    assert not [d for d in check_source("t.py", src, root_causes=False).diagnostics if d.severity == "error"]
