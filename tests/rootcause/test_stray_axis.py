"""Class scores (N, 1, C) for class ids (N,): an axis of size 1 put into the data (a Dataset's ``__getitem__`` that
returns each sample as (1, F), ``feats[:, None]``) that every layer kept. The root is where the data got the axis; the
tempting fix -- giving the targets a shape to match -- trains on a class axis of one. Torch is the oracle: the original
raises, the fixed script runs and gives one row of C scores per sample."""
import subprocess
import sys
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

GETITEM = """
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class Frames(Dataset):
    def __init__(self, n=96):
        self.feats = np.random.randn(n, 40).astype(np.float32)
        self.labels = np.random.randint(0, 8, size=n)

    def __len__(self):
        return len(self.feats)

    def __getitem__(self, i):
        x = {item}
        return x, torch.tensor(self.labels[i])


model = nn.Sequential(nn.Linear(40, 64), nn.ReLU(), nn.Linear(64, 8))
criterion = nn.CrossEntropyLoss()
for xb, yb in DataLoader(Frames(), batch_size=32):
    out = model(xb)
    loss = criterion(out, yb)
print(tuple(out.shape))
"""

WHOLE = """
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

feats = torch.randn(96, 40)
ds = TensorDataset({whole}, torch.randint(0, 8, (96,)))
model = nn.Sequential(nn.Linear(40, 64), nn.ReLU(), nn.Linear(64, 8))
for xb, yb in DataLoader(ds, batch_size=32):
    out = model(xb)
    loss = nn.functional.cross_entropy(out, yb)
print(tuple(out.shape))
"""

CASES = [(GETITEM, "item", "torch.tensor(self.feats[i]).unsqueeze(0)", "torch.tensor(self.feats[i])"),
         (GETITEM, "item", "torch.from_numpy(self.feats[i])[None]", "torch.from_numpy(self.feats[i])"),
         (GETITEM, "item", "torch.unsqueeze(torch.tensor(self.feats[i]), 0)", "torch.tensor(self.feats[i])"),
         (WHOLE, "whole", "feats.unsqueeze(1)", "feats"),
         (WHOLE, "whole", "feats[:, None]", "feats"),
         (WHOLE, "whole", "feats[:, None, :]", "feats")]


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("template, slot, written, fixed", CASES)
def test_the_axis_is_left_out_where_it_was_put_in(template, slot, written, fixed):
    src = textwrap.dedent(template).replace("{" + slot + "}", written)
    (d,) = _loud(src)
    assert d.cause == "stray-axis" and written in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and written not in out and "yb.unsqueeze" not in out and not _loud(out)
    assert fix_source("case.py", out, check_source("case.py", out).diagnostics, ("safe", "unsafe")).source == out


def test_data_written_with_the_axis_is_pointed_at_without_an_edit():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        x = torch.randn(64, 1, 40)
        y = torch.randint(0, 8, (64,))
        model = nn.Sequential(nn.Linear(40, 16), nn.ReLU(), nn.Linear(16, 8))
        loss = nn.CrossEntropyLoss()(model(x), y)
    """)
    (d,) = _loud(src)
    assert d.cause == "stray-axis" and d.line == 4 and (d.fix is None or not d.fix.edits)


def test_a_sequence_model_with_one_output_per_step_is_not_this():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        x = torch.randn(64, 1, 40)
        y = torch.randint(0, 8, (64, 1))
        loss = nn.CrossEntropyLoss()(nn.Linear(40, 8)(x).transpose(1, 2), y)
    """)
    assert not _loud(src)


@pytest.mark.parametrize("template, slot, written, fixed", CASES[:1] + CASES[3:4])
def test_what_torch_does(template, slot, written, fixed, tmp_path):
    pytest.importorskip("torch")
    src = textwrap.dedent(template).replace("{" + slot + "}", written)
    bad = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True)
    assert bad.returncode != 0 and "Expected target size" in bad.stderr
    good = subprocess.run([sys.executable, "-c", src.replace(written, fixed)], capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(32, 8)"
