"""Live nn.Module checks: meta tensors, the user's module untouched, the failing child by qualified name, and the
same Program the source front-end builds."""
from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

import shapelint  # noqa: E402
from shapelint.frontends.source.check import check_source  # noqa: E402
from shapelint.frontends.torch_live import check_torch_module, meta_copy  # noqa: E402


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 10)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.fc2(F.relu(self.fc1(x)))


def _snapshot(module):
    return {k: (v.device, v.dtype, v.clone()) for k, v in module.state_dict().items()}, module.training, \
        [(len(m._forward_hooks), len(m._forward_pre_hooks)) for m in module.modules()]


def test_correct_model_gives_the_shape_table():
    r = shapelint.check(LeNet(), input_shape=(8, 1, 32, 32))
    assert r.ok
    prog = r.models[0].program
    assert [op.layer.name for op in prog.ops][:4] == ["features.0", "features.1", "features.2", "features.3"]
    assert prog.output.shape == (8, 10)
    assert prog.ops[0].layer.params == 156
    assert "features.3" in str(r)


def test_failure_names_the_child_its_input_and_the_table_up_to_it():
    r = shapelint.check(LeNet(), input_shape=(8, 1, 28, 28))
    assert not r.ok
    d = r.errors[0]
    assert d.code == "SHP101" and d.layer_name == "fc1"
    assert any("`fc1` (Linear), input (8, 256)" in n for n in d.notes)
    ops = r.models[0].program.ops
    assert ops[-1].layer.name == "fc1" and ops[-1].status == "error"
    assert ops[-2].output.shape == (8, 16, 4, 4)
    text = str(r)
    assert "fc1" in text and "(8, 16, 4, 4)" in text


def test_users_module_is_not_touched():
    net = LeNet()
    before = _snapshot(net)
    shapelint.check(net, input_shape=(8, 1, 28, 28))
    shapelint.check(net, input_shape=(8, 1, 32, 32))
    after = _snapshot(net)
    assert before[1] == after[1] and before[2] == after[2]
    for k, (dev, dt, val) in before[0].items():
        assert after[0][k][0] == dev and after[0][k][1] == dt and torch.equal(after[0][k][2], val)


def test_meta_copy_holds_no_real_tensors_and_shares_nothing_mutable():
    net = LeNet()
    clone = meta_copy(net)
    assert all(p.is_meta for p in clone.parameters())
    assert clone.features is not net.features and clone.fc1._parameters is not net.fc1._parameters
    deep = meta_copy(net, deep=True)
    assert all(p.is_meta for p in deep.parameters())


def test_error_inside_forward_code_is_located_in_the_users_file():
    class V(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)

        def forward(self, x):
            return self.conv(x).view(-1, 999)

    r = check_torch_module(V(), (2, 3, 8, 8))
    d = r.errors[0]
    assert d.code == "SHP140" and "test_torch_live.py" in d.message and "V.forward" in d.message
    assert r.models[0].program.ops[0].output.shape == (2, 8, 6, 6)


def test_rnn_tuple_into_linear_and_nested_names():
    seq = nn.Sequential(nn.LSTM(10, 20, batch_first=True), nn.Linear(20, 5))
    r = shapelint.check(seq, input_shape=(4, 7, 10))
    assert r.errors[0].code == "SHP108" and r.errors[0].layer_name == "1"


def test_tensors_created_in_forward_without_device_and_buffers():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("scale", torch.ones(16))
            self.rnn = nn.GRU(8, 16, batch_first=True)

        def forward(self, x):
            h0 = torch.zeros(1, x.shape[0], 16)  # no device: fine on CPU, needs the meta default device here
            out, _ = self.rnn(x, h0)
            return out * self.scale

    r = shapelint.check(M(), input_shape=(3, 5, 8))
    assert r.ok, str(r)
    assert r.models[0].program.output.shape == (3, 5, 16)


