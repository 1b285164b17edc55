"""Maps joined where a stride-1 conv was padded to keep its length and does not: ``padding=k // 2`` with an even
kernel in a TextCNN (one step too many), a residual block's ``padding=(1, 0)`` for a (4, 1) kernel ported from
Keras's ``padding="same"`` (one row short per conv). The padding is the root; ``padding="same"`` keeps the length for
every kernel. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

TEXT_CNN = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class TextCNN(nn.Module):
        def __init__(self, vocab=100, emb=16, filters=8, kernels=(3, 4, 5)):
            super().__init__()
            self.emb = nn.Embedding(vocab, emb)
            self.convs = nn.ModuleList([nn.Conv1d(emb, filters, k, padding=k // 2) for k in kernels])

        def forward(self, tokens):
            x = self.emb(tokens).transpose(1, 2)
            return torch.cat([torch.relu(conv(x)) for conv in self.convs], dim=1)


    out = TextCNN()(torch.randint(0, 100, (BATCH, 30)))
""").lstrip()

RESIDUAL = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, ch=8):
            super().__init__()
            self.a = nn.Conv2d(ch, ch, (4, 1), padding=(1, 0))
            self.b = nn.Conv2d(ch, ch, (4, 1), padding=(1, 0))

        def forward(self, x):
            return x + self.b(torch.relu(self.a(x)))


    out = Block()(torch.randn(BATCH, 8, 40, 6))
""").lstrip()


def _fixed(src):
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert len(errors) == 1
    return fix_source("case.py", src, errors, ("safe", "unsafe")).source


@pytest.mark.parametrize("batch", [4, 3])
def test_an_even_kernel_padded_by_half_gets_same_padding(batch):
    src = TEXT_CNN.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(src)
    fixed = _fixed(src)
    assert 'nn.Conv1d(emb, filters, k, padding="same")' in fixed
    assert tuple(run(fixed)["out"].shape) == (batch, 24, 30)


@pytest.mark.parametrize("batch", [4, 3])
def test_a_residual_blocks_convs_keep_the_length(batch):
    src = RESIDUAL.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(src)
    fixed = _fixed(src)
    assert fixed.count('(4, 1), padding="same")') == 2
    assert tuple(run(fixed)["out"].shape) == (batch, 8, 40, 6)


def test_odd_kernels_padded_by_half_are_left_alone():
    src = TEXT_CNN.replace("BATCH", "4").replace("kernels=(3, 4, 5)", "kernels=(3, 5, 7)")
    run(src)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
