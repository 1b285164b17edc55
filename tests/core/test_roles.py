"""Axis roles (core/roles.py) carried through the ops a script writes around a model: what the model's run says about
its output's axes reaches the loss and metric code (indexing, stacking, reductions, products)."""
import textwrap

from shapelint.core import roles
from shapelint.frontends.source.check import check_source
from shapelint.frontends.source import models

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def script_roles(body: str) -> dict:
    """name of the script op's kind (last one of each kind wins) -> the roles of its output."""
    runs = []
    original = models.script_run

    def keep(ev):
        inf = original(ev)
        runs.append(inf)
        return inf
    import shapelint.frontends.source.torch_ops as torch_ops
    import shapelint.frontends.source.torch_api as torch_api
    saved = (models.script_run, torch_ops.script_run, torch_api.script_run)
    models.script_run = torch_ops.script_run = torch_api.script_run = keep
    try:
        check_source("t.py", HEADER + textwrap.dedent(body))
    finally:
        models.script_run, torch_ops.script_run, torch_api.script_run = saved
    inf = runs[-1]
    return {op.layer.kind: roles.roles_of(inf, op.output) for op in inf.program.ops}


def test_a_models_output_roles_reach_the_script():
    got = script_roles("""
        model = nn.Linear(16, 5)
        out = model(torch.randn(4, 16))
        stacked = torch.stack([out, out], dim=0)
        picked = stacked[1]
        some = picked[1:3]
        col = picked[:, 0]
        total = picked.sum(dim=-1)
        kept = picked.mean(0, keepdim=True)
        sim = picked @ picked.T
    """)
    assert got["stack"] == (None, roles.N, roles.F)
    assert got["getitem"] == (roles.N,)  # picked[:, 0]: the samples, one class's score each
    assert got["sum"] == (roles.N,)
    assert got["mean"] == (None, roles.F)  # the batch averaged away (kept as size 1) is no longer the batch
    assert got["matmul"] == (roles.N, None)  # samples against samples: the columns are not features


def test_a_tensor_index_is_not_followed():
    got = script_roles("""
        model = nn.Linear(16, 5)
        out = model(torch.randn(4, 16))
        rows = out[torch.tensor([0, 2])]
    """)
    assert got["getitem"] is None
