"""SHP203 (not-classes): the script's own code -- a loss, a prediction, a discriminator's input -- takes a softmax of a
model's class scores over the batch or over one spatial axis. The roles come from the model's run (a Linear's last
axis holds features, a segmentation head's conv the classes per pixel) and are carried through the script's ops
(stack, indexing, interpolation). The frameworks are the oracle: the bad rows do not sum to 1 over the classes, the
fixed ones do. A similarity matrix's softmax over axis 0 (a CLIP-style loss) is left alone: its columns are samples,
not classes."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

HEADS = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(16, 8)
            self.heads = nn.ModuleList([nn.Linear(8, 5) for _ in range(3)])

        def forward(self, x):
            z = self.body(x)
            return torch.stack([h(z) for h in self.heads])  # (heads, batch, classes)


    def swapped(logits, targets):
        preds = F.log_softmax(logits[1], dim=1)
        return -(targets[0] * preds).sum(-1).mean(), preds


    model = Heads()
    logits = torch.stack([model(torch.randn(6, 16)) for _ in range(2)])
    targets = F.softmax(logits.detach(), dim=-1)
    loss, preds = swapped(logits, targets)
""").lstrip()

SEGMENTATION = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    seg = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 1))
    images = torch.randn(2, 3, 16, 20)
    labels = torch.randint(0, 4, (2, 16, 20))
    pred = F.interpolate(seg(images), size=(16, 20), mode="bilinear", align_corners=False)
    loss = F.cross_entropy(pred, labels)
    probs = F.softmax(pred.detach(), dim=-1)
""").lstrip()

CONTRASTIVE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    enc = nn.Linear(16, 8)
    a, b = enc(torch.randn(6, 16)), enc(torch.randn(6, 16))
    sim = a @ b.T
    p_ab = F.softmax(sim, dim=0)
    p_ba = F.log_softmax(sim, dim=1)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


@pytest.mark.parametrize("src, line, fixed", [(HEADS, 18, "dim=-1"), (SEGMENTATION, 10, "dim=1")])
def test_reported_at_the_axis_and_fixed(src, line, fixed):
    (d,) = _warnings(src)
    assert d.primary.span.line == line and "not the class scores" in d.message
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out.splitlines()[line - 1] and not _warnings(out)


def test_a_similarity_matrix_is_not_class_scores():
    assert _warnings(CONTRASTIVE) == []


def test_what_torch_does():
    torch = pytest.importorskip("torch")
    scope = run(HEADS)
    assert not torch.allclose(scope["preds"].exp().sum(-1), torch.ones(3, 6), atol=1e-3)
    scope = run(HEADS.replace("logits[1], dim=1)", "logits[1], dim=-1)"))
    assert torch.allclose(scope["preds"].exp().sum(-1), torch.ones(3, 6), atol=1e-5)
    scope = run(SEGMENTATION)
    assert not torch.allclose(scope["probs"].sum(1), torch.ones(2, 16, 20), atol=1e-3)
    scope = run(SEGMENTATION.replace("dim=-1)", "dim=1)"))
    assert torch.allclose(scope["probs"].sum(1), torch.ones(2, 16, 20), atol=1e-5)
