"""The batch size passes through a permute unchanged: a ``torch.flatten(x)`` after it that merges the samples is the
root (fixed ``torch.flatten(x, 1)``), never ``in_features`` multiplied by the batch size read from the config
(``CFG["batch"]``) -- a layer sized by the batch works at that batch size only. torch is the oracle."""
import ast
import textwrap

import pytest

from oracle import run
from shapelint.core.program import Span
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source
from shapelint.rootcause.contract import _config_entries

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    CFG = {"steps": 64, "filters": 3, "batch": BATCH}


    class Net(nn.Module):
        def __init__(self, steps, filters):
            super().__init__()
            self.conv = nn.Conv1d(1, filters, 3)
            self.head = nn.Linear(filters * (steps - 2), 1)

        def forward(self, x):
            x = x.permute(0, 2, 1)
            x = torch.relu(self.conv(x))
            x = torch.flatten(x)
            return self.head(x)


    data = np.random.rand(40, CFG["steps"], 1).astype("float32")
    model = Net(CFG["steps"], CFG["filters"])
    for i in range(0, len(data), CFG["batch"]):
        out = model(torch.from_numpy(data[i:i + CFG["batch"]]))
""").lstrip()


@pytest.mark.parametrize("batch", [8, 5])
def test_the_flatten_is_the_root_and_keeps_the_batch(batch):
    script = SCRIPT.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    errors = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    (d,) = errors
    assert d.primary.span.line == 17 and d.cause == "batch-merged"
    assert all('CFG["batch"]' not in e.text for x in errors if x.fix for e in x.fix.edits)
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "x = torch.flatten(x, 1)" in fixed
    assert tuple(run(fixed)["out"].shape) == (batch if 40 % batch == 0 else 40 % batch, 1)


def test_config_entries_holding_the_batch_are_named():
    src = 'CFG = {"batch": 8, "steps": 64}\nHP = dict(batch=16)\n'
    tree = ast.parse(src)
    spans = {Span.of(tree.body[0].value.values[0]), Span.of(tree.body[1].value.keywords[0].value)}
    assert _config_entries(tree, spans) == ['CFG["batch"]', 'HP["batch"]']


SPARE_AXIS = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CFG = {"batch": 2, "side": 8}
    volumes = torch.rand(CFG["batch"], 1, CFG["side"], CFG["side"], CFG["side"])
    volumes = volumes.unsqueeze(1)
    model = nn.Sequential(nn.Conv3d(1, 4, 3), nn.ReLU())
    out = model(volumes)
""").lstrip()


def test_a_fix_that_deletes_a_line_is_judged_beside_a_batch_in_a_config():
    """The guard against fixes that bring in the batch's config entry reads a deleted line as empty text."""
    with pytest.raises(RuntimeError):
        run(SPARE_AXIS)
    (d,) = [d for d in check_source("case.py", SPARE_AXIS).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SPARE_AXIS, [d], ("safe", "unsafe")).source
    assert "unsqueeze" not in fixed
    assert tuple(run(fixed)["out"].shape) == (2, 4, 6, 6, 6)
