"""The help of a PyTorch loss mismatch names the edit for two sequence-model mistakes: (N, T, C) scores for (N, T)
tags (the loss reads the classes on axis 1), and an RNN's h_n (layers, N, hidden) fed to the head unsqueezed.
Each snippet and its suggested edit also run with real torch."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

torch = pytest.importorskip("torch")

TAGGER = """import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.lstm = nn.LSTM(16, 24, batch_first=True)
        self.fc = nn.Linear(24, 7)

    def forward(self, x):
        out, _ = self.lstm(self.emb(x))
        return self.fc(out)


logits = Tagger()(torch.randint(0, 100, (4, 12)))
tags = torch.randint(0, 7, (4, 12))
loss = nn.CrossEntropyLoss()(SCORES, tags)
"""

STATE = """import torch
import torch.nn as nn


class Clf(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(10, 32, batch_first=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        _, (h_n, _) = self.lstm(x)
        return self.fc(STATE)


y = torch.randint(0, 4, (16,))
loss = nn.CrossEntropyLoss()(Clf()(torch.randn(16, 7, 10)), y)
"""


def _runs(src: str) -> bool:
    try:
        exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception:  # noqa: BLE001
        return False
    return True


def _errors(src: str):
    return [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]


def test_classes_last_scores_for_per_token_tags():
    src = TAGGER.replace("SCORES", "logits")
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.code == "SHP301" and "output.permute(0, 2, 1)" in d.help and "reshape(-1, 7)" in d.help
    for fixed in (TAGGER.replace("SCORES", "logits.permute(0, 2, 1)"),
                  TAGGER.replace("SCORES, tags", "logits.reshape(-1, 7), tags.reshape(-1)")):
        assert _runs(fixed) and not _errors(fixed)


def test_hidden_state_with_its_layer_axis():
    src = STATE.replace("STATE", "h_n")
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.code == "SHP301" and "h_n[-1]" in d.help and "time step" not in d.help
    fixed = STATE.replace("STATE", "h_n[-1]")
    assert _runs(fixed) and not _errors(fixed)


def test_output_sequence_keeps_the_last_step_help():
    src = STATE.replace("_, (h_n, _) = self.lstm(x)", "out, _ = self.lstm(x)").replace("STATE", "out")
    assert not _runs(src)
    (d,) = _errors(src)
    assert "out[:, -1, :]" in d.help or "out[:, -1]" in d.help  # the last time step, as the next layer reads it


def test_a_target_with_the_predictions_sizes_in_another_order_is_not_told_to_take_its_shape():
    """(N, 1, 320, 240) predictions against (N, 1, 240, 320) maps: the same sizes in another order. Reshaping or
    transposing the target at the loss would hide an image laid out the wrong way; the help says to find where."""
    import textwrap
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import torch
        import torch.nn.functional as F
        pred = torch.randn(2, 1, 320, 240)
        depth = torch.randn(2, 1, 240, 320)
        loss = F.l1_loss(pred, depth)
    """)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "same sizes in another order" in d.help and "give the target the input's shape" not in d.help


def test_distributions_over_other_classes_are_not_reshaped():
    """A distillation loss between a student of 10 classes and a teacher built for 100: the help sizes the model
    that disagrees, never the target reshaped (torch raises on the broadcast)."""
    import textwrap
    from oracle import run
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        student, teacher = nn.Linear(8, 10), nn.Linear(8, 100)
        x = torch.randn(4, 8)
        loss = F.kl_div(F.log_softmax(student(x), 1), F.softmax(teacher(x), 1), reduction="batchmean")
    """)
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "same classes" in d.help and "give the target" not in d.help and not (d.fix and d.fix.edits)


def test_unpooled_positions_with_one_label_per_sample_say_pool():
    """Scores (N, C, L) left with their tokens against one class id per sample: pool or select in the model; the
    targets are not given a per-position shape (torch raises on the target's rank)."""
    import textwrap
    from oracle import run
    src = textwrap.dedent("""
        import torch
        import torch.nn.functional as F
        tokens = torch.randn(8, 17, 8)
        labels = torch.arange(8)
        loss = F.cross_entropy(tokens, labels)
    """)
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "one class id per sample" in d.help and "give the target the shape" not in d.help
    run(src.replace("F.cross_entropy(tokens, labels)", "F.cross_entropy(tokens[:, :, 0], labels)"))
