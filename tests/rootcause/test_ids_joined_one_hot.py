"""GAIL: states (N, 4) joined with action ids (N,) drawn below N_ACTIONS, for a discriminator built for
STATE_DIM + N_ACTIONS features (and run on one-hot expert pairs): the ids are blamed and joined one-hot -- not given
an axis (5 features) nor the model resized to that. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    STATE_DIM, N_ACTIONS, BATCH = 4, 2, NUM

    discrim = nn.Sequential(nn.Linear(STATE_DIM + N_ACTIONS, 32), nn.Tanh(), nn.Linear(32, 1))
    states = torch.randn(BATCH, STATE_DIM)
    actions = torch.randint(0, N_ACTIONS, (BATCH,))
    expert = torch.from_numpy(np.concatenate([np.random.randn(BATCH, STATE_DIM).astype(np.float32),
                                              np.eye(N_ACTIONS, dtype=np.float32)[np.random.randint(0, N_ACTIONS, BATCH)]], 1))
    g_o = discrim(torch.cat([states, actions], 1))
    e_o = discrim(expert)
""").lstrip()


def test_the_ids_are_joined_one_hot():
    src = SRC.replace("NUM", "64")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "actions" in src.splitlines()[d.primary.span.line - 1]
    assert "torch.cat([states, F.one_hot(actions, N_ACTIONS).float()], 1)" in apply_edits(src, d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("NUM", "64"))
    for n in (64, 5):
        fixed = SRC.replace("NUM", str(n)).replace("[states, actions]", "[states, F.one_hot(actions, N_ACTIONS).float()]")
        assert tuple(run(fixed)["g_o"].shape) == (n, 1)
