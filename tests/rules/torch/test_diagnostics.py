"""PyTorch diagnostics in the module's own terms, implied inputs, and soundness with symbolic sizes."""
import pytest

from shapelint.core.infer import Inference
from shapelint.core.program import Layer, Program
from shapelint.core.registry import lookup
from shapelint.core.values import Tensor, TensorTuple
from shapelint.frontends.source.check import check_source

HEAD = "import torch\nimport torch.nn as nn\n\n"


def check(body: str):
    return check_source("m.py", HEAD + body)


def errors(result):
    return [d for d in result.diagnostics if d.severity == "error"]


def apply(kind, inputs, *args, **kwargs):
    """Apply rule ``kind`` to input values, binding args like the front-ends do; returns (output, diagnostics)."""
    rule = lookup("torch", kind)
    bound, given, problems = rule.signature.bind(list(args), kwargs)
    assert not problems, problems
    layer = Layer("torch", kind, args=bound, given=set(given))
    inf = Inference(Program("p", "torch"))
    out = inf.apply(layer, list(inputs))
    return out, inf.diagnostics, layer


def test_linear_in_features_names_the_value_that_fits():
    r = check("model = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 10))\n"
              "out = model(torch.randn(8, 16, 4, 4))\n")
    (d,) = errors(r)
    assert (d.code, d.expected, d.received, d.layer) == ("SHP101", 400, 256, 1)
    assert d.help == "set `in_features` to 256"
    assert d.fix.applicability == "safe" and [e.text for e in d.fix.edits] == ["256"]
    assert tuple(r.models[0].program.output.shape) == (8, 10)  # recovered: one mistake, one diagnostic


def test_in_channels_fix():
    r = check("model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(4, 8, 3))\nout = model(torch.randn(2, 3, 9, 9))\n")
    (d,) = errors(r)
    assert d.code == "SHP102" and d.received == 8 and [e.text for e in d.fix.edits] == ["8"]


def test_channels_last_images():
    r = check("model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU())\n"
              "out = model(torch.randn(4, 64, 64, 3))\n")
    (d,) = errors(r)
    assert d.code == "SHP109" and "torch.randn(4, 64, 64, 3).permute(0, 3, 1, 2)" in d.help
    assert tuple(r.models[0].program.output.shape) == (4, 16, 64, 64)


def test_batchnorm1d_on_sequence_features_last():
    r = check("model = nn.Sequential(nn.BatchNorm1d(12))\nout = model(torch.randn(2, 5, 12))\n")
    (d,) = errors(r)
    assert d.code == "SHP102" and "transpose(1, 2)" in d.help and "LayerNorm(12)" in d.help


BN_ONE = "model = nn.Sequential(nn.Linear(10, 4), nn.BatchNorm1d(4))\nout = model(torch.randn(1, 10))\n"


def test_batchnorm_single_value_in_training_mode_for_certain_is_an_error():
    # a module starts in training mode and nothing in the file switches it: torch raises "Expected more than 1 value
    # per channel when training" (the oracle below)
    (d,) = errors(check(BN_ONE))
    assert d.code == "SHP124"
    import torch
    model = torch.nn.Sequential(torch.nn.Linear(10, 4), torch.nn.BatchNorm1d(4))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        model(torch.randn(1, 10))


def test_batchnorm_single_value_is_a_warning_when_the_mode_may_be_switched():
    # the mode is set from a value not known here: the run may be in evaluation mode, where it is fine
    r = check("import sys\nmodel = nn.Sequential(nn.Linear(10, 4), nn.BatchNorm1d(4))\n"
              "model.train(len(sys.argv) > 1)\nout = model(torch.randn(1, 10))\n")
    assert not errors(r)
    assert [d.code for d in r.diagnostics if d.severity == "warning"] == ["SHP124"]


def test_lstm_tuple_into_linear_says_how_to_take_the_last_step():
    r = check("model = nn.Sequential(nn.LSTM(10, 20, batch_first=True), nn.Linear(20, 5))\n"
              "out = model(torch.randn(4, 7, 10))\n")
    (d,) = errors(r)
    assert d.code == "SHP108" and "output[:, -1]" in d.help


def test_rank_mismatch_names_the_layouts():
    r = check("model = nn.Sequential(nn.Conv2d(3, 8, 3))\nout = model(torch.randn(3, 32))\n")
    (d,) = errors(r)
    assert d.code == "SHP103" and "(N, C, H, W) or (C, H, W)" in d.message


@pytest.mark.parametrize("src,expected", [
    ("nn.Linear(784, 10)", ("N", 784)),
    ("nn.Conv2d(3, 16, 3)", ("N", 3, "H", "W")),
    ("nn.Conv1d(8, 16, 3)", ("N", 8, "L")),
    ("nn.LSTM(input_size=10, hidden_size=20, batch_first=True)", ("N", "L", 10)),
    ("nn.GRU(10, 20)", ("L", "N", 10)),
    ("nn.BatchNorm2d(8)", ("N", 8, "H", "W")),
    ("nn.LayerNorm(32)", ("N", 32)),
    ("nn.TransformerEncoderLayer(64, 8, batch_first=True)", ("N", "S", 64)),
    ("nn.Embedding(100, 16)", ("N", "L")),
    ("nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 8), 2)", ("S", "N", 64)),
    ("nn.PixelShuffle(2)", ("N", "C", "H", "W")),
])
def test_implied_input(src, expected):
    kind = src.split("(")[0].split(".")[-1]
    r = check(f"layer = {src}\nmodel = nn.Sequential(layer)\n")
    layer = r.models[0].program.ops[0].layer
    assert lookup("torch", kind).implied_input(layer).shape == expected


