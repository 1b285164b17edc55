"""Two embeddings joined on the batch axis, ``torch.cat([u, i], dim=0)``, before a Linear sized for them joined on
the features (32 + 32 = 64): the root cause is the axis of the join, not the Linear's width and not a merged batch.
Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

NCF = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class NCF(nn.Module):
        def __init__(self, num_users, num_items, embedding_dim=32):
            super().__init__()
            self.user_embedding = nn.Embedding(num_users, embedding_dim)
            self.item_embedding = nn.Embedding(num_items, embedding_dim)
            self.mlp = nn.Sequential(nn.Linear(embedding_dim * 2, 16), nn.ReLU(), nn.Linear(16, 1))

        def forward(self, users, items):
            concat = torch.cat([self.user_embedding(users), self.item_embedding(items)], dim=0)
            return torch.sigmoid(self.mlp(concat)).squeeze(-1)


    model = NCF(100, 50)
    preds = model(torch.randint(0, 100, (8,)), torch.randint(0, 50, (8,)))
""").lstrip()


def test_the_join_axis_is_the_root_cause():
    with pytest.raises(RuntimeError):
        run(NCF)
    (d,) = [d for d in check_source("case.py", NCF).diagnostics if d.severity == "error"]
    assert "torch.cat" in NCF.splitlines()[d.line - 1] and d.cause == "layout"
    assert not any(n.startswith("or:") for n in d.notes)  # no width resized, no merged batch offered
    fixed = fix_source("case.py", NCF, [d], ("safe", "unsafe")).source
    assert "dim=1)" in fixed and "embedding_dim * 2" in fixed
    assert tuple(run(fixed)["preds"].shape) == (8,)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]
