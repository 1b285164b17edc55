"""Mel spectrograms kept frames-first, one tensor per item (``[torch.randn(frames, n_mels) for _ in range(n)]``),
batched by a DataLoader into (B, frames, n_mels) for a ``Conv1d(n_mels, ...)``: the axes are in another order. The
fix permutes each sample where it is made -- ``.permute(1, 0)``, one sample has no batch axis -- not with the batch's
``.permute(0, 2, 1)``, which a 2-D tensor refuses. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset


    class Mels(Dataset):
        def __init__(self, n_items, frames=32, n_mels=80):
            self.mels = [torch.randn(frames, n_mels) for _ in range(n_items)]

        def __len__(self):
            return len(self.mels)

        def __getitem__(self, idx):
            return self.mels[idx]


    net = nn.Sequential(nn.Conv1d(80, 16, 7, padding=3), nn.ReLU(), nn.Conv1d(16, 1, 7, padding=3))
    for mel in DataLoader(Mels(8), batch_size=4):
        out = net(mel)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_each_sample_is_permuted_where_it_is_made():
    (d,) = _errors(SRC)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "[torch.randn(frames, n_mels).permute(1, 0) for _ in range(n_items)]" in fixed
    assert _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expected input"):
        run(SRC)
    fixed = run(SRC.replace("torch.randn(frames, n_mels)", "torch.randn(frames, n_mels).permute(1, 0)"))
    assert tuple(fixed["out"].shape) == (4, 1, 32)
