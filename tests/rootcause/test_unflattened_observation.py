"""A (vehicles, features) observation fed to an MLP built for ``vehicles * features`` inputs without flattening
(a highway-merge DQN, rw31d): the size the Linear was built from (54, computed from the config) is right; the
flatten is missing. No number or formula is blamed and no input-size note is added (a size of 9 would only fit
the wrong reading); the fix flattens. PyTorch is the oracle: the original raises, the fixed net gives one row of
Q-values per observation."""
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import torch
import torch.nn as nn

CONFIG = {"vehicles": 6, "features": ["presence", "x", "y", "vx", "vy", "cos_h", "sin_h", "lane", "heading"]}
STATE_DIM = CONFIG["vehicles"] * len(CONFIG["features"])
net = nn.Sequential(nn.Linear(STATE_DIM, 64), nn.ReLU(), nn.Linear(64, 5))
obs = np.random.rand(6, 9).astype(np.float32)
q = net(torch.tensor(obs).unsqueeze(0))
"""


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_flatten_is_missing_not_the_number():
    with pytest.raises(RuntimeError):
        run(SRC)
    (d,) = _errors(SRC)
    assert "not flattened" in d.help and "computed" not in d.help
    assert not any("fits" in n for n in d.notes)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.Flatten()" in fixed and "STATE_DIM = CONFIG" in fixed and not _errors(fixed)
    assert tuple(run(fixed)["q"].shape) == (1, 5)
