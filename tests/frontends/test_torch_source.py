"""The PyTorch source front-end: nn.Sequential / ModuleList / ModuleDict / nn.Module subclasses read from the AST,
forward() run abstractly, inputs from the call site, --input-shape, or what the first op implies."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from shapelint.api import check_path
from shapelint.frontends.source.check import check_source

CASES = Path(__file__).resolve().parents[3] / "shared" / "cases"
HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


def check(body: str, **kw):
    return check_source("t.py", HEADER + textwrap.dedent(body), **kw)


def model(result, name="model"):
    return next(m for m in result.models if m.name == name)


def shapes(m) -> list:
    return [(op.layer.label, op.output.shape if hasattr(op.output, "shape") else op.output) for op in m.program.ops]


def errors(result) -> list:
    return [d for d in result.diagnostics if d.severity == "error"]


# -- the public cases -----------------------------------------------------------------------------------------
@pytest.mark.skipif(not CASES.exists(), reason="shared cases not present")
def test_lenet_wrong_in_features_is_found_at_the_linear():
    r = check_path(str(CASES / "torch_linear_in_features.py"))
    errs = errors(r)
    assert errs and errs[0].code == "SHP101" and errs[0].line in (12, 20)
    assert errs[0].layer_name == "fc1"


@pytest.mark.skipif(not CASES.exists(), reason="shared cases not present")
def test_resnet_block_case_is_clean_with_output():
    r = check_path(str(CASES / "torch_resnet_block_ok.py"))
    assert not errors(r)
    m = r.models[0]
    assert m.program.ops[-1].output.shape == (2, 10)
    assert "1.conv1" in [op.layer.name for op in m.program.ops]


@pytest.mark.skipif(not CASES.exists(), reason="shared cases not present")
def test_lstm_in_sequential_case():
    errs = errors(check_path(str(CASES / "torch_lstm_in_sequential.py")))
    assert errs and errs[0].code == "SHP108" and errs[0].line in (5, 6)


@pytest.mark.skipif(not CASES.exists(), reason="shared cases not present")
def test_channels_last_case_points_at_the_data():
    errs = errors(check_path(str(CASES / "torch_channels_last_input.py")))
    assert errs and errs[0].line in (12, 13)


# -- module structure -----------------------------------------------------------------------------------------
def test_qualified_names_nested_modules_sequentials_lists_and_dicts():
    r = check("""
        from collections import OrderedDict

        class Block(nn.Module):
            def __init__(self, c):
                super().__init__()
                self.conv1 = nn.Conv2d(c, c, 3, padding=1)

            def forward(self, x):
                return F.relu(self.conv1(x)) + x

        class Net(nn.Module):
            def __init__(self, widths=(8, 16), classes=10):
                super().__init__()
                layers = []
                c = 3
                for w in widths:
                    layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU()]
                    c = w
                self.features = nn.Sequential(*layers)
                self.layer1 = nn.Sequential(*[Block(c) for _ in range(2)])
                self.heads = nn.ModuleDict({"cls": nn.Linear(c, classes)})
                self.extra = nn.ModuleList([nn.Identity()])
                self.tail = nn.Sequential(OrderedDict([("pool", nn.AdaptiveAvgPool2d(1)), ("flat", nn.Flatten())]))

            def forward(self, x):
                x = self.layer1(self.features(x))
                for m in self.extra:
                    x = m(x)
                return self.heads["cls"](self.tail(x))

        model = Net(classes=5)
        out = model(torch.randn(2, 3, 8, 8))
    """)
    m = model(r)
    names = [op.layer.name for op in m.program.ops]
    for expected in ("features.0", "features.3", "layer1.0.conv1", "layer1.1.conv1", "extra.0", "tail.pool",
                     "heads.cls"):
        assert expected in names, names
    assert m.program.ops[-1].output.shape == (2, 5)
    assert m.program.ops[names.index("layer1.0.conv1")].layer.origin.path == "layer1.0.conv1"
    assert not errors(r)


def test_constructor_arguments_and_defaults_from_the_call_site():
    r = check("""
        class Net(nn.Module):
            def __init__(self, in_dim, hidden=32, num_classes=10):
                super().__init__()
                self.fc1 = nn.Linear(in_dim, hidden)
                self.fc2 = nn.Linear(hidden, num_classes)

            def forward(self, x):
                return self.fc2(F.relu(self.fc1(x)))

        model = Net(20, num_classes=3)
        y = model(torch.randn(4, 20))
        bad = Net(21)
        z = bad(torch.randn(4, 20))
    """)
    assert model(r).program.ops[-1].output.shape == (4, 3)
    errs = errors(r)
    assert len(errs) == 1 and errs[0].code == "SHP101" and errs[0].model == "bad"


def test_tuple_outputs_unpack_and_indexing():
    r = check("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(10, 20, batch_first=True)
                self.fc = nn.Linear(20, 5)

            def forward(self, x):
                out, (h, c) = self.lstm(x)
                last = out[:, -1]
                return self.fc(last) + self.fc(h[-1])

        model = Net()
        y = model(torch.randn(4, 7, 10))
    """)
    m = model(r)
    kinds = [op.layer.kind for op in m.program.ops]
    assert kinds[:3] == ["LSTM", "getitem", "Linear"]
    assert m.program.output.shape == (4, 5)
    assert not errors(r)


