"""Samples built by a comprehension over a tensor (``[torch.randn(int(t), 13) for t in lens]``) are alike: one of
them (``feats[i]``) is the item, a slice (``feats[:8]``) is as many items, and ``pad_sequence`` of them pads to an
unknown length. Followed through a Dataset and a collate_fn that pads time-major, a batch-first LSTM then reads the
padded length as the batch -- torch fails at the loss. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

ITEMS = textwrap.dedent("""
    import torch
    from torch.nn.utils.rnn import pad_sequence

    lens = torch.randint(20, 40, (24,))
    feats = [torch.randn(int(t), 13) for t in lens]
    one = feats[3]
    some = feats[:8]
    padded = pad_sequence(some)
""").lstrip()

LOADER = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.nn.utils.rnn import pad_sequence
    from torch.utils.data import DataLoader, Dataset


    class Clips(Dataset):
        def __init__(self, n=24):
            lens = torch.randint(20, 40, (n,))
            self.feats = [torch.randn(int(t), 13) for t in lens]
            self.labels = torch.randint(0, 6, (n,))

        def __len__(self):
            return len(self.feats)

        def __getitem__(self, i):
            return self.feats[i], self.labels[i]


    def collate(batch):
        feats, labels = zip(*batch)
        return pad_sequence(feats, padding_value=0.0), torch.stack(labels)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(13, 32, batch_first=True)
            self.head = nn.Linear(32, 6)

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            return self.head(h[-1])


    model = Net()
    for x, y in DataLoader(Clips(), batch_size=8, collate_fn=collate):
        loss = nn.functional.cross_entropy(model(x), y)
""").lstrip()


def test_items_slices_and_padding_follow_the_comprehension():
    scope = static_values(ITEMS)
    assert tuple(scope["one"].shape) == (None, 13)
    assert tuple(scope["padded"].shape) == (None, 8, 13)


def test_time_major_padding_into_a_batch_first_lstm_is_fixed_where_it_pads():
    (d,) = [d for d in check_source("case.py", LOADER).diagnostics if d.severity == "error"]
    assert d.primary.span.line == LOADER.splitlines().index(
        "    return pad_sequence(feats, padding_value=0.0), torch.stack(labels)") + 1
    fixed = fix_source("case.py", LOADER, [d], ("safe", "unsafe")).source
    assert "pad_sequence(feats, padding_value=0.0, batch_first=True)" in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = run(ITEMS)
    assert tuple(scope["one"].shape)[1:] == (13,) and tuple(scope["padded"].shape)[1:] == (8, 13)
    with pytest.raises(ValueError, match="Expected input batch_size"):
        run(LOADER)
    fixed = run(LOADER.replace("padding_value=0.0)", "padding_value=0.0, batch_first=True)"))
    assert fixed["loss"].shape == ()
