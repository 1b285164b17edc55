"""SHP203 (variant not-features): a cosine similarity or L2 normalisation taken over the batch or the tokens axis
while the features sit on another axis. PyTorch is the oracle: it runs, and the result has one value per feature
instead of one per sample."""
import os

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

PAIRS = """
import torch
import torch.nn as nn
import torch.nn.functional as F

enc = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 16))
za, zb = enc(torch.randn(8, 32)), enc(torch.randn(8, 32))
sim = F.cosine_similarity(za, zb, dim=0)
"""

TOKENS = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Predictor(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.net = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, 4, 64, batch_first=True), 1)

    def forward(self, z):
        return self.net(z)


z = Predictor()(torch.randn(4, 10, 32))
loss = 1 - F.cosine_similarity(z, torch.randn(4, 10, 32), dim=1).mean()
"""

# a head fed another model's output (`head(encoder(x))`, as in BYOL / JEPA code): the head's Linear layers keep the
# axes the encoder's output has, so its output's tokens axis is known from the encoder
FED = TOKENS.replace("z = Predictor()(torch.randn(4, 10, 32))",
                     "head = nn.Sequential(nn.Linear(32, 64), nn.GELU(), nn.Linear(64, 32))\n"
                     "z = head(Predictor()(torch.randn(4, 10, 32)))")


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("src, line, fixed", [(PAIRS, 8, "dim=-1"), (TOKENS, 17, "dim=-1"), (FED, 18, "dim=-1")])
def test_reported_and_fixed_to_the_feature_axis(src, line, fixed):
    (d,) = _loud(src)
    assert d.code == "SHP203" and d.primary.span.line == line
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out.splitlines()[line - 1] and not _loud(out)


def test_normalize_over_the_batch():
    src = PAIRS.replace("sim = F.cosine_similarity(za, zb, dim=0)", "zn = F.normalize(za, dim=0)")
    (d,) = _loud(src)
    assert d.code == "SHP203" and "F.normalize" in d.message


@pytest.mark.parametrize("call", ["F.cosine_similarity(za, zb)", "F.cosine_similarity(za, zb, dim=-1)",
                                  "F.normalize(za, dim=1)", "F.normalize(za)"])
def test_over_the_features_is_left_alone(call):
    assert not _loud(PAIRS.replace("F.cosine_similarity(za, zb, dim=0)", call))


def test_unknown_roles_say_nothing():
    src = """
import torch
import torch.nn.functional as F
a, b = torch.randn(8, 16), torch.randn(8, 16)
sim = F.cosine_similarity(a, b, dim=0)
"""
    assert not _loud(src)


def test_what_torch_does_with_it():
    torch = pytest.importorskip("torch")
    scope: dict = {}
    exec(compile(PAIRS, "case.py", "exec"), scope)
    assert tuple(scope["sim"].shape) == (16,)  # one value per feature, not per sample: it runs
    fixed: dict = {}
    exec(compile(PAIRS.replace("dim=0", "dim=-1"), "case.py", "exec"), fixed)
    assert tuple(fixed["sim"].shape) == (8,)
    tok: dict = {}
    exec(compile(TOKENS, "case.py", "exec"), tok)
    assert torch.is_tensor(tok["loss"])
    fed: dict = {}
    exec(compile(FED, "case.py", "exec"), fed)
    assert tuple(fed["z"].shape) == (4, 10, 32) and torch.is_tensor(fed["loss"])


BAGS = """
import torch
import torch.nn as nn
import torch.nn.functional as F

bag = nn.EmbeddingBag(128, 64)
names = torch.randint(0, 128, (8, 12))
z = F.normalize(bag(names), dim=0)
"""


def test_embedding_bag_rows_are_samples():
    """``EmbeddingBag`` pools each row of (batch, tokens) into one feature vector: its output is (batch, features),
    so an L2 normalisation over axis 0 scales each feature across the samples (PyTorch: (8, 64), every column of
    unit norm)."""
    import torch
    import torch.nn.functional as F
    out = F.normalize(torch.nn.EmbeddingBag(128, 64)(torch.randint(0, 128, (8, 12))), dim=0)
    assert tuple(out.shape) == (8, 64) and torch.allclose(out.norm(dim=0), torch.ones(64))
    (d,) = _loud(BAGS)
    assert d.code == "SHP203" and d.primary.span.line == 8
    fixed = fix_source("case.py", BAGS, [d], ("safe", "unsafe")).source
    assert "dim=-1" in fixed.splitlines()[7] and not _loud(fixed)
    assert not _loud(BAGS.replace("dim=0", "dim=1"))
