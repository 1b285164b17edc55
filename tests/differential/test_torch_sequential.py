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
from torch_harness import compare, run_generated  # noqa: E402


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


def gen_sync_batch_norm(rng):
    """nn.SyncBatchNorm (plain batch norm without a process group): any rank >= 2, C == num_features unless it has
    neither affine weights nor running statistics, C > 0, more than one value per channel in training."""
    rank = rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6])
    c = rng.choice([0, 3, 4, 4, 4]) if rank > 1 else rng.choice([3, 4])
    shape = (rng.choice([1, 2, 2]), c) + tuple(rng.choice([1, 2, 3]) for _ in range(rank - 2)) if rank > 1 else (c,)
    nf = 4 if rng.random() < 0.75 else rng.choice([3, 5])
    flags = rng.choice(["", "", ", affine=False", ", track_running_stats=False",
                        ", affine=False, track_running_stats=False", ", eps=1e-3, momentum=None", ", bias=False"])
    mods = [f"nn.SyncBatchNorm({nf}{flags})"]
    if rank == 4 and c and rng.random() < 0.4:
        mods = [f"nn.Conv2d({c}, 4, 1)"] + mods + ["nn.ReLU()"]
    elif rank == 2 and c and rng.random() < 0.4:
        mods = [f"nn.Linear({c}, 4)"] + mods
    return f"torch.randn{shape!r}" if len(shape) > 1 else f"torch.randn({shape[0]})", mods


def test_generated_sync_batch_norm_agrees_with_torch():
    bad, counts = run_generated(gen_sync_batch_norm, 300, seed=11)
    print("SyncBatchNorm", counts)
    assert counts["ok"] > 60 and counts["error"] > 30, counts
    assert not bad, f"{len(bad)} disagree:\n" + "\n".join(bad[:8])
