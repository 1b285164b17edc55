"""Integer labels (N, L) against pooled scores (N, C) with L != C: the labels are one class id per token, not one-hot
(that would have C columns), so the help never says argmax -- which would turn per-token labels into garbage (a
token tagger that pooled its sequence, rw31a). PyTorch is the oracle: the original raises."""
import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn

encoder = nn.Linear(16, 32)
classifier = nn.Linear(32, 7)
tokens = torch.randn(8, 20, 16)
labels = torch.randint(0, 7, (8, 20))
logits = classifier(encoder(tokens)[:, 0])
loss = nn.CrossEntropyLoss()(logits, labels)
"""


def test_per_token_labels_are_not_called_one_hot():
    with pytest.raises(RuntimeError):
        run(SRC)
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert found and all("argmax" not in (d.help or "") for d in found)
    assert any("one class id per position" in (d.help or "") for d in found)


def test_one_hot_labels_are_not_read_per_position():
    src = SRC.replace("labels = torch.randint(0, 7, (8, 20))",
                      "labels = nn.functional.one_hot(torch.randint(0, 7, (8,)), 7).long()")
    found = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert found and all("per position" not in (d.help or "") for d in found)
