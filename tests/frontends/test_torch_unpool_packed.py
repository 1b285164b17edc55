"""PyTorch source front-end: MaxPool(return_indices=True) -> MaxUnpool encoder/decoders, SyncBatchNorm,
F.pairwise_distance, and packed sequences (pack_padded_sequence / pack_sequence -> RNN -> pad_packed_sequence).
Each script is also run with real torch 2.13 where its output shape is asserted."""
from __future__ import annotations

import json
import textwrap
import warnings

import pytest

from shapelint.cli import main
from shapelint.frontends.source.check import check_source

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n" \
         "from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pack_sequence\n"


def check(body: str):
    return check_source("t.py", HEADER + textwrap.dedent(body))


def errors(result) -> list:
    return [d for d in result.diagnostics if d.severity == "error"]


def output(result, name="model"):
    m = next(m for m in result.models if m.name == name)
    return m.program.output


def torch_output(body: str):
    """Run the script with real torch; the shape of its ``out`` (nested for tuples)."""
    pytest.importorskip("torch")
    import torch
    ns: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.manual_seed(0)
        exec(HEADER + textwrap.dedent(body), ns)  # noqa: S102 -- our own test scripts
    out = ns["out"]
    return tuple(out.shape) if isinstance(out, torch.Tensor) else tuple(tuple(o.shape) for o in out)


PACKED_UNKNOWN_T = """
class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(10, 16, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(32, 4)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, h = self.rnn(packed)
        out, lens = pad_packed_sequence(out, batch_first=True)
        return self.fc(out)

model = Tagger()
out = model(torch.randn(3, 12, 10), torch.tensor([4, 9, 6]))
"""


def test_packed_length_from_a_tensor_stays_unknown():
    r = check(PACKED_UNKNOWN_T)
    assert not errors(r)
    assert output(r).shape == (3, None, 4)  # T = max(lengths) = 9 at run time: not known statically
    assert torch_output(PACKED_UNKNOWN_T) == (3, 9, 4)


PACKED_LAYOUTS = """
class Enc(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(10, 16, num_layers=2)  # time-major module, fed a batch-first packed batch

    def forward(self, x):
        packed = pack_padded_sequence(x, [7, 5, 2], batch_first=True).to(x.device)
        out, (h, c) = self.rnn(packed)
        y, lens = pad_packed_sequence(out, batch_first=True, total_length=12)
        return y, lens, h

model = Enc()
out = model(torch.randn(3, 12, 10))
"""


def test_packed_input_ignores_the_rnn_layout_and_total_length_pads():
    r = check(PACKED_LAYOUTS)
    assert not errors(r)
    assert [v.shape for v in output(r).items] == [(3, 12, 16), (3,), (2, 3, 16)]
    assert torch_output(PACKED_LAYOUTS) == ((3, 12, 16), (3,), (2, 3, 16))


PACK_SEQUENCE = """
class Enc(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(6, 8, batch_first=True)

    def forward(self, a, b, c):
        out, h = self.rnn(pack_sequence([a, b, c]))
        y, lens = pad_packed_sequence(out)
        return y

model = Enc()
out = model(torch.randn(5, 6), torch.randn(4, 6), torch.randn(2, 6))
"""


def test_pack_sequence_pads_to_the_longest():
    r = check(PACK_SEQUENCE)
    assert not errors(r)
    assert output(r).shape == (5, 3, 8)
    assert torch_output(PACK_SEQUENCE) == (5, 3, 8)


def test_packed_feature_mismatch_and_short_total_length_are_errors():
    r = check(PACKED_LAYOUTS.replace("nn.LSTM(10, 16", "nn.LSTM(12, 16"))
    assert [d.code for d in errors(r)] == ["SHP101"]
    short = PACKED_LAYOUTS.replace("total_length=12", "total_length=5")
    r = check(short)
    assert [d.code for d in errors(r)] == ["SHP107"]
    with pytest.raises(ValueError):
        torch_output(short)


def test_unknown_rnn_layout_on_a_packed_input_stays_unknown():
    r = check("""
    class Enc(nn.Module):
        def __init__(self, bf):
            super().__init__()
            self.rnn = nn.LSTM(10, 16, batch_first=bf)

        def forward(self, x):
            out, _ = self.rnn(pack_padded_sequence(x, [3, 2], batch_first=True))
            return pad_packed_sequence(out, batch_first=True)[0]

    model = Enc(UNKNOWN_FLAG)
    out = model(torch.randn(2, 3, 10))
    """)
    assert not errors(r)
    assert output(r) is None or output(r).shape is None


# -- end to end: `shapelint check --format json` on a script using every feature ------------------------------
SCRIPT = HEADER + '''

class SegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.SyncBatchNorm(8), nn.ReLU())
        self.pool = nn.MaxPool2d(2, 2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, 2)
        self.dec = nn.Conv2d(8, 2, 3, padding=1)

    def forward(self, x):
        x = self.enc(x)
        size = x.size()
        x, idx = self.pool(x)
        x = self.unpool(x, idx, output_size=size)
        y, idx1 = F.max_pool1d(x.flatten(2), 4, return_indices=True)
        z = F.max_unpool1d(y, idx1, 4)
        return self.dec(x) + z.view_as(x)[:, :2]


class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(20, 16), nn.SyncBatchNorm(16), nn.ReLU())
        self.rnn = nn.LSTM(16, 8, batch_first=True)

    def forward(self, a, b):
        packed = pack_padded_sequence(self.embed(a.view(-1, 20)).view(2, 5, 16), [5, 3], batch_first=True)
        out, (h, c) = self.rnn(packed)
        seq, lens = pad_packed_sequence(out, batch_first=True)
        return F.pairwise_distance(seq[:, -1], self.embed(b)[:, :8], keepdim=True)


segnet = SegNet()
seg_out = segnet(torch.randn(2, 3, 10, 14))
siamese = Siamese()
sia_out = siamese(torch.randn(2, 5, 20), torch.randn(2, 20))
out = (seg_out, sia_out)
'''


def test_cli_json_end_to_end(tmp_path, capsys):
    path = tmp_path / "features.py"
    path.write_text(SCRIPT)
    code = main(["check", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    diags = report["files"][0]["diagnostics"]
    assert code == 0 and not [d for d in diags if d["severity"] == "error"], diags
    models = {m["name"]: m for m in report["files"][0]["models"]}
    assert models["segnet"]["layers"][-1]["output"] == [2, 2, 10, 14]
    assert models["siamese"]["layers"][-1]["output"] == [2, 1]
    kinds = [layer["type"] for layer in models["segnet"]["layers"]]
    assert {"SyncBatchNorm", "MaxUnpool2d", "F.max_unpool1d"} <= set(kinds)
    kinds = [layer["type"] for layer in models["siamese"]["layers"]]
    assert {"LSTM", "pad_packed_sequence", "F.pairwise_distance"} <= set(kinds)
    pytest.importorskip("torch")
    ns: dict = {}
    exec(SCRIPT, ns)  # noqa: S102 -- the same script with real torch
    assert tuple(ns["seg_out"].shape) == (2, 2, 10, 14) and tuple(ns["sia_out"].shape) == (2, 1)