def test_embedding_models_get_integer_inputs_and_attention_by_rule():
    layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64, batch_first=True)
    model = nn.Sequential(nn.Embedding(100, 32), nn.TransformerEncoder(layer, 2, enable_nested_tensor=False))
    r = shapelint.check(model, input_shape=(2, 9))
    assert r.ok, str(r)
    assert r.models[0].program.output.shape == (2, 9, 32)
    assert "1.layers.0.self_attn" in [op.layer.name for op in r.models[0].program.ops]


def test_no_input_shape_is_an_info():
    r = shapelint.check(LeNet())
    assert r.ok and [d.code for d in r.diagnostics] == ["SHP003"]


def test_user_hooks_do_not_run_on_meta():
    net = LeNet()
    seen = []
    net.fc1.register_forward_hook(lambda m, a, o: seen.append(o.sum().item()))
    assert shapelint.check(net, input_shape=(2, 1, 32, 32)).ok
    assert seen == []


def test_same_program_as_the_source_front_end():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class LeNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                              nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
                self.fc1 = nn.Linear(16 * 5 * 5, 120)
                self.fc2 = nn.Linear(120, 10)

            def forward(self, x):
                x = torch.flatten(self.features(x), 1)
                return self.fc2(F.relu(self.fc1(x)))

        model = LeNet()
        y = model(torch.randn(8, 1, 32, 32))
    """)
    static = check_source("m.py", src).models[0].program
    live = shapelint.check(LeNet(), input_shape=(8, 1, 32, 32)).models[0].program
    modules = [(op.layer.name, op.layer.kind, op.output.shape) for op in static.ops
               if op.layer.kind[:1].isupper() and "." not in op.layer.kind]
    assert modules == [(op.layer.name, op.layer.kind, op.output.shape) for op in live.ops]


def test_unusual_modules_and_inputs_never_raise():
    class Two(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = nn.Linear(4, 3), nn.Linear(5, 3)

        def forward(self, x, y):
            return self.a(x) + self.b(y)

    class Hidden(nn.Module):
        def __init__(self):
            super().__init__()
            self.plain = [nn.Linear(4, 4)]  # not registered: needs the deep copy
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            return self.fc(self.plain[0](x))

    class Item(nn.Module):
        def forward(self, x):
            return x if x.sum().item() > 0 else -x

    assert shapelint.check(Two(), input_shape=[(2, 4), (2, 5)]).models[0].program.output.shape == (2, 3)
    h = Hidden()
    r = shapelint.check(h, input_shape=(2, 4))
    assert r.ok and r.models[0].program.output.shape == (2, 2) and h.plain[0].weight.device.type == "cpu"
    wn = nn.utils.parametrizations.weight_norm(nn.Linear(4, 3))
    assert shapelint.check(nn.Sequential(wn, nn.ReLU()), input_shape=(2, 4)).ok
    r = shapelint.check(Item(), input_shape=(2, 4))
    assert r.ok and [d.code for d in r.diagnostics] == ["SHP141"]
    assert shapelint.check(nn.DataParallel(nn.Linear(4, 2)), input_shape=(2, 4)).ok
    for bad in ("abc", (2, -1), [(2,), "x"]):
        r = shapelint.check(nn.Linear(3, 8), input_shape=bad)
        assert [d.code for d in r.diagnostics] == ["SHP107"]


def test_rule_warnings_are_reported_for_modules_torch_ran():
    r = shapelint.check(nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8)), input_shape=(1, 3))
    assert [(d.code, d.severity) for d in r.diagnostics] == [("SHP124", "warning")]


def test_exact_mode_and_a_none_batch_axis():
    r = check_torch_module(LeNet(), (None, 1, 28, 28), exact=True)
    assert r.errors[0].code == "SHP101" and r.models[0].program.ops[0].output.shape == (2, 6, 24, 24)
    r = check_torch_module(LeNet(), (None, 1, None, 28))
    assert [d.code for d in r.diagnostics] == ["SHP107"]
