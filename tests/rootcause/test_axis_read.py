"""A layer sized by reading the wrong axis of the data -- ``Net(X.shape[0])`` for ``X`` of shape (500, 12) builds
``nn.Linear(500, 32)``: the read is blamed and made to read the axis the layer consumes (``X.shape[1]``), not the
layer resized to the number copied by hand and not the data transposed. PyTorch is the oracle: the original raises,
the fixed file runs at two numbers of rows."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    X = torch.randn(ROWS, 12)
    y = torch.randn(ROWS, 1)

    class Net(nn.Module):
        def __init__(self, n_in):
            super().__init__()
            self.fc1 = nn.Linear(n_in, 32)
            self.fc2 = nn.Linear(32, 1)

        def forward(self, x):
            return self.fc2(torch.relu(self.fc1(x)))

    model = Net(X.shape[0])
    loss = nn.MSELoss()(model(X), y)
""").lstrip()

GCN = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class GraphConvolution(nn.Module):
        def __init__(self, in_features, out_features):
            super().__init__()
            self.weight = nn.Parameter(torch.empty(in_features, out_features))

        def forward(self, x, adj):
            return torch.spmm(adj, torch.mm(x, self.weight))

    features = torch.randn(ROWS, 24)
    adj = torch.eye(ROWS).to_sparse()
    conv = GraphConvolution(features.size(0), 16)
    h = conv(features, adj)
""").lstrip()


def _error(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return d


@pytest.mark.parametrize("read, fixed", [("X.shape[0]", "X.shape[1]"), ("len(X)", "X.shape[1]"),
                                         ("X.size(0)", "X.size(1)"), ("X.shape[-2]", "X.shape[-1]")])
def test_the_read_is_blamed_and_reads_the_consumed_axis(read, fixed):
    src = SRC.replace("ROWS", "500").replace("Net(X.shape[0])", f"Net({read})")
    d = _error(src)
    assert d.primary.span.line == 16
    assert d.fix is not None and d.fix.edits
    assert f"model = Net({fixed})" in apply_edits(src, d.fix.edits)


def test_a_read_bound_to_a_name_first_is_found_too():
    src = SRC.replace("ROWS", "500").replace("model = Net(X.shape[0])", "n_in = X.shape[0]\nmodel = Net(n_in)")
    d = _error(src)
    assert d.primary.span.line == 16 and "X.shape[1]" in d.help


def test_a_graph_layer_sized_by_the_node_count():
    src = GCN.replace("ROWS", "60")
    d = _error(src)
    assert d.primary.span.line == 14
    assert "features.size(1)" in d.help


def test_the_right_axis_and_reads_for_walking_rows_are_left_alone():
    src = SRC.replace("ROWS", "500").replace("Net(X.shape[0])", "Net(X.shape[1])") + \
        "for i in range(0, X.shape[0], 50):\n    out = model(X[i:i + 50])\n"
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("ROWS", "500"))
    for rows in (500, 37):
        scope = run(SRC.replace("ROWS", str(rows)).replace("X.shape[0]", "X.shape[1]"))
        assert tuple(scope["model"](scope["X"]).shape) == (rows, 1)
    with pytest.raises(RuntimeError):
        run(GCN.replace("ROWS", "60"))
    assert tuple(run(GCN.replace("ROWS", "60").replace("size(0)", "size(1)"))["h"].shape) == (60, 16)
