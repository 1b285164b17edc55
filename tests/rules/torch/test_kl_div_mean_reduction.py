"""KLDivLoss / F.kl_div left at reduction='mean' average the pointwise terms over the classes as well as the batch:
each sample's divergence is divided by the number of classes (a distillation term weighted by T**2 all but vanishes).
'batchmean' is the KL divergence; torch itself warns. Shown where the reduction is 'mean' (given or by default) on a
(batch, classes) input; 'batchmean', 'sum', 'none' and the legacy arguments are left alone. PyTorch is the oracle."""
import textwrap
import warnings

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    student, teacher = nn.Linear(16, 100), nn.Linear(16, 100)
    x = torch.randn(8, 16)
    log_p, q = F.log_softmax(student(x) / 4.0, dim=1), F.softmax(teacher(x) / 4.0, dim=1)
    kd = nn.KLDivLoss()(log_p, q)
""").lstrip()


def _kl_warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


@pytest.mark.parametrize("call", ["nn.KLDivLoss()(log_p, q)", "F.kl_div(log_p, q)",
                                  "nn.KLDivLoss(reduction='mean')(log_p, q)"])
def test_the_mean_over_classes_is_shown_and_fixed(call):
    src = SRC.replace("nn.KLDivLoss()(log_p, q)", call)
    (d,) = _kl_warnings(src)
    assert "100 times too small" in d.message
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert 'reduction="batchmean"' in fixed and not _kl_warnings(fixed)


@pytest.mark.parametrize("call", ["nn.KLDivLoss(reduction='batchmean')(log_p, q)", "F.kl_div(log_p, q, reduction='sum')",
                                  "F.kl_div(log_p, q, reduction='none')", "nn.KLDivLoss(size_average=False)(log_p, q)"])
def test_other_reductions_are_left_alone(call):
    assert _kl_warnings(SRC.replace("nn.KLDivLoss()(log_p, q)", call)) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scope = run(SRC + "kd_fixed = nn.KLDivLoss(reduction='batchmean')(log_p, q)\n")
    assert any("batchmean" in str(w.message) for w in caught)
    assert abs(float(scope["kd_fixed"]) / float(scope["kd"]) - 100) < 1e-3
