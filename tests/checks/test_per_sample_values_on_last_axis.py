"""SHP222: one value per sample (B,) broadcast against a batch (B, C, H, W) lines up with the last axis. Reported
when the vector's length is the size the batch's axis 0 was made with and the last axis only happens to be equal;
fixed where the vector is made. PyTorch is the oracle for what the fix computes."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch

    BATCH, SIDE, T = 16, 16, 100
    alphas_bar = torch.linspace(0.99, 0.01, T)


    def q_sample(x0, t):
        a = alphas_bar[t]
        return a * x0 + (1 - a) * torch.randn_like(x0)


    x0 = torch.randn(BATCH, 3, SIDE, SIDE)
    t = torch.randint(0, T, (BATCH,))
    xt = q_sample(x0, t)
""").lstrip()


def _loud(src):
    r = check_source("case.py", src)
    return r, [d for d in r.diagnostics if d.severity in ("error", "warning")]


def test_reported_where_the_values_are_made_and_given_the_batch_rank():
    r, loud = _loud(SRC)
    assert [(d.code, d.primary.span.line) for d in loud] == [("SHP222", 8)]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "a = alphas_bar[t].view(-1, 1, 1, 1)" in fixed and not _loud(fixed)[1]
    torch = pytest.importorskip("torch")
    from oracle import run
    torch.manual_seed(0)
    scope = run(fixed)
    assert tuple(scope["xt"].shape) == (16, 3, 16, 16)


def test_sizes_that_are_only_equal_say_nothing():
    src = SRC.replace("t = torch.randint(0, T, (BATCH,))", "t = torch.randint(0, T, (16,))")
    assert not _loud(src)[1]


def test_another_last_axis_raises_and_is_not_this_warning():
    src = SRC.replace("BATCH, SIDE, T = 16, 16, 100", "BATCH, SIDE, T = 16, 8, 100")
    assert "SHP222" not in [d.code for d in _loud(src)[1]]
