"""Image + metadata fusion: the image branch returns its (B, C, H, W) feature map, concatenated with the (B, D)
metadata vector: torch raises on the ranks. The branch was meant to give one vector per sample: the fix pools the
map where the branch returns it (``.mean(dim=(2, 3))``), the head's in_features already count the map's channels.
The batches are cut with a ``slice`` object (``x[sl]``), which the evaluator follows. PyTorch is the oracle."""
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class ImageEncoder(nn.Module):
        def __init__(self, width=32):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.ReLU())
            self.out_features = width

        def forward(self, x):
            return self.body(x)


    class Fusion(nn.Module):
        def __init__(self, n_meta):
            super().__init__()
            self.enc = ImageEncoder()
            self.meta = nn.Sequential(nn.Linear(n_meta, 16), nn.ReLU())
            self.head = nn.Linear(self.enc.out_features + 16, 5)

        def forward(self, image, meta):
            return self.head(torch.cat((self.enc(image), self.meta(meta)), dim=1))


    images, meta = torch.rand(16, 3, 32, 32), torch.rand(16, 7)
    model = Fusion(7)
    for start in range(0, 16, 8):
        sl = slice(start, start + 8)
        out = model(images[sl], meta[sl])
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_branch_returning_its_map_is_pooled():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 12
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return self.body(x).mean(dim=(2, 3))" in fixed and not _errors(fixed)
    assert tuple(run(fixed)["out"].shape) == (8, 5)
