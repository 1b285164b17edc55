"""SHP205: DataLoader batches (batch on axis 0) reaching a recurrent or attention layer left at batch_first=False.
A TransformerEncoder / TransformerDecoder has no batch_first of its own: its layer's decides (a false alarm before,
found on an independent holdout script)."""
import textwrap

from shapelint.frontends.source.check import check_source

SCRIPT = """
import math
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=128):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len).unsqueeze(1).float()
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class TextClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(500, 32, padding_idx=0)
        self.pos = PositionalEncoding(32)
        layer = nn.TransformerEncoderLayer(32, nhead=4, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(32, 3)

    def forward(self, tokens):
        return self.head(self.encoder(self.pos(self.embed(tokens))).mean(dim=1))


tokens = torch.randint(1, 500, (64, 80))
labels = torch.randint(0, 3, (64,))
loader = DataLoader(TensorDataset(tokens, labels), batch_size=16, shuffle=True)
model = TextClassifier()
loss_fn = nn.CrossEntropyLoss()
for xb, yb in loader:
    loss = loss_fn(model(xb), yb)
"""


def test_an_encoder_whose_layer_is_batch_first_gets_no_batch_first_warning():
    r = check_source("case.py", textwrap.dedent(SCRIPT).lstrip())
    assert not [d for d in r.diagnostics if d.severity in ("error", "warning")], \
        [(d.code, d.message) for d in r.diagnostics]


MODEL = """
import torch
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(6, 32)
        self.attn = nn.MultiheadAttention(32, 4{flag})
        self.out = nn.Linear(32, 5)
    def forward(self, x):
        h = self.inp(x)
        h, _ = self.attn(h, h, h)
        return self.out({pool})
y = Net()(torch.randn(8, 20, 6))
"""


def _warned(flag, pool):
    r = check_source("case.py", textwrap.dedent(MODEL.format(flag=flag, pool=pool)).lstrip())
    return [d.code for d in r.diagnostics if d.severity in ("error", "warning")]


def test_attention_reading_the_batch_as_the_sequence_is_warned_when_the_output_has_a_row_per_sample():
    assert _warned("", "h.mean(dim=1)") == ["SHP205"]


def test_no_warning_when_the_layer_is_batch_first_or_the_data_is_sequence_first():
    assert _warned(", batch_first=True", "h.mean(dim=1)") == []
    assert _warned("", "h[-1]") == []  # (T, B, F) read as meant: the last step gives one row per sample of axis 1
