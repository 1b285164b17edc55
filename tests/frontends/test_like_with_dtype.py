"""``torch.zeros_like(x, dtype=torch.bool)`` inside a model's forward is a bool mask (DeepSpeech's MaskConv builds
its padding mask so): ``masked_fill`` takes it. The ``*_like`` creators keep the input's shape and take ``dtype=``
when it is given, in a model as in the script. torch is the oracle."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class MaskedLinear(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 3)

        def forward(self, x, keep):
            x = self.lin(x)
            mask = torch.zeros_like(x, dtype=torch.bool)
            mask[keep:].fill_(True)
            ids = torch.ones_like(x, dtype=torch.long)
            return x.masked_fill(mask, 0), ids


    out, ids = MaskedLinear()(torch.randn(4, 3), 2)
""").lstrip()


def test_a_bool_mask_made_like_a_float_tensor_is_bool():
    assert [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")] == []
    ours = static_values(SRC)
    assert ours["ids"].value.dtype == "int64" and tuple(ours["out"].shape) == (4, 3)
    pytest.importorskip("torch")
    real = run(SRC)
    assert str(real["ids"].dtype) == "torch.int64" and tuple(real["out"].shape) == (4, 3)
