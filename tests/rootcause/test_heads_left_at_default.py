"""A config raises the model width and leaves the head count at the encoder's default (``emb_dim=192,
num_head=3``): 256 does not split into 3 heads and the encoder layer refuses it. The config that changes one size of
the pair is the mistake; the fix names the head count beside the width, keeping the defaults' head width (64).
PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CONFIG = {
        "emb_dim": 256,
        "depth": 2,
    }


    class Encoder(nn.Module):
        def __init__(self, emb_dim=192, depth=4, num_head=3):
            super().__init__()
            layer = nn.TransformerEncoderLayer(d_model=emb_dim, nhead=num_head, batch_first=True)
            self.blocks = nn.TransformerEncoder(layer, num_layers=depth)

        def forward(self, x):
            return self.blocks(x)


    model = Encoder(**CONFIG)
    out = model(torch.randn(2, 10, CONFIG["emb_dim"]))
""").lstrip()

FIXED = SRC.replace('"emb_dim": 256,\n', '"emb_dim": 256,\n    "num_head": 4,\n')

CALL = SRC.replace("model = Encoder(**CONFIG)", 'model = Encoder(emb_dim=CONFIG["emb_dim"], depth=2)')


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_config_entry_is_blamed_and_the_head_count_set_beside_it():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 5
    assert apply_edits(SRC, d.fix.edits) == FIXED
    assert _errors(FIXED) == []


def test_a_call_naming_the_width_gets_the_head_count_too():
    (d,) = _errors(CALL)
    fixed = apply_edits(CALL, d.fix.edits)
    assert 'Encoder(emb_dim=CONFIG["emb_dim"], depth=2, num_head=4)' in fixed
    assert _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(AssertionError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (2, 10, 256)


def test_a_model_width_that_is_the_joined_features():
    """Text 300 + audio 74 + visual 35 = 409 features joined and given to a TransformerEncoderLayer as d_model with
    8 heads: the width was taken from the join with no projection (rw18d, a multimodal emotion model). Located where
    the width is taken; the projection is described. torch refuses the original."""
    import textwrap
    from oracle import run
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        TEXT, AUDIO, VISUAL = 300, 74, 35


        class Fusion(nn.Module):
            def __init__(self):
                super().__init__()
                d_model = TEXT + AUDIO + VISUAL
                layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=8, batch_first=True)
                self.encoder = nn.TransformerEncoder(layer, num_layers=1)

            def forward(self, t, a, v):
                return self.encoder(torch.cat([t, a, v], dim=-1))


        out = Fusion()(torch.randn(2, 5, TEXT), torch.randn(2, 5, AUDIO), torch.randn(2, 5, VISUAL))
    """).lstrip()
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10 and "nn.Linear(" in d.help
    assert d.fix is None or not d.fix.edits
    with pytest.raises(AssertionError):
        run(src)