@pytest.mark.parametrize("kind", ["BatchNorm1d", "GroupNorm", "ReLU", "Flatten", "Dropout"])
def test_rank_ambiguous_modules_imply_no_input(kind):
    """BatchNorm1d takes (N, C) or (N, C, L), GroupNorm any rank >= 2: a guessed rank could become a false alarm."""
    assert lookup("torch", kind).implied_input is None


def test_no_error_that_depends_on_unknown_image_size():
    r = check("model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.MaxPool2d(2),\n"
              "    nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.Linear(120, 10))\n")
    assert not errors(r)
    assert r.models[0].program.output.shape == ("N", 10)


def test_contradiction_that_holds_for_every_size_is_reported():
    r = check("model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Conv2d(8, 16, 3))\n")
    (d,) = errors(r)
    assert d.code == "SHP102" and (d.expected, d.received) == (8, 16)


@pytest.mark.parametrize("kind,inputs,args,kwargs,expected", [
    ("Conv2d", [Tensor(("N", 3, "H", "W"))], (3, 8, 3), {"padding": 1}, ("N", 8, "H", "W")),
    ("Conv2d", [Tensor(("N", 3, "H", "W"))], (3, 8, 3), {"padding": "same"}, ("N", 8, "H", "W")),
    ("Conv2d", [Tensor(("N", 3, "H", "W"))], (3, 8, 5), {}, ("N", 8, None, None)),
    ("MaxPool2d", [Tensor(("N", 3, "H", 8))], (2,), {}, ("N", 3, None, 4)),
    ("view", [Tensor(("N", 16, 4, 4))], ("N", -1), {}, ("N", 256)),
    ("reshape", [Tensor(("N", 16, None))], (-1, 16), {}, (None, 16)),
    ("flatten", [Tensor(("N", 16, 4, 4))], (1,), {}, ("N", 256)),
    ("add", [Tensor(("N", 3)), Tensor((None, 3))], (), {}, (None, 3)),
    ("add", [Tensor(("N", 3)), Tensor(("N", 1))], (), {}, ("N", 3)),
    ("matmul", [Tensor(("N", "L", 8)), Tensor((8, 4))], (), {}, ("N", "L", 4)),
    ("cat", [Tensor(("N", 3)), Tensor(("N", 5))], (), {"dim": 1}, ("N", 8)),
    ("squeeze", [Tensor(("N", 3))], (), {}, None),
    ("LSTM", [Tensor(("N", "L", 10))], (10, 20), {"batch_first": True}, None),
])
def test_symbols_flow_without_false_alarms(kind, inputs, args, kwargs, expected):
    out, diags, _ = apply(kind, inputs, *args, **kwargs)
    assert not [d for d in diags if d.severity == "error"]
    if isinstance(out, TensorTuple):
        assert out.items[0].shape == ("N", "L", 20)
    else:
        assert out.shape == expected


@pytest.mark.parametrize("kind,inputs,args,code", [
    ("view", [Tensor((8, 16, 5, 5))], (-1, 256), "SHP105"),
    ("view", [Tensor((8, 16, 4, 4))], (8, 300), "SHP105"),
    ("cat", [Tensor((2, 3, 4)), Tensor((2, 5, 5))], (), "SHP106"),
    ("matmul", [Tensor((8, 256)), Tensor((400, 120))], (), "SHP112"),
    ("mm", [Tensor((8, 256)), Tensor((8, 256, 3))], (), "SHP103"),
    ("add", [Tensor((2, 3)), Tensor((2, 4))], (), "SHP106"),
    ("getitem", [Tensor((4, 7))], ((slice(None), 9),), "SHP120"),
    ("transpose", [Tensor((4, 7))], (0, 2), "SHP110"),
])
def test_op_errors(kind, inputs, args, code):
    out, diags, _ = apply(kind, inputs, *args)
    assert [d.code for d in diags if d.severity == "error"] == [code]


def test_a_square_map_whose_size_equals_the_wanted_channels_is_not_channels_last():
    """(2, 96, 64, 64) into a conv wanting 64 channels: 96 channels on axis 1 (a U-Net concatenation), 64x64 pixels;
    the 64 on the last axis is the width, not a channels-last layout."""
    r = check("model = nn.Sequential(nn.Conv2d(96, 8, 3, padding=1), nn.Conv2d(64, 8, 3, padding=1))\n"
              "out = model(torch.randn(2, 96, 64, 64))\n")
    (d,) = errors(r)
    assert d.code == "SHP102"
