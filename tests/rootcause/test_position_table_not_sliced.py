"""A learned position table of ``max_len = 256`` rows added whole to a 180-step sequence: (B, 180, D) + (1, 256, D)
cannot broadcast. The table is for the longest sequence the model takes; the tokens read the first positions,
``self.pe[:, : x.size(1)]``. Writing 180 as ``max_len`` would tie the model to one length. A table shorter than the
sequence is another mistake (its size), not a slice. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class LearnedPositions(nn.Module):
        def __init__(self, max_len, d_model):
            super().__init__()
            self.pe = nn.Parameter(torch.zeros(1, max_len, d_model))

        def forward(self, x):
            x = x + self.pe
            return x


    class Classifier(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.embed = nn.Linear(3, 16)
            self.pos = LearnedPositions(cfg["max_len"], 16)
            self.head = nn.Linear(16, 4)

        def forward(self, x):
            return self.head(self.pos(self.embed(x)).mean(1))


    cfg = {"max_len": 256}
    out = Classifier(cfg)(torch.randn(5, 180, 3))
""").lstrip()


def test_the_tokens_read_the_first_positions():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        x = x + self.pe") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "x = x + self.pe[:, : x.size(1)]" in fixed and 'cfg = {"max_len": 256}' in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (5, 4)
    assert tuple(run(fixed.replace("randn(5, 180, 3)", "randn(2, 37, 3)"))["out"].shape) == (2, 4)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_a_table_shorter_than_the_sequence_is_not_sliced():
    src = SRC.replace('cfg = {"max_len": 256}', 'cfg = {"max_len": 100}')
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and all("x.size(1)]" not in (d.help or "") for d in errors)


def test_a_table_computed_for_one_image_size_is_not_sliced():
    """A ViT's table has ``(img_size // patch) ** 2 + 1`` rows for its default ``img_size=224``: fed 32-px images, the
    default is the mistake (the patches are fewer); slicing the table would train on positions of another grid."""
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn


        class ViT(nn.Module):
            def __init__(self, img_size=224, patch=8, dim=16):
                super().__init__()
                self.proj = nn.Conv2d(3, dim, patch, patch)
                self.pos = nn.Parameter(torch.zeros(1, (img_size // patch) ** 2, dim))

            def forward(self, x):
                x = self.proj(x).flatten(2).transpose(1, 2)
                x = x + self.pos
                return x.mean(1)


        out = ViT()(torch.randn(2, 3, 32, 32))
    """).lstrip()
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and all("self.pos[:, :" not in (d.help or "") for d in errors)
