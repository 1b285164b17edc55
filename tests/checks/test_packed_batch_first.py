"""Packing batch-first data: ``pack_padded_sequence(emb, lengths)`` left at batch_first=False with one length per row
of axis 0 (torch raises, or packs the wrong axis with ``enforce_sorted=False``), and data packed with
``batch_first=True`` but unpacked time-major (``pad_packed_sequence`` without it: the steps read as samples after).
Both are reported at the call and fixed with ``batch_first=True``; an unpacking put back in batch order
(``.transpose(0, 1)``) is deliberate. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(4, 8, batch_first=True)
            self.head = nn.Linear(8, 3)

        def forward(self, x, lengths):
            packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
            out, _ = self.rnn(packed)
            out, _ = pad_packed_sequence(out, batch_first=True, total_length=6)
            return self.head(out)


    model = Tagger()
    logits = model(torch.randn(3, 6, 4), torch.tensor([6, 4, 2]))
    target = torch.randint(0, 3, (3, 6))
    loss = nn.functional.cross_entropy(logits.reshape(-1, 3), target.reshape(-1))
""").lstrip()

PACKED_OK = SRC.replace("lengths, enforce_sorted=False)", "lengths, enforce_sorted=False, batch_first=True)")
UNPACKED = PACKED_OK.replace("pad_packed_sequence(out, batch_first=True, total_length=6)",
                             "pad_packed_sequence(out, total_length=6)")


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_lengths_counted_on_axis_0():
    (d,) = _loud(SRC)
    assert d.code == "SHP205" and d.severity == "error" and d.primary.span.line == 13
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == PACKED_OK
    assert not _loud(PACKED_OK)


def test_unpacked_time_major():
    (d,) = _loud(UNPACKED)
    assert d.code == "SHP205" and d.primary.span.line == 15
    fixed = fix_source("case.py", UNPACKED, [d], ("safe", "unsafe")).source
    assert "pad_packed_sequence(out, total_length=6, batch_first=True)" in fixed and not _loud(fixed)


def test_an_unpacking_put_back_in_batch_order_is_deliberate():
    src = UNPACKED.replace("return self.head(out)", "return self.head(out.transpose(0, 1))")
    assert not _loud(src)


def test_what_torch_does():
    assert tuple(run(PACKED_OK)["logits"].shape) == (3, 6, 3)
    assert tuple(run(UNPACKED)["logits"].shape) == (6, 3, 3)  # time-major: the steps where the samples belong
    with pytest.raises(RuntimeError):
        run(SRC.replace("enforce_sorted=False", "enforce_sorted=True").replace("[6, 4, 2]", "[6, 4, 2]"))
