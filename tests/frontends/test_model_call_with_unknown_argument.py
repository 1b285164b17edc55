"""``model(x, lengths)`` where ``lengths`` is a value we cannot follow (made by a collate_fn from Python lists): the
known data still runs the model, the unknown argument is passed on unknown -- the model's table is the data's, not
one implied by its first layer, and the checks that need the data see it (rw18c: a time-major pad_sequence)."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 8)

        def forward(self, x, lengths):
            return self.emb(x)


    m = M()
    x = torch.randint(0, 100, (5, 7))
    out = m(x, unknown_lengths())
""").lstrip()


def test_the_known_data_runs_the_model():
    result = check_source("case.py", SRC)
    (model,) = result.models
    assert tuple(model.program.ops[-1].output.shape) == (5, 7, 8)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(SRC.replace("unknown_lengths()", "None"))["out"].shape) == (5, 7, 8)
