"""A collate_fn that joins its samples with ``torch.cat``: fixed-size images (3, 8, 8) give (3 * B, 8, 8), with no
batch axis, and the conv reads the joined samples as one image of 3 * B channels -- stacking them is the fix. Graphs
of different sizes are batched that way on purpose (their nodes end to end, with an index of which graph each node
belongs to, as GNN code does): their first axis is nodes, not samples, and nothing is reported. PyTorch is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

IMAGES = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader

    images = [(torch.rand(3, 8, 8), torch.tensor(i % 2)) for i in range(12)]

    def collate(batch):
        xs, ys = zip(*batch)
        return torch.cat(xs, dim=0), torch.stack(ys)

    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2))
    for x, y in DataLoader(images, batch_size=4, collate_fn=collate):
        out = model(x)
""").lstrip()

GRAPHS = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader

    graphs = []
    for i in range(12):
        n = int(torch.randint(3, 9, (1,)))
        graphs.append({"X": torch.rand(n, 5), "y": torch.tensor([i % 2])})

    def collate_graphs(batch):
        sizes = [g["X"].size(0) for g in batch]
        index = torch.cat([torch.full((n,), i) for i, n in enumerate(sizes)])
        return torch.cat([g["X"] for g in batch], dim=0), index, torch.cat([g["y"] for g in batch])

    class NodeNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(5, 8)
            self.out = nn.Linear(8, 2)

        def forward(self, x, index, n_graphs):
            h = torch.relu(self.lin(x))
            pooled = torch.zeros(n_graphs, 8).index_add_(0, index, h)
            return self.out(pooled)

    net = NodeNet()
    for x, index, y in DataLoader(graphs, batch_size=4, collate_fn=collate_graphs):
        logits = net(x, index, len(y))
""").lstrip()


def test_fixed_size_samples_joined_end_to_end_are_stacked():
    errors = [d for d in check_source("case.py", IMAGES).diagnostics if d.severity == "error"]
    join = IMAGES.splitlines().index("    return torch.cat(xs, dim=0), torch.stack(ys)") + 1
    assert errors[0].code == "SHP127" and errors[0].primary.span.line == join
    # the conv that reads 12 channels and the Linear after it follow from the join: no `Conv2d(12, ...)` (the batch
    # taken for channels) and no `x.unsqueeze(0)` (one batch of one 12-channel image)
    assert all("torch.stack" in d.help for d in errors)
    fixed = fix_source("case.py", IMAGES, errors, ("safe", "unsafe")).source
    assert "return torch.stack(xs, dim=0), torch.stack(ys)" in fixed and "nn.Conv2d(3, 4, 3)" in fixed
    assert "unsqueeze" not in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (4, 2)
    with pytest.raises(RuntimeError):
        run(IMAGES)


def test_graphs_of_different_sizes_joined_node_by_node_are_not_reported():
    assert [d for d in check_source("case.py", GRAPHS).diagnostics if d.severity in ("error", "warning")] == []
    pytest.importorskip("torch")
    assert tuple(run(GRAPHS)["logits"].shape) == (4, 2)
