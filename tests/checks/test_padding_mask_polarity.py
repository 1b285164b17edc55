"""SHP225: a padding mask of the wrong polarity. ``tokens != PAD`` is True on the real tokens; PyTorch's
``key_padding_mask`` ignores the True keys, so that mask hides every real token and the attention reads the padding
only; ``F.scaled_dot_product_attention``'s bool ``attn_mask`` is the other way round. Shapes and dtypes agree: it runs.
torch is the oracle of what the attention sees (rw17c s02, modelled on a public report)."""
import textwrap

import pytest

from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    PAD = 0
    torch.manual_seed(0)


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32, padding_idx=PAD)
            layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
            self.enc = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)

        def forward(self, tokens):
            keep = tokens != PAD
            return self.enc(self.emb(tokens), src_key_padding_mask=keep)


    model = Encoder().eval()
    tokens = torch.tensor([[5, 6, 7, 8, 0, 0], [9, 10, 11, 12, 13, 0]])
    other = tokens.clone()
    other[0, 1] = 42
    first = model(tokens)[0, 0]
    changed = model(other)[0, 0]
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_mask_true_on_the_real_tokens_given_as_key_padding_mask():
    (d,) = _loud(SRC)
    assert d.code == "SHP225" and d.primary.span.line == 17
    assert any(s.span.line == 16 for s in d.secondary)  # where the mask was made
    fixed = apply_edits(SRC, d.fix.edits)
    assert "src_key_padding_mask=~keep)" in fixed
    assert _loud(fixed) == []


@pytest.mark.parametrize("made", ["tokens == PAD", "~(tokens != PAD)", "tokens < 1", "(tokens != PAD) == 0"])
def test_a_mask_true_on_the_padding_is_quiet(made):
    assert _loud(SRC.replace("keep = tokens != PAD", f"keep = {made}")) == []


def test_a_mask_of_something_else_than_the_token_ids_is_not_judged():
    """The compared tensor must be the ids the model's Embedding reads: a flag tensor ``is_pad > 0`` is True on the
    padding by its own meaning, which a comparison alone cannot tell."""
    src = SRC.replace("def forward(self, tokens):", "def forward(self, tokens, is_pad):").replace(
        "keep = tokens != PAD", "keep = is_pad > 0").replace("model(tokens)", "model(tokens, tokens == 0)").replace(
        "model(other)", "model(other, other == 0)")
    assert _loud(src) == []


SDPA = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    PAD = 0


    class Attend(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32)

        def forward(self, tokens):
            pad = tokens == PAD
            h = self.emb(tokens)
            q = h.view(h.size(0), h.size(1), 4, 8).transpose(1, 2)
            return F.scaled_dot_product_attention(q, q, q, attn_mask=pad[:, None, None, :])


    out = Attend()(torch.tensor([[5, 6, 0, 0]]))
""").lstrip()


def test_scaled_dot_product_attention_keeps_the_true_keys():
    (d,) = _loud(SDPA)
    assert d.code == "SHP225" and d.primary.span.line == 17
    fixed = apply_edits(SDPA, d.fix.edits)
    assert "attn_mask=~pad[:, None, None, :]" in fixed
    assert _loud(fixed) == []
    assert _loud(SDPA.replace("pad = tokens == PAD", "pad = tokens != PAD")) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    wrong = run(SRC)
    assert bool((wrong["first"] - wrong["changed"]).abs().max() < 1e-6)  # token 1 is invisible to token 0
    right = run(SRC.replace("src_key_padding_mask=keep", "src_key_padding_mask=~keep"))
    assert bool((right["first"] - right["changed"]).abs().max() > 1e-4)
    import torch
    sdpa = run(SDPA)["out"]  # every query attends to the two padding keys only: all rows equal their mean
    assert torch.allclose(sdpa[0, :, 0], sdpa[0, :, 1])


REVIEW = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "review18"


@pytest.mark.parametrize("name", ["f_xor.py", "f_inplace.py", "f_ok.py", "f_eq.py", "f_lt.py"])
def test_masks_turned_round_after_the_comparison_are_quiet(name):
    """Code review: ``mask = mask ^ True`` and an in-place ``mask.logical_not_()`` leave the mask True on the padding
    where it is passed -- correct code the record of the comparison alone would flag, with a fix that brings the bug
    in."""
    assert _loud((REVIEW / name).read_text()) == []


def test_the_help_shows_the_comparison_turned_round():
    """``key_padding_mask=tokens != PAD`` inline: the fix and the help both say ``tokens == PAD`` (code review: the
    help said ``~tokens != PAD``, a bitwise NOT of the ids)."""
    (d,) = _loud((REVIEW / "f_inline.py").read_text())
    assert "`tokens == PAD`" in d.help and "~" not in d.help.split("(")[0]
    assert d.fix.edits[0].text == "tokens == PAD"


def test_a_negated_mask_keeps_its_maker_for_the_query_axis_check():
    """Code review: ``~keep.unsqueeze(2)`` in a forward is the op ``logical_not``: SHP218 still points where the mask
    got its layout."""
    (d,) = _loud((REVIEW / "i_mask_q.py").read_text())
    assert d.code == "SHP218" and d.primary.span.line == 13


@pytest.mark.parametrize("change", ["mask ^= True", "mask[:, :] = tokens == PAD",
                                    "torch.logical_not(mask, out=mask)"])
def test_a_mask_changed_in_place_is_forgotten(change):
    """An in-place change the front-end sees as it runs the forward (an augmented assignment, an assignment into
    the mask) makes the record of the comparison stale: no report, as for ``mask.logical_not_()``."""
    src = (REVIEW / "f_inplace.py").read_text()
    assert "mask.logical_not_()" in src
    assert _loud(src.replace("mask.logical_not_()", change)) == []
    # and unchanged, the same file is reported: what quiets it is the change in place
    assert _loud(src.replace("mask.logical_not_()", "pass")) != []
