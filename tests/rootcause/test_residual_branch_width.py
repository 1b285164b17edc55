"""A residual ``x + f(x)`` whose branch ends at another width than ``x``: a transformer block's feed-forward network
written ``Dense(ff_dim), Dense(ff_dim)`` (or ``Linear(d, 4 * d), Linear(4 * d, 4 * d)``). The last layer of the
branch is blamed and sized back to the width it is added to, by the name in scope there; ``ff_dim = embed_dim``
would run and remove the expansion. Keras and PyTorch are the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import keras
    from keras import layers


    class Block(layers.Layer):
        def __init__(self, embed_dim, ff_dim, **kwargs):
            super().__init__(**kwargs)
            self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(ff_dim)])
            self.norm = layers.LayerNormalization()

        def call(self, x):
            return self.norm(x + self.ffn(x))


    WIDTH = 16
    inp = keras.Input(shape=(10, WIDTH))
    model = keras.Model(inp, Block(WIDTH, 64)(inp))
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, d_model=16, expansion=4):
            super().__init__()
            self.ff = nn.Sequential(nn.Linear(d_model, d_model * expansion), nn.GELU(),
                                    nn.Linear(d_model * expansion, d_model * expansion))

        def forward(self, x):
            return x + self.ff(x)


    D = 16
    out = Block(d_model=D)(torch.randn(2, 10, D))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src, fixed", [(KERAS, "layers.Dense(embed_dim)])"),
                                        (TORCH, "nn.Linear(d_model * expansion, d_model))")], ids=["keras", "torch"])
def test_the_branch_is_brought_back_to_the_width_it_adds_to(src, fixed):
    (d,) = _errors(src)
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and _errors(out) == []


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    for src, good in ((KERAS, KERAS.replace("layers.Dense(ff_dim)])", "layers.Dense(embed_dim)])")),
                      (TORCH, TORCH.replace("nn.Linear(d_model * expansion, d_model * expansion)",
                                            "nn.Linear(d_model * expansion, d_model)"))):
        with pytest.raises(Exception):
            run(src)
        run(good)


REVIEW = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "review19"


@pytest.mark.parametrize("name", ["res_torch.py", "res_widen.py", "heads_name.py"])
def test_blocks_meant_to_change_width_and_names_equal_by_value_get_no_branch_edit(name):
    """Code review: a residual block built to widen (``ResBlock(dim_in, dim_out)``, a Keras helper called with
    another ``units``) needs a projected skip, and a name that merely holds the same number (``heads``) is not the
    width: the branch's last layer is never rewritten for them."""
    for d in _errors((REVIEW / name).read_text()):
        texts = [e.text for e in d.fix.edits] if d.fix else []
        assert d.cause != "layer-number" or not any(t in ("heads", "dim_in", "32") for t in texts), (d.help, texts)


def test_a_block_meant_to_widen_whose_widths_are_names_gets_no_edit_and_both_designs_said():
    """Code review 20, finding 3: ``ResBlock(D, 32)`` with ``D = 16`` for the skip and a head built for 32. Ending the
    branch at ``dim_in`` (and resizing the head to fit) runs, and so does ``ResBlock(D, 16)``: each rewrites the
    design. A layer after the sum built for the branch's width says the block was meant to widen -- no fix that needs
    it resized is applied, and the help names both designs."""
    src = (REVIEW.parent / "review20" / "res_shared.py").read_text()
    (d,) = _errors(src)
    assert fix_source("case.py", src, [d], ("safe", "unsafe")).source == src
    assert "project the skip to 32" in d.help and "end the branch at 16" in d.help
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(src)
    run(src.replace("self.fc2 = nn.Linear(dim_out, dim_out)",
                    "self.fc2 = nn.Linear(dim_out, dim_out)\n        self.proj = nn.Linear(dim_in, dim_out)")
        .replace("return x + self.fc2", "return self.proj(x) + self.fc2"))
