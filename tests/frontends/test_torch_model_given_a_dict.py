"""A torch model called with a dict batch (``model({"pos": ..., "rgb": ...})``): run with the dict's tensors as its
inputs, its forward reading them by key -- so a BatchNorm1d on the channels-last points inside is checked.
PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class PointNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.mlp = nn.Sequential(nn.Linear(6, 64), nn.BatchNorm1d(64), nn.ReLU())
            self.head = nn.Linear(64, 1)

        def forward(self, batch):
            x = torch.cat([batch["pos"], batch["rgb"]], dim=-1)
            return self.head(self.mlp(x)).squeeze(-1)


    batch = {"pos": torch.randn(8, 500, 3), "rgb": torch.rand(8, 500, 3), "name": "scan"}
    out = PointNet()(batch)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_dict_batch_runs_the_model():
    r = check_source("case.py", SRC)
    (m,) = r.models
    assert [tuple(v.shape) for v in m.program.inputs] == [(8, 500, 3), (8, 500, 3)]
    (d,) = _errors(SRC)
    assert (d.code, d.primary.span.line) == ("SHP102", 8)


def test_a_model_that_fits_the_dict_is_clean():
    src = SRC.replace("nn.BatchNorm1d(64)", "nn.LayerNorm(64)")
    assert not _errors(src)
    assert tuple(run(src)["out"].shape) == (8, 500)


def test_what_torch_does():
    with pytest.raises(RuntimeError):
        run(SRC)
