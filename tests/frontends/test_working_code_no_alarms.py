"""Working code that shapelint used to report (issue #10): each test reproduces one false alarm or crash in a few
lines and checks it is gone at its cause, and that the mistake the same code path catches is still caught."""
from __future__ import annotations

import ast
import textwrap

from shapelint.api import check_path
from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.evaluator import Evaluator


def check(src: str):
    return check_source("t.py", textwrap.dedent(src))


def errors(result) -> list:
    return [d for d in result.diagnostics if d.severity == "error"]


def variables(src: str) -> dict:
    src = textwrap.dedent(src)
    ev = Evaluator("t.py", src, ast.parse(src))
    ev.run()
    return ev.module.vars


def shape_of(v):
    return tuple(v.shape) if getattr(v, "shape", None) is not None else None


# -- reading model.output_shape between add() calls ------------------------------------------------------------
def test_output_shape_read_between_adds_does_not_freeze_the_model():
    r = check("""
        import numpy as np
        import keras
        from keras import layers
        model = keras.Sequential()
        model.add(layers.Conv2D(8, 3, input_shape=(28, 28, 1)))
        print(model.output_shape)
        model.add(layers.Flatten())
        model.add(layers.Dense(10, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        x = np.random.rand(100, 28, 28, 1)
        y = keras.utils.to_categorical(np.random.randint(0, 10, (100,)), 10)
        model.fit(x, y)
    """)
    assert not errors(r)
    assert r.models[0].program.output.shape == (None, 10)


def test_output_shape_between_adds_is_the_shape_at_that_point():
    vs = variables("""
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(64)])
        first = model.output_shape
        model.add(layers.Dense(3))
        second = model.output_shape
    """)
    assert vs["first"] == (None, 64) and vs["second"] == (None, 3)


# -- a list appended to in a loop whose length is unknown ------------------------------------------------------
def test_predictions_gathered_over_a_loader_have_unknown_length():
    r = check("""
        import torch, torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset
        X = torch.randn(1000, 20)
        y = torch.randint(0, 3, (1000,))
        loader = DataLoader(TensorDataset(X, y), batch_size=32)
        model = nn.Sequential(nn.Linear(20, 3))
        preds = []
        correct = 0
        for xb, yb in loader:
            out = model(xb)
            preds.append(out)
            correct += (out.argmax(1) == yb).sum().item()
        preds = torch.cat(preds)
        acc = (preds.argmax(1) == y).float().mean()
    """)
    assert not errors(r)


def test_a_mistake_inside_the_loader_loop_is_still_reported():
    r = check("""
        import torch, torch.nn as nn
        from torch.utils.data import DataLoader, TensorDataset
        loader = DataLoader(TensorDataset(torch.randn(1000, 20), torch.randint(0, 3, (1000,))), batch_size=32)
        model = nn.Sequential(nn.Linear(10, 3))
        for xb, yb in loader:
            out = model(xb)
    """)
    assert [d.code for d in errors(r)] == ["SHP101"]


def test_append_in_a_loop_of_unknown_count_gives_a_list_of_unknown_length():
    vs = variables("""
        import sys
        n = int(sys.argv[1])
        items = [1]
        for _ in range(n):
            items.append(2)
        count = len(items)
        fixed = []
        for _ in range(3):
            fixed.append(0)
    """)
    assert vs["count"] is not None and not isinstance(vs["count"], int)
    assert vs["fixed"] == [0, 0, 0]


def test_branches_that_append_differently_leave_the_list_unknown_and_alike_ones_known():
    vs = variables("""
        a, b = [], []
        if unknown_condition():
            a.append(1)
            b.append(5)
        else:
            a.append(2)
            b.append(5)
        na, nb = len(a), len(b)
    """)
    assert not isinstance(vs["na"], int) and vs["b"] == [5]


# -- np.where on an array ---------------------------------------------------------------------------------------
def test_np_where_on_a_comparison_keeps_the_array_shape():
    vs = variables("""
        import numpy as np
        x = np.random.rand(100, 8)
        y = np.where(x[:, 0] > 0.5, 0, 1)
        unknown = np.where(foo(x), 0, 1)
    """)
    assert shape_of(vs["y"]) == (100,)
    assert shape_of(vs["unknown"]) is None


