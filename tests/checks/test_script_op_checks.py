"""The op checks that read a model's ops (a softmax over the queries, a padding mask on the query axis) also read the
ops a script runs at its top level, outside any model. PyTorch is the oracle of the shapes."""
import textwrap

import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

ATTENTION = textwrap.dedent("""
    import torch
    import torch.nn as nn

    x = torch.randn(2, 17, 48)
    W_q, W_k, W_v = nn.Linear(48, 48), nn.Linear(48, 48), nn.Linear(48, 48)
    Q, K, V = W_q(x), W_k(x), W_v(x)
    scores = Q @ K.transpose(-2, -1) / 48 ** 0.5
    attention_weights = torch.softmax(scores, dim=1)
    out = attention_weights @ V
""").lstrip()


def test_a_softmax_over_the_queries_in_the_script():
    w = run(ATTENTION)["attention_weights"]
    assert not torch.allclose(w.sum(-1), torch.ones(2, 17))
    (d,) = [d for d in check_source("case.py", ATTENTION).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP216" and d.line == 8
    fixed = fix_source("case.py", ATTENTION, [d], ("safe", "unsafe")).source
    assert "torch.softmax(scores, dim=-1)" in fixed
    assert torch.allclose(run(fixed)["attention_weights"].sum(-1), torch.ones(2, 17), atol=1e-5)


def test_a_softmax_over_the_keys_in_the_script_is_clean():
    src = ATTENTION.replace("dim=1", "dim=-1")
    run(src)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
