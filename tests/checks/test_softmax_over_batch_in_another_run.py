"""A policy network ending in ``nn.Softmax(dim=0)``: right for the one 1-D state it is given while acting, wrong for
the (B, 4) batch it is given when evaluated offline -- there the probabilities are normalised over the samples.
The batched run is checked as well as the first one, and the fix names the class axis from the end (``dim=-1``),
which is right for both runs (``dim=1`` would break the one-state call). PyTorch is the oracle."""
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2), nn.Softmax(dim=0))
    one = model(torch.randn(4))
    batch = model(torch.randn(50, 4))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("warning", "error")]


def test_the_batched_run_is_checked_and_fixed_from_the_end():
    (d,) = _warnings(SRC)
    assert (d.code, d.primary.span.line) == ("SHP203", 4)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.Softmax(dim=-1)" in fixed and not _warnings(fixed)
    out = run(fixed)
    assert torch_allclose(out["batch"].sum(-1), 1.0) and torch_allclose(out["one"].sum(-1), 1.0)


def test_what_torch_does():
    out = run(SRC)
    assert abs(float(out["batch"].sum(0)[0]) - 1.0) < 1e-5  # normalised over the 50 samples
    assert abs(float(out["batch"][0].sum()) - 1.0) > 1e-3


def test_only_one_sample_or_only_batches_stay_as_they_were():
    assert not _warnings(SRC.replace("batch = model(torch.randn(50, 4))\n", ""))
    (d,) = _warnings(SRC.replace("one = model(torch.randn(4))\n", ""))
    assert "dim=1" in d.help


def torch_allclose(t, v):
    return bool(((t - v).abs() < 1e-5).all())