# -- len() of dict(zip(...)) -------------------------------------------------------------------------------------
def test_dict_of_zip_has_its_pairs():
    r = check("""
        import keras
        from keras import layers
        def make(names, sizes):
            vocab = dict(zip(names, sizes))
            inp = keras.Input(shape=(16,))
            return keras.Model(inp, layers.Dense(len(vocab))(inp))
        m = make(["a", "b", "c"], [1, 2, 3])
    """)
    assert not errors(r)
    assert r.models[0].program.output.shape == (None, 3)
    vs = variables("d = dict(unknown_pairs())\ne = dict([('a', 1)], b=2)\n")
    assert vs["e"] == {"a": 1, "b": 2} and not isinstance(vs["d"], dict)


# -- an nn.Module with no call site -------------------------------------------------------------------------------
def test_module_without_a_call_is_run_on_a_rank_its_forward_accepts():
    r = check("""
        import torch.nn as nn
        class CausalSelfAttention(nn.Module):
            def __init__(self):
                super().__init__()
                self.c_attn = nn.Linear(64, 192)
                self.c_proj = nn.Linear(64, 64)
            def forward(self, x):
                B, T, C = x.size()
                q, k, v = self.c_attn(x).split(64, dim=2)
                return self.c_proj(q)
    """)
    assert not errors(r)
    assert r.models[0].program.inputs[0].shape == ("N", "L", 64)


def test_module_without_a_call_that_fails_at_every_rank_is_reported():
    r = check("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(10, 20)
                self.b = nn.Linear(30, 5)
            def forward(self, x):
                return self.b(self.a(x))
    """)
    assert [d.code for d in errors(r)] == ["SHP101"]
    assert r.models[0].program.inputs[0].shape == ("N", 10)


# -- a file that runs out of budget ---------------------------------------------------------------------------
def test_budget_exhausted_still_reports_and_checks_the_models(tmp_path):
    body = "\n".join(f"    v{j} = i * {j} + total" for j in range(30))  # past the step budget on any machine
    (tmp_path / "big.py").write_text(textwrap.dedent("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(4, 1)
            def forward(self, x):
                return self.fc(x)
        model = Net()
        total = 0
        for i in range(1, 10000):
    """) + body + "\n")
    r = check_path(str(tmp_path / "big.py"))
    assert any(d.code == "SHP006" for d in r.diagnostics)
    assert r.models and r.models[0].program.output.shape == ("N", 1)


def test_a_creation_call_with_one_unknown_argument_has_an_unknown_rank():
    """torch.randn(t.shape[:2]) of a t we cannot follow: the one argument may be the whole size (it was read as one
    unknown dim, and the indexing after it was reported; lucidrains/vit-pytorch vit_with_decorr.py)."""
    r = check("""
        import torch
        t = unknown_pack()
        idx = torch.randn(t.shape[:2]).argsort(dim=-1)[..., :4, :]
    """)
    assert not errors(r)


# -- an attention layer given its value by keyword ----------------------------------------------------------------
_MHA_VALUE_BY_KEYWORD = """
    import numpy as np
    import keras
    from keras import layers, ops
    ids = keras.Input(shape=(50,), dtype="int32")
    z = layers.Embedding(1000, 128)(ids)
    pad_mask = ops.not_equal(ids, 0)[:, None]
    attn = layers.MultiHeadAttention(num_heads=8, key_dim=128)
    z = attn(z, value=z, attention_mask=pad_mask)
    model = keras.Model(ids, layers.Dense(2)(layers.GlobalAveragePooling1D()(z)))
    out = model(np.random.randint(1, 1000, (4, 50)))
"""


def test_attention_value_given_by_keyword_is_an_input():
    """``attn(Z, value=Z)`` (Hands-On ML, chapter 16): the value passed by keyword is the layer's second input; it
    was dropped and the layer reported as given the query alone."""
    r = check(_MHA_VALUE_BY_KEYWORD)
    assert not errors(r)
    assert r.models[0].program.output.shape == (None, 2)


def test_attention_value_by_keyword_runs_in_keras():
    import pytest
    pytest.importorskip("keras")
    from oracle import run
    assert tuple(run(textwrap.dedent(_MHA_VALUE_BY_KEYWORD))["out"].shape) == (4, 2)


# -- a module whose forward takes a second tensor the first layer reads too ------------------------------------
def test_an_unfed_model_guesses_its_first_input_only():
    """``self.embedding(text, offsets)`` in a model no call feeds: EmbeddingBag implies (N, L) for ``text``; the
    offsets it also reads are not another (N, L) input (that guess gave 'offsets has to be None if input is 2D')."""
    r = check("""
        import torch
        import torch.nn as nn
        class TextClassifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.EmbeddingBag(5000, 64, mode="mean")
                self.fc = nn.Linear(64, 4)
            def forward(self, text, offsets):
                return self.fc(self.embedding(text, offsets))
        model = TextClassifier()
    """)
    assert not errors(r)
