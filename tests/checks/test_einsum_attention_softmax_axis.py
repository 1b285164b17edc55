"""SHP216 for attention written with einsum: scores ``einsum("bihd,bjhd->bijh", q, k)`` normalised with
``softmax(dim=1)`` (over the queries ``i``) and then summed over the keys ``j`` by ``einsum("bijh,bjhd->bihd",
attn, v)``. Each query's weights must sum to 1 over ``j``: the fix normalises over the summed axis. Torch is the
oracle: before the fix the weights of a query do not sum to 1, after it they do."""
import textwrap

import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Attention(nn.Module):
        def __init__(self, dim=32, heads=4):
            super().__init__()
            self.heads, self.d = heads, dim // heads
            self.qkv = nn.Linear(dim, 3 * dim)

        def forward(self, x):
            b, n, _ = x.shape
            q, k, v = self.qkv(x).view(b, n, self.heads, 3 * self.d).chunk(3, dim=-1)
            attn = torch.einsum("bihd,bjhd->bijh", q, k) * self.d ** -0.5
            attn = attn.softmax(dim=1)
            self.weights = attn
            return torch.einsum("bijh,bjhd->bihd", attn, v).reshape(b, n, -1)


    model = Attention()
    out = model(torch.randn(2, 10, 32))
    per_query = model.weights.sum(dim=2)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_weights_normalised_over_the_queries_are_moved_to_the_summed_keys():
    assert not torch.allclose(run(SCRIPT)["per_query"], torch.ones(2, 10, 4))
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP216" and d.primary.span.line == 15
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "attn.softmax(dim=2)" in fixed and not _loud(fixed)
    assert torch.allclose(run(fixed)["per_query"], torch.ones(2, 10, 4))


def test_weights_normalised_over_the_keys_say_nothing():
    src = SCRIPT.replace("attn.softmax(dim=1)", "attn.softmax(dim=-2)")
    assert torch.allclose(run(src)["per_query"], torch.ones(2, 10, 4)) and not _loud(src)


SLOT_ATTENTION = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class SlotAttention(nn.Module):
        def __init__(self, dim=32):
            super().__init__()
            self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)

        def forward(self, slots, inputs):
            q, k, v = self.q(slots), self.k(inputs), self.v(inputs)
            attn = torch.einsum("bid,bjd->bij", q, k).softmax(dim=1)  # the slots compete for each input
            return torch.einsum("bjd,bij->bid", v, attn)


    out = SlotAttention()(torch.randn(2, 5, 32), torch.randn(2, 64, 32))
""").lstrip()

EXPERT_GATES = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class ExpertChoice(nn.Module):
        def __init__(self, dim=32, experts=4):
            super().__init__()
            self.gate = nn.Linear(dim, experts)

        def forward(self, x):
            gates = self.gate(x).softmax(dim=-1)
            return torch.einsum("bte,btd->bed", gates, x)


    out = ExpertChoice()(torch.randn(2, 10, 32))
""").lstrip()


def test_slot_attention_and_expert_gates_are_design_choices():
    """Queries and keys from different tensors (slots competing for inputs) and weights that are no q.k product
    (a mixture-of-experts gate): the softmax axis is meant as written."""
    for src in (SLOT_ATTENTION, EXPERT_GATES):
        run(src)
        assert not _loud(src)