def test_sizes_from_the_tensor_and_tensors_created_in_forward():
    r = check("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 4, 3)
                self.rnn = nn.GRU(4 * 26, 8, batch_first=True)

            def forward(self, x):
                b, c, h, w = x.size()
                assert x.dim() == 4 and x.ndim == 4
                x = self.conv(x)
                x = x.permute(0, 3, 1, 2).reshape(b, x.shape[3], -1)
                h0 = torch.zeros(1, x.size(0), 8)
                out, hn = self.rnn(x, h0)
                return out

        model = Net()
        y = model(torch.randn(2, 1, 28, 28))
    """)
    m = model(r)
    assert m.program.output.shape == (2, 26, 8)
    assert not errors(r)


def test_subclass_with_super_forward_and_sequential_subclass():
    r = check("""
        class Base(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Linear(8, 16)

            def forward(self, x):
                return self.body(x)

        class Child(Base):
            def __init__(self):
                super().__init__()
                self.head = nn.Linear(16, 2)

            def forward(self, x):
                return self.head(super().forward(x))

        class Stack(nn.Sequential):
            def __init__(self):
                super().__init__(nn.Linear(8, 4), nn.ReLU())

        model = Child()
        y = model(torch.randn(3, 8))
        s = Stack()
        z = s(torch.randn(3, 8))
    """)
    assert model(r).program.output.shape == (3, 2)
    assert model(r, "s").program.ops[-1].output.shape == (3, 4)


# -- inputs ---------------------------------------------------------------------------------------------------
def test_implied_input_reports_only_contradictions_that_hold_for_every_size():
    r = check("""
        class Ok(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 8, 3)
                self.fc = nn.Linear(8 * 30 * 30, 10)

            def forward(self, x):
                x = F.relu(self.conv(x))
                return self.fc(x.view(x.size(0), -1))

        class Bad(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(3, 8, 3)
                self.conv2 = nn.Conv2d(16, 8, 3)

            def forward(self, x):
                return self.conv2(self.conv1(x))

        ok = Ok()
        bad = Bad()
    """)
    m = model(r, "ok")
    assert m.program.inputs[0].shape == ("N", 3, "H", "W")
    assert "implies" in m.program.input_note
    errs = errors(r)
    assert len(errs) == 1 and errs[0].code == "SHP102" and errs[0].model == "bad"


def test_input_shape_option_feeds_models_without_a_call(tmp_path):
    p = tmp_path / "m.py"
    p.write_text(HEADER + textwrap.dedent("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(400, 10)

            def forward(self, x):
                return self.fc(torch.flatten(x, 1))

        net = Net()
    """))
    r = check_path(str(p), input_shape=(8, 16, 4, 4))
    assert [d.code for d in r.diagnostics if d.severity == "error"] == ["SHP101"]
    assert r.models[0].program.input_note == "--input-shape"
    r = check_path(str(p), input_shape=(8, 16, 5, 5))
    assert not [d for d in r.diagnostics if d.severity == "error"]
    assert r.models[0].program.output.shape == (8, 10)


def test_data_through_from_numpy_and_main_guard():
    r = check("""
        import numpy as np

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(5, 2)

            def forward(self, x):
                return self.fc(x)

        if __name__ == "__main__":
            model = Net()
            data = np.random.rand(10, 6).astype("float32")
            out = model(torch.from_numpy(data))
    """)
    errs = errors(r)
    assert errs and errs[0].code == "SHP101"


# -- soundness ------------------------------------------------------------------------------------------------
def test_unknown_branches_report_nothing():
    r = check("""
        import sys

        class Net(nn.Module):
            def __init__(self, big):
                super().__init__()
                self.fc = nn.Linear(10, 4)
                if big:
                    self.extra = nn.Linear(99, 4)

            def forward(self, x):
                if x.sum() > 0:
                    x = self.fc(torch.randn(3, 11))
                return self.fc(x)

        model = Net(len(sys.argv) > 1)
        y = model(torch.randn(3, 10))
    """)
    assert not errors(r)


def test_unsupported_ops_are_info_and_unknown():
    r = check("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(10, 4)
                self.odd = nn.SomethingNew(3)

            def forward(self, x):
                x = self.odd(x)
                x = x.frobnicate(2)
                return self.fc(x)

        model = Net()
        y = model(torch.randn(3, 7))
    """)
    assert not errors(r)
    assert {d.code for d in r.diagnostics} >= {"SHP001"}


@pytest.mark.parametrize("body", [
    "class A(nn.Module):\n    def forward(self, x):\n        return self(x)\nA()(torch.randn(2))\n",
    "class A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = self\n"
    "    def forward(self, x):\n        return self.a(x)\nm = A()\n",
    "m = nn.Sequential(*undefined_thing)\nm(torch.randn(2, 3))\n",
    "class A(nn.Module):\n    forward = 3\nA()(torch.randn(1))\n",
    "x = torch.randn(2, 3)\ny = x[None, ..., 1:, torch.tensor([0])].view(-1)\nz = x @ x\n",
])
def test_odd_code_never_raises(body):
    check(body)


def test_training_branch_and_submodules_named_in_loops():
    r = check("""
        class Net(nn.Module):
            def __init__(self, n=3):
                super().__init__()
                self.n = n
                for i in range(n):
                    setattr(self, f"fc{i}", nn.Linear(8, 8))
                self.add_module(f"head_{n}", nn.Linear(8, 2))

            def forward(self, x):
                for i in range(self.n):
                    x = getattr(self, f"fc{i}")(x)
                if self.training:
                    x = F.dropout(x, 0.5)
                return getattr(self, f"head_{self.n}")(x)

        model = Net()
        y = model(torch.randn(2, 8))
    """)
    m = model(r)
    assert [op.layer.name for op in m.program.ops] == ["fc0", "fc1", "fc2", "F.dropout", "head_3"]
    assert m.program.output.shape == (2, 2)


def test_rnn_state_tuple_is_not_a_tuple_into_a_layer():
    r = check("""
        class Dec(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(4, 8)

            def forward(self, x, h, c):
                out, (h, c) = self.rnn(x.unsqueeze(0), (h, c))
                return out.squeeze(0)

        model = Dec()
        y = model(torch.randn(3, 4), torch.zeros(1, 3, 8), torch.zeros(1, 3, 8))
    """)
    assert not errors(r)
    assert model(r).program.output.shape == (3, 8)


def test_model_chosen_by_an_unknown_flag_is_still_checked():
    r = check("""
        import sys

        class A(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList()
                for _ in range(2):
                    self.layers.append(nn.Linear(8, 8))
                self.out = nn.Linear(9, 2)

            def forward(self, x):
                for layer in self.layers:
                    x = layer(x)
                return self.out(x)

        if len(sys.argv) > 1:
            model = A()
            y = model(torch.randn(2, 8))
    """)
    errs = errors(r)
    assert len(errs) == 1 and errs[0].code == "SHP101"


# -- adversarial real-world scripts (tests/corpus/torch_rw_*) -------------------------------------------------
RNN_STATES = [
    ("nn.GRU(32, 32, batch_first=True)", (8, 1, 32), [(8, 1, 32)]),
    ("nn.GRU(32, 32, batch_first=True)", (8, 1, 32), [(1, 8, 32)]),
    ("nn.GRU(32, 32, batch_first=True)", (8, 1, 32), [(8, 32)]),
    ("nn.GRU(32, 32)", (1, 32), [(1, 32)]),
    ("nn.GRU(32, 32)", (1, 32), [(1, 1, 32)]),
    ("nn.RNN(4, 6)", (5, 2, 4), [(1, 2, 7)]),
    ("nn.LSTM(10, 20, 2, bidirectional=True, proj_size=5)", (7, 3, 10), [(4, 3, 5), (4, 3, 20)]),
    ("nn.LSTM(10, 20, 2, bidirectional=True, proj_size=5)", (7, 3, 10), [(4, 3, 20), (4, 3, 20)]),
    ("nn.LSTM(10, 20, 2, bidirectional=True, proj_size=5)", (7, 3, 10), [(4, 3, 5), (4, 3, 5)]),
]


@pytest.mark.parametrize("src,x,states", RNN_STATES)
def test_rnn_initial_state_shape_matches_torch(src, x, states):
    import torch
    import torch.nn as tnn
    mod = eval(src, {"nn": tnn})
    st = [torch.randn(*s) for s in states]
    try:
        mod(torch.randn(*x), tuple(st) if len(st) > 1 else st[0])
        raised = False
    except RuntimeError:
        raised = True
    rn = lambda s: "torch.randn%s" % (s,)  # noqa: E731
    arg = "(%s)" % ", ".join(rn(s) for s in states) if len(states) > 1 else rn(states[0])
    r = check(f"rnn = {src}\nout = rnn({rn(x)}, {arg})\n")
    assert [d.code for d in errors(r)] == (["SHP111"] if raised else [])


def test_unknown_auxiliary_input_keeps_the_call_site_run():
    # a mask from an op without a rule is unknown; the data's shape (2, 10, 64) still comes from the call.
    # (This used to mask q (2, 8, 10, 8) with a (10, 10) mask, which torch rejects; masked_fill is checked now.)
    r = check("""
        class A(nn.Module):
            def __init__(self):
                super().__init__()
                self.q = nn.Linear(64, 64)

            def forward(self, x, mask=None):
                B, T, C = x.size()
                q = self.q(x).view(B, T, 8, 8).transpose(1, 2)
                att = q @ q.transpose(-2, -1)
                if mask is not None:
                    att = att.masked_fill(mask == 0, float("-inf"))
                q = att.softmax(-1) @ q
                return q.transpose(1, 2).contiguous().view(B, T, C)

        model = A()
        mask = torch.special.entr(torch.tril(torch.ones(10, 10)))
        y = model(torch.randn(2, 10, 64), mask)
    """)
    assert not errors(r)
    assert model(r).program.ops[-1].output.shape == (2, 10, 64)


def test_tensor_comparison_broadcasts_to_a_bool_mask_and_map_applies_a_lambda():
    r = check("""
        class A(nn.Module):
            def __init__(self):
                super().__init__()
                self.qkv = nn.Linear(16, 48)

            def forward(self, x, pad):
                q, k, v = map(lambda t: t.reshape(2, 5, 4, 4), self.qkv(x).chunk(3, dim=-1))
                return (q > 0) & pad.unsqueeze(-1).unsqueeze(-1)

        tokens = torch.randint(0, 9, (2, 5))
        model = A()
        y = model(torch.randn(2, 5, 16), tokens == 0)
    """)
    assert not errors(r)
    out = model(r).program.ops[-1].output
    assert out.shape == (2, 5, 4, 4)
    bad = check("""
        a = torch.randn(2, 3)
        m = a == torch.randn(4, 5)
    """)
    assert [d.code for d in errors(bad)] == ["SHP106"]


def test_a_model_class_nothing_builds_is_checked_on_its_implied_input():
    # a models.py that only defines the class (or builds it in a function nothing calls): real torch raises
    # "mat1 and mat2 shapes cannot be multiplied" at fc2 for every input size fc1 accepts
    r = check("""
        class Net(nn.Module):
            def __init__(self, num_classes=10):
                super().__init__()
                self.conv = nn.Conv2d(3, 6, 5)
                self.fc1 = nn.Linear(6 * 5 * 5, 120)
                self.fc2 = nn.Linear(100, num_classes)

            def forward(self, x):
                x = torch.flatten(F.max_pool2d(self.conv(x), 2), 1)
                return self.fc2(F.relu(self.fc1(x)))


        class Block(nn.Module):  # needs an argument: not built
            def __init__(self, c):
                super().__init__()
                self.conv = nn.Conv2d(c, c, 3, padding=1)

            def forward(self, x):
                return self.conv(x) + x


        def main():
            return Net()
    """)
    assert [(d.code, d.line) for d in errors(r)] == [("SHP101", 10)]
    assert [m.name for m in r.models] == ["Net"]
    ok = check("""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(9216, 10)

            def forward(self, x):
                return self.fc(torch.flatten(x, 1))
    """)
    assert not errors(ok) and [m.name for m in ok.models] == ["Net"]


def test_rnn_state_given_as_hx_keyword_is_checked_like_a_positional_state():
    r = check("""
        gru = nn.GRU(16, 32, batch_first=True)
        out, h = gru(torch.randn(4, 10, 16), hx=torch.zeros(4, 1, 32))
        lstm = nn.LSTM(16, 32, num_layers=2)
        o2, (h2, c2) = lstm(torch.randn(7, 3, 16), hx=(torch.zeros(2, 3, 32), torch.zeros(2, 3, 32)))
    """)
    (d,) = errors(r)  # torch: "Expected hidden size (1, 4, 32), got [4, 1, 32]"; the LSTM's states are right
    assert d.code == "SHP111" and "(1, 4, 32)" in d.message
    assert d.fix is not None and d.fix.edits[0].text == "torch.zeros(4, 1, 32).transpose(0, 1).contiguous()"


@pytest.mark.parametrize("rnn,state", [("nn.GRU(8, 16, bidirectional=True, batch_first=True)", "out, h = self.rnn(x)"),
                                       ("nn.LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True)",
                                        "out, (h, c) = self.rnn(x)")])
def test_one_direction_of_a_bidirectional_state_gets_no_shrinking_fix(rnn, state):
    src = f"""
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = {rnn}
                self.drop = nn.Dropout(0.2)
                self.fc = nn.Linear(32, 3)

            def forward(self, x):
                {state}
                return self.fc(self.drop(h[-1]))

        model = Net()
        y = model(torch.randn(4, 10, 8))
    """
    (d,) = errors(check(src))  # torch: mat1 and mat2 shapes cannot be multiplied (4x16 and 32x3)
    # the help spells the join with the file's own name for the state (code review: it said `h_n` for `h`)
    assert d.code == "SHP101" and "torch.cat((h[-2], h[-1]), dim=1)" in d.help
    # the shrinking edit is not offered as an alternative either: it is the wrong fix that runs
    assert d.cause == "one-direction" and not any("in_features" in n for n in d.notes)
    # not `in_features=16`, which would run and hide the lost direction: both directions, joined
    (edit,) = d.fix.edits
    assert d.fix.applicability == "unsafe" and edit.text == "torch.cat((h[-2], h[-1]), dim=1)"
    fixed = src.replace("self.drop(h[-1])", "self.drop(torch.cat((h[-2], h[-1]), dim=1))")
    assert not errors(check(fixed))


def test_one_direction_of_a_bidirectional_state_is_located_at_the_index():
    """rw18c (a bidirectional GRU for activities): the classifier sized for both directions is right; the index
    ``h_n[-1]`` that picked one direction is where the mistake is written."""
    src = """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.GRU(8, 16, num_layers=2, bidirectional=True, batch_first=True)
                self.fc = nn.Linear(32, 3)

            def forward(self, x):
                _, h_n = self.rnn(x)
                last = h_n[-1]
                return self.fc(last)

        model = Net()
        y = model(torch.randn(4, 10, 8))
    """
    (d,) = errors(check(src))
    result_src = (HEADER + textwrap.dedent(src)).splitlines()
    assert "last = h_n[-1]" in result_src[d.primary.span.line - 1]
    assert any(s.text and "expects 32" in s.text for s in d.secondary)


def test_a_model_grown_under_an_unknown_branch_returns_an_unknown_value():
    # the Linear(4, 6) may or may not be there: what the model returns is (2, 4) or (2, 6), so no reshape of it is
    # an error (it used to be checked as (2, 6))
    r = check("""
        import sys
        net = nn.Sequential(nn.Linear(8, 4))
        if len(sys.argv) > 1:
            net.append(nn.Linear(4, 6))
        y = net(torch.randn(2, 8))
        z = y.view(2, 4)
    """)
    assert errors(r) == []


def test_a_module_assigned_to_a_sequential_runs_after_its_children():
    # nn.Module.__setattr__ registers it, and Sequential.forward runs the registered modules in order
    r = check("""
        net = nn.Sequential(nn.Flatten())
        net.head = nn.Linear(12, 3)
        out = net(torch.randn(2, 3, 4))
    """)
    m = model(r, "net")
    assert [op.layer.kind for op in m.program.ops] == ["Flatten", "Linear"]
    assert m.program.output.shape == (2, 3) and errors(r) == []


DENSENET_TRANSITION = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Transition(nn.Sequential):
        def __init__(self, cin, cout):
            super(Transition, self).__init__()
            self.add_module('norm', nn.BatchNorm2d(cin))
            self.add_module('relu', nn.ReLU(inplace=True))
            self.add_module('conv', nn.Conv2d(cin, cout, kernel_size=1, bias=False))
            self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 64, 3))
            self.features.add_module('transition1', Transition(64, 32))
            self.features.add_module('norm5', nn.BatchNorm2d(32))

        def forward(self, x):
            return self.features(x)


    out = Net()(torch.randn(2, 3, 16, 16))
""").lstrip()


def test_a_sequential_subclass_runs_the_modules_it_adds_itself():
    """torchvision's DenseNet ``_Transition``: an nn.Sequential subclass whose modules come from ``add_module`` (and
    assignment) in its ``__init__``; Sequential.forward runs them all in order. Torch is the oracle."""
    from oracle import run
    assert tuple(run(DENSENET_TRANSITION)["out"].shape) == (2, 32, 7, 7)
    result = check_source("case.py", DENSENET_TRANSITION)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]
    (model,) = result.models
    assert tuple(model.program.output.shape) == (2, 32, 7, 7)


def test_a_torchvision_models_size_attribute_is_a_size():
    """``nn.Linear(model.last_channel, 6)`` on a MobileNetV2: torchvision keeps the 1280 as an attribute; read as
    a part of the trunk it made a false "in_features is invalid". Torch is the oracle."""
    from oracle import run, torchvision_models
    if torchvision_models() is None:
        pytest.skip("torchvision is not installed")
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        from torchvision import models

        model = models.mobilenet_v2(weights=None)
        model.classifier[1] = nn.Linear(model.last_channel, 6)
        logits = model(torch.rand(2, 3, 64, 64))
    """).lstrip()
    assert tuple(run(src)["logits"].shape) == (2, 6)
    result = check_source("case.py", src)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]
