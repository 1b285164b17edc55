"""A weight made with a literal size (``nn.Parameter(torch.ones(1))``) beside the name the module gives that size
(``num_tasks = len(cfg["tasks"])``), multiplied with labels of one column per task: the literal is blamed and the
name written there -- not the labels cut to one column. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CONFIG = {"tasks": ["click", "like", "share"], "batch_size": BATCH}

    class Weighting(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            num_tasks = len(cfg["tasks"])
            self.weights = nn.Parameter(torch.ones(1), requires_grad=False)

        def forward(self, labels):
            return torch.matmul(labels, self.weights)

    def fake_labels(cfg):
        return (torch.rand(cfg["batch_size"], len(cfg["tasks"])) > 0.5).float()

    model = Weighting(CONFIG)
    value = model(fake_labels(CONFIG))
""").lstrip()

CONSTANT = textwrap.dedent("""
    import torch
    import torch.nn as nn

    N_FEATURES = 6

    class Scorer(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("w", torch.randn(4, 1))

        def forward(self, x):
            return x @ self.w

    scores = Scorer()(torch.randn(BATCH, N_FEATURES))
""").lstrip()


def _error(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return d


def test_the_literal_is_blamed_and_the_local_name_written():
    src = SRC.replace("BATCH", "8")
    d = _error(src)
    assert d.primary.span.line == 10
    assert "torch.ones(num_tasks)" in apply_edits(src, d.fix.edits)


def test_a_module_constant_is_written_too():
    src = CONSTANT.replace("BATCH", "8")
    d = _error(src)
    assert d.primary.span.line == 9
    assert "torch.randn(N_FEATURES, 1)" in apply_edits(src, d.fix.edits)


def test_a_weight_that_fits_is_left_alone():
    src = SRC.replace("BATCH", "8").replace("torch.ones(1)", "torch.ones(num_tasks)")
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("BATCH", "8"))
    for batch in (8, 3):
        assert tuple(run(SRC.replace("BATCH", str(batch)).replace("ones(1)", "ones(num_tasks)"))["value"].shape) == (batch,)
        assert tuple(run(CONSTANT.replace("BATCH", str(batch)).replace("randn(4, 1)", "randn(N_FEATURES, 1)"))
                     ["scores"].shape) == (batch, 1)
    with pytest.raises(RuntimeError):
        run(CONSTANT.replace("BATCH", "8"))
