"""SHP209, pairing: a time-major model's logits (T, B, V) flattened to (T*B, V) against batch-major targets (B, T)
flattened to (B*T,): the row counts agree, nothing raises, and each prediction is scored against another position's
target. Reported when the merged sizes are the same distinct sizes in another order; the targets are permuted into
the predictions' order. Torch is the oracle: the fixed loss equals the loss of rows paired by hand."""
import textwrap

import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn

    torch.manual_seed(0)
    SEQ_LEN, BATCH, VOCAB = 12, 5, 20
    inputs = torch.randint(0, VOCAB, (BATCH, SEQ_LEN))
    targets = torch.randint(0, VOCAB, (BATCH, SEQ_LEN))


    class TimeMajor(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(VOCAB, 16)
            self.rnn = nn.GRU(16, 32)
            self.fc = nn.Linear(32, VOCAB)

        def forward(self, x):
            out, _ = self.rnn(self.embed(x.t()))
            return self.fc(out)


    logits = TimeMajor()(inputs)
    loss = nn.CrossEntropyLoss()(logits.view(-1, VOCAB), targets.view(-1))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_logits_and_targets_flattened_in_other_orders_are_paired_again():
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP209" and d.primary.span.line == 23
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "targets.t().reshape(-1)" in fixed and not _loud(fixed)
    before, after = run(SCRIPT), run(fixed)
    paired = torch.nn.functional.cross_entropy(after["logits"].transpose(0, 1).reshape(-1, 20),
                                               after["targets"].reshape(-1))
    assert torch.isclose(after["loss"], paired) and not torch.isclose(before["loss"], paired)


def test_the_same_order_or_sizes_that_cannot_be_told_apart_say_nothing():
    batch_first = SCRIPT.replace("self.rnn = nn.GRU(16, 32)", "self.rnn = nn.GRU(16, 32, batch_first=True)") \
        .replace("self.embed(x.t())", "self.embed(x)")
    square = SCRIPT.replace("SEQ_LEN, BATCH, VOCAB = 12, 5, 20", "SEQ_LEN, BATCH, VOCAB = 6, 6, 20")
    for src in (batch_first, square):
        run(src)
        assert not _loud(src)


def test_the_function_form_is_reported_without_a_broken_edit():
    """``torch.flatten(targets)`` has no receiver to move: the diagnosis stands, no edit is offered."""
    src = SCRIPT.replace("targets.view(-1)", "torch.flatten(targets)")
    (d,) = _loud(src)
    assert d.code == "SHP209" and d.fix is None
    assert "merges the axes (12, 5)" in d.message and "merges (5, 12)" in d.message
