"""``torch.max_pool2d(x, 2)`` & co. are ``torch.nn.functional`` ops under another name (api.canonical); tqdm and
trange around a loop's iterable are the iterable (progress_api). Shapes compared with real torch."""
from __future__ import annotations

import ast

import pytest

from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.evaluator import Evaluator
from shapelint.frontends.source.objects import TensorVal

torch = pytest.importorskip("torch")

CASES = [
    ("torch.randn(2, 3, 9, 9)", "torch.max_pool2d(x, 2)"),
    ("torch.randn(2, 3, 9, 9)", "torch.max_pool2d(x, 3, 2, 1)"),
    ("torch.randn(2, 3, 20)", "torch.max_pool1d(x, 4)"),
    ("torch.randn(1, 2, 8, 8, 8)", "torch.max_pool3d(x, 2)"),
    ("torch.randn(2, 3, 20)", "torch.avg_pool1d(x, 3, stride=2)"),
    ("torch.randn(2, 3, 20)", "torch.adaptive_avg_pool1d(x, 5)"),
    ("torch.randn(2, 3, 20)", "torch.conv1d(x, torch.randn(8, 3, 5), padding=2)"),
    ("torch.randn(2, 3, 9, 9)", "torch.conv2d(x, torch.randn(4, 3, 3, 3), stride=2)"),
    ("torch.randn(2, 8, 4, 4)", "torch.conv_transpose2d(x, torch.randn(8, 2, 2, 2), stride=2)"),
    ("torch.randn(2, 8, 4, 4)", "torch.pixel_shuffle(x, 2)"),
    ("torch.randn(2, 2, 4, 4)", "torch.pixel_unshuffle(x, 2)"),
]


@pytest.mark.parametrize("make,expr", CASES)
def test_torch_namespace_functional_ops_match_torch(make, expr):
    src = f"import torch\nx = {make}\ny = {expr}\n"
    ev = Evaluator("t.py", src, ast.parse(src))
    ev.run()
    y = ev.module.vars["y"]
    real = {}
    exec(src, real)
    assert isinstance(y, TensorVal) and tuple(y.shape) == tuple(real["y"].shape)


def test_tqdm_around_a_loader_keeps_the_batches():
    src = ("import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader, TensorDataset\n"
           "from tqdm.auto import tqdm, trange\n"
           "loader = DataLoader(TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,))), batch_size=8)\n"
           "model = nn.Linear(6, 3)\ncrit = nn.CrossEntropyLoss()\n"
           "for epoch in trange(2, desc='epochs'):\n"
           "    for i, (xb, yb) in enumerate(tqdm(loader, leave=False)):\n"
           "        loss = crit(model(xb), yb.unsqueeze(1))\n")
    errs = [(d.code, d.line) for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    assert errs == [("SHP301", 10)]  # one diagnostic for the one mistake (at the loss call)
