"""CTC loss: nn.CTCLoss and F.ctc_loss with lengths as tensors or lists, table-driven through ``y = <expr>`` in
shapelint's evaluator; every row is also run through real torch 2.13 (``test_rows_match_torch``)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from torch_ops_harness import shapelint_result, torch_result  # noqa: E402

# T=50 time steps, N=4 samples, C=20 classes, S=10 target length
S = ("import torch.nn as nn\nctc = nn.CTCLoss()\nlp = torch.randn(50, 4, 20).log_softmax(2)\n"
     "tg = torch.randint(1, 20, (4, 10))\nil = torch.full((4,), 50, dtype=torch.long)\n"
     "tl = torch.full((4,), 10, dtype=torch.long)")
ROWS = [
    (S, "ctc(lp, tg, il, tl)", ()),
    (S, "nn.CTCLoss(reduction='none')(lp, tg, il, tl)", (4,)),
    (S, "F.ctc_loss(lp, tg, il, tl)", ()),
    (S, "ctc(lp, tg.flatten(), il, tl)", ()),
    (S, "ctc(lp, tg, [50] * 4, [10] * 4)", ()),
    (S, "F.ctc_loss(lp, tg, [50, 50, 50, 50], [10, 10, 10, 10], reduction='sum')", ()),
    (S, "ctc(lp[:, 0], tg[0], (50,), (10,))", ()),
    (S, "ctc(lp.transpose(0, 1), tg, il, tl)", "error"),
    (S, "F.ctc_loss(lp.permute(1, 0, 2), tg, il, tl)", "error"),
    (S, "ctc(lp, tg, torch.full((5,), 50, dtype=torch.long), tl)", "error"),
    (S, "ctc(lp, tg, il, torch.full((3,), 10, dtype=torch.long))", "error"),
    (S, "ctc(lp, tg, [50] * 3, [10] * 4)", "error"),
    (S, "ctc(lp, tg, [60] * 4, [10] * 4)", "error"),
    (S, "ctc(lp, tg, [50] * 4, [12] * 4)", "error"),
    (S, "ctc(lp, tg[:3], il, tl)", "error"),
    (S, "ctc(lp, tg.unsqueeze(-1), il, tl)", "error"),
    (S, "ctc(lp, tg.flatten()[:-1], [50] * 4, [10] * 4)", "error"),
    (S, "ctc(lp.unsqueeze(0), tg, il, tl)", "error"),
    (S, "ctc(lp, tg, il.float(), tl)", "error"),
]


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_ctc(setup, expr, expected):
    got = shapelint_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_rows_match_torch(setup, expr, expected):
    pytest.importorskip("torch")
    got = torch_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got
