"""Differential tests: generated nn.Sequential models, real torch 2.13 vs shapelint's static front-end.

2,300 models over the module catalogue (images 1-d/2-d/3-d, vectors, sequences; see torch_gen.FAMILIES), about half of
which torch rejects; output shape, error vs no error, the failing module's index and every module's parameter count
must agree on every one. This file runs the 2-d image family and hand-written models; test_torch_sequential_signals.py
and test_torch_sequential_vectors.py run the others.
"""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

pytest.importorskip("torch")

from torch_gen import check_family  # noqa: E402
from torch_harness import compare  # noqa: E402


@pytest.mark.parametrize("family", ["images2d"])
def test_generated_models_agree_with_torch(family):
    check_family(family)


HAND_WRITTEN = [
    ("torch.randn(4, 64, 64, 3)", ["nn.Conv2d(3, 16, kernel_size=3, padding=1)", "nn.ReLU()",
                                   "nn.AdaptiveAvgPool2d(1)", "nn.Flatten()", "nn.Linear(16, 2)"]),
    ("torch.randn(4, 7, 10)", ["nn.LSTM(input_size=10, hidden_size=20, batch_first=True)", "nn.Linear(20, 5)"]),
    ("torch.randn(8, 1, 28, 28)", ["nn.Conv2d(1, 6, 5)", "nn.ReLU()", "nn.MaxPool2d(2, 2)", "nn.Conv2d(6, 16, 5)",
                                   "nn.ReLU()", "nn.MaxPool2d(2, 2)", "nn.Flatten()", "nn.Linear(16 * 5 * 5, 120)"]),
    ("torch.randn(8, 1, 32, 32)", ["nn.Conv2d(1, 6, 5)", "nn.ReLU()", "nn.MaxPool2d(2, 2)", "nn.Conv2d(6, 16, 5)",
                                   "nn.ReLU()", "nn.MaxPool2d(2, 2)", "nn.Flatten()", "nn.Linear(16 * 5 * 5, 120)",
                                   "nn.ReLU()", "nn.Linear(120, 84)", "nn.ReLU()", "nn.Linear(84, 10)"]),
    ("torch.randn(2, 3, 32, 32)", ["nn.Conv2d(3, 8, 3, stride=2, padding=1)", "nn.BatchNorm2d(8)", "nn.ReLU(True)",
                                   "nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)", "nn.Tanh()"]),
    ("torch.randn(2, 5, 12)", ["nn.BatchNorm1d(12)"]),
    ("torch.randn(1, 10)", ["nn.Linear(10, 4)", "nn.BatchNorm1d(4)"]),
    ("torch.randn(2, 10, 16)", ["nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, batch_first=True), 2)",
                                "nn.LayerNorm(16)", "nn.Flatten()", "nn.Linear(160, 3)"]),
    ("torch.randint(0, 100, (4, 12))", ["nn.Embedding(100, 32)", "nn.GRU(32, 64, batch_first=True, "
                                        "bidirectional=True)"]),
    ("torch.randn(3, 7)", ["nn.Linear(7, 5)", "nn.Unflatten(1, (5, 1))", "nn.Conv1d(5, 2, 1)"]),
]


@pytest.mark.parametrize("case", range(len(HAND_WRITTEN)))
def test_hand_written_models(case):
    input_src, mods = HAND_WRITTEN[case]
    assert compare(input_src, mods) is None
