"""Points (B, N, 3) transposed into the Conv1d layout (B, 3, N) just before a model that samples them as (B, N, 3):
the errors inside it (a view of one point into (B, 1, 3), a Linear(3, ...) on the points) are blamed on the
transpose, and the fix deletes it -- not a literal rewritten to the moved size, which bends the model to the
transposed data (a round-13 review). Kept only where removing the move verifies. PyTorch is the oracle."""
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class PointEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.mlp = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 32))

        def forward(self, xyz):
            B, N, C = xyz.shape
            first = xyz[:, 0, :].view(B, 1, 3)
            return self.mlp(xyz - first).max(dim=1).values


    clouds = torch.rand(2, 512, 3)
    clouds = clouds.transpose(2, 1)
    out = PointEncoder()(clouds)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_transpose_before_the_model_is_the_root():
    found = _errors(SRC)
    assert found and all(d.primary.span.line == 17 for d in found)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "clouds.transpose" not in fixed and "view(B, 1, 3)" in fixed and "nn.Linear(3, 64)" in fixed
    assert not _errors(fixed)
    assert tuple(run(fixed)["out"].shape) == (2, 32)


def test_a_move_the_model_needs_is_left_alone():
    src = SRC.replace("B, N, C = xyz.shape", "B, C, N = xyz.shape").replace("xyz[:, 0, :].view(B, 1, 3)",
                                                                             "xyz[:, :, 0].view(B, 3, 1)")
    src = src.replace("self.mlp(xyz - first)", "self.mlp((xyz - first).transpose(1, 2))")
    assert not _errors(src)
