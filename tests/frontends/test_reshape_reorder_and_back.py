"""A hand-written spatial batch norm: ``x.reshape(N * H * W, C)`` on (N, C, H, W) mixes the channels (a reshape
re-reads memory), and ``out_flat.reshape(N, C, H, W)`` reads the rows back. The fix of the first reshape moves the
channels last before it; it must also read the result back in that order (``reshape(N, H, W, C).transpose(0, 3, 1,
2)``), or the output is scrambled the other way (a round-13 review). torch's BatchNorm2d is the oracle."""
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np


    def batchnorm(x, gamma, beta, eps=1e-5):
        x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
        return gamma * x_hat + beta


    def spatial_batchnorm(x, gamma, beta):
        N, C, H, W = x.shape
        flat = x.reshape(N * H * W, C)
        out = batchnorm(flat, gamma, beta)
        return out.reshape(N, C, H, W)


    x = 4 * np.random.randn(10, 4, 5, 6) + np.arange(4).reshape(1, 4, 1, 1) * 10
    gamma, beta = np.array([3.0, 4.0, 5.0, 6.0]), np.array([0.0, 1.0, 2.0, 3.0])
    out = spatial_batchnorm(x, gamma, beta)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_fix_moves_the_channels_back_too():
    (d,) = _found(SRC)
    assert (d.code, d.primary.span.line) == ("SHP211", 11)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "flat = x.transpose(0, 2, 3, 1).reshape(N * H * W, C)" in fixed
    assert "return out.reshape(N, H, W, C).transpose(0, 3, 1, 2)" in fixed
    assert not _found(fixed)
    torch = pytest.importorskip("torch")
    scope = run(fixed)
    bn = torch.nn.BatchNorm2d(4).double()
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(scope["gamma"]))
        bn.bias.copy_(torch.from_numpy(scope["beta"]))
    ref = bn(torch.from_numpy(scope["x"])).detach().numpy()
    assert np.abs(scope["out"] - ref).max() < 1e-8
