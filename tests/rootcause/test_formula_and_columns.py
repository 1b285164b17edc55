"""A Conv1d stack left at valid padding whose classifier is sized by a formula that counts only the poolings: the
convs are padded (kernel_size // 2) so the formula holds, rather than the difference subtracted from it. Class ids
taken as a one-column list slice ``records[:, [-1]]``: the column is taken as a column index ``records[:, -1]``
where the labels are made. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

FORMULA = """
import torch
import torch.nn as nn

CFG = {{"seq_len": 64, "channels": [8, 16], "kernel_size": 5}}
blocks, c_in = [], 3
for c_out in CFG["channels"]:
    blocks += [nn.Conv1d(c_in, c_out, kernel_size=CFG["kernel_size"]{padding}), nn.ReLU(), nn.MaxPool1d(2)]
    c_in = c_out
flat_len = CFG["seq_len"] // (2 ** len(CFG["channels"]))
net = nn.Sequential(*blocks, nn.Flatten(), nn.Linear(CFG["channels"][-1] * flat_len, 4))
print(tuple(net(torch.randn(6, 3, CFG["seq_len"])).shape))
"""

COLUMN = """
import numpy as np
import torch
import torch.nn as nn

records = np.hstack([np.random.randn(50, 6), np.random.randint(0, 3, (50, 1))]).astype(np.float32)
x = torch.tensor(records[:, :-1])
y = torch.tensor(records[:, {col}]).long()
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
loss = nn.CrossEntropyLoss()(model(x), y)
print(tuple(y.shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_convs_are_padded_so_the_formula_holds():
    src = FORMULA.format(padding="")
    (d,) = _loud(src)
    assert "nn.Conv1d(" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert 'padding=CFG["kernel_size"] // 2' in out and "- " not in out.split("nn.Linear(")[1].split(",")[0]
    assert not _loud(out)


def test_the_label_column_is_taken_as_a_column_index():
    src = COLUMN.format(col="[-1]")
    (d,) = _loud(src)
    assert "records[:, [-1]]" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "torch.tensor(records[:, -1]).long()" in out and not _loud(out)


@pytest.mark.parametrize("bad, good, shape", [
    (FORMULA.format(padding=""), FORMULA.format(padding=', padding=CFG["kernel_size"] // 2'), "(6, 4)"),
    (COLUMN.format(col="[-1]"), COLUMN.format(col="-1"), "(50,)")])
def test_what_torch_does(bad, good, shape):
    pytest.importorskip("torch")
    assert subprocess.run([sys.executable, "-c", bad], capture_output=True, text=True).returncode != 0
    r = subprocess.run([sys.executable, "-c", good], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == shape, r.stderr[-300:]
