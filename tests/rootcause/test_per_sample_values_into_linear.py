"""Diffusion timesteps ``t`` (B,) given to the time MLP's ``nn.Linear(1, d)``: the layer takes the 1-D tensor as one
sample of B features. The tempting fix ``nn.Linear(BATCH, d)`` runs at every batch size only because the model is
rebuilt for each: the fix contract refuses an edit after which a layer's weights follow the batch size, and the
diagnosis gives the values their feature axis where they enter. PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    BATCH, T_STEPS = 8, 100


    class Net(nn.Module):
        def __init__(self, t_dim=16):
            super().__init__()
            self.time_mlp = nn.Sequential(nn.Linear(1, t_dim), nn.SiLU(), nn.Linear(t_dim, t_dim))
            self.conv = nn.Conv2d(3, t_dim, 3, padding=1)

        def forward(self, x, t):
            emb = self.time_mlp(t.float() / T_STEPS)
            return self.conv(x) + emb[:, :, None, None]


    model = Net()
    x = torch.randn(BATCH, 3, 8, 8)
    t = torch.randint(0, T_STEPS, (BATCH,))
    out = model(x, t)
""").lstrip()

FIXED = SRC.replace("self.time_mlp(t.float() / T_STEPS)", "self.time_mlp((t.float() / T_STEPS).unsqueeze(-1))")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_values_get_their_feature_axis_where_they_enter():
    errors = _errors(SRC)
    d = next(d for d in errors if d.code == "SHP101")
    assert d.primary.span.line == 14
    assert apply_edits(SRC, d.fix.edits) == FIXED
    assert _errors(FIXED) == []


def test_a_layer_sized_by_the_batch_name_is_never_the_fix():
    for d in _errors(SRC):
        fixed = apply_edits(SRC, d.fix.edits) if d.fix is not None else SRC
        assert "nn.Linear(BATCH" not in fixed and "nn.Linear(8," not in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (8, 16, 8, 8)


def test_the_contract_refuses_a_layer_whose_weights_follow_the_batch():
    src = SRC.replace("nn.Linear(1, t_dim)", "nn.Linear(4, t_dim)")
    d = next(d for d in _errors(src) if d.code == "SHP101")
    fixed = apply_edits(src, d.fix.edits) if d.fix is not None else src
    assert "nn.Linear(BATCH" not in fixed and "nn.Linear(8," not in fixed
