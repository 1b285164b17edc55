"""A hand-written im2col convolution whose output-size helper forgets the ``+ 1`` (``int((n - f + 2p) / s)``): the
(m, C, L) positions cannot be viewed as (m, C, n_H, n_W). The helper's formula is blamed and given its ``+ 1``;
the fixed script matches torch's conv2d. PyTorch is the oracle."""
import textwrap

import numpy as np

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn.functional as F


    def out_size(n, f, pad, stride):
        return int((n - f + 2 * pad) / stride)


    def conv(x, w, pad=1, stride=2):
        m, c, h, wd = x.shape
        n_c, _, f, _ = w.shape
        cols = F.unfold(x, kernel_size=f, padding=pad, stride=stride)
        z = w.reshape(n_c, -1) @ cols
        return z.view(m, n_c, out_size(h, f, pad, stride), out_size(wd, f, pad, stride))


    x, w = torch.randn(2, 3, 5, 7), torch.randn(8, 3, 3, 3)
    out = conv(x, w)
    ref = F.conv2d(x, w, padding=1, stride=2)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_formula_gets_its_plus_one():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 7
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return int((n - f + 2 * pad) / stride) + 1" in fixed and not _errors(fixed)
    scope = run(fixed)
    assert np.allclose(scope["out"].numpy(), scope["ref"].numpy(), atol=1e-5)
