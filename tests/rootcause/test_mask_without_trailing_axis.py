"""One value per step -- a (B, T) padding mask -- multiplied into the (B, T, D) values it weighs: the axes line up
from the last one, T meets D, and it fails. The mask needs a trailing axis where it meets the values; resizing the
features to the number of steps would run and weigh the wrong axis. Keras passes the mask of an
``Embedding(mask_zero=True)`` to a custom layer's ``call(mask=...)`` (followed as Keras does); Keras and PyTorch are
the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS_FUNCTIONAL = textwrap.dedent("""
    import keras
    from keras import layers, ops
    import numpy as np


    class MaskedMeanPool(layers.Layer):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.supports_masking = True

        def call(self, x, mask=None):
            m = ops.cast(mask, "float32")
            s = ops.sum(x * m, axis=1)
            return s / ops.sum(m, axis=1, keepdims=True)

        def compute_mask(self, x, mask=None):
            return None


    inp = keras.Input(shape=(20,), dtype="int32")
    h = layers.Embedding(1000, 32, mask_zero=True)(inp)
    h = MaskedMeanPool()(h)
    out = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inp, out)
    probs = model.predict(np.random.randint(1, 1000, size=(6, 20)), verbose=0)
""").lstrip()

KERAS_SEQUENTIAL = textwrap.dedent("""
    import keras
    from keras import layers, ops
    import numpy as np


    class MaskedAvg(layers.Layer):
        def __init__(self):
            super().__init__()
            self.supports_masking = True

        def call(self, x, mask=None):
            mask = ops.cast(mask, x.dtype)
            return ops.sum(x * mask, axis=1) / ops.sum(mask, axis=1, keepdims=True)

        def compute_mask(self, x, mask=None):
            return None


    model = keras.Sequential([keras.Input((30,)), layers.Embedding(500, 16, mask_zero=True),
                              layers.Dense(24), MaskedAvg(), layers.Dense(3, activation="softmax")])
    probs = model.predict(np.random.randint(1, 500, (6, 30)), verbose=0)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32, padding_idx=0)
            self.fc = nn.Linear(32, 2)

        def forward(self, ids):
            mask = (ids != 0).float()
            h = self.emb(ids)
            pooled = (h * mask).sum(1) / mask.sum(1, keepdim=True)
            return self.fc(pooled)


    probs = Encoder()(torch.randint(1, 100, (6, 12)))
""").lstrip()


@pytest.mark.parametrize("src, wrong, right, width", [
    (KERAS_FUNCTIONAL, "x * m,", "x * m[..., None]", 1),
    (KERAS_SEQUENTIAL, "x * mask,", "x * mask[..., None]", 3),
    (TORCH, "(h * mask)", "(h * mask[..., None])", 2),
])
def test_the_mask_gets_a_trailing_axis_where_it_meets_the_values(src, wrong, right, width):
    with pytest.raises(Exception):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    line = next(i for i, text in enumerate(src.splitlines(), 1) if wrong in text)
    assert d.primary.span.line == line and d.cause == "missing-trailing-axis"
    assert not any(n.startswith("or: write") for n in d.notes)  # resizing the features is not offered
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert right in fixed
    assert "Embedding(1000, 32" in fixed or "Embedding(500, 16" in fixed or "Embedding(100, 32" in fixed
    assert tuple(run(fixed)["probs"].shape) == (6, width)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_a_mask_given_its_axis_in_the_layer_is_not_blamed():
    src = KERAS_FUNCTIONAL.replace('m = ops.cast(mask, "float32")', 'm = ops.expand_dims(ops.cast(mask, "float32"), -1)') \
        .replace("ops.sum(m, axis=1, keepdims=True)", "ops.sum(m, axis=1)")
    assert tuple(run(src)["probs"].shape) == (6, 1)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_layer_that_drops_the_mask_passes_none():
    """An LSTM returning its last state only drops the steps' mask (Keras passes None): the layer's
    ``if mask is not None`` branch is not taken, and nothing is reported."""
    src = textwrap.dedent("""
        import keras
        from keras import layers, ops
        import numpy as np


        class Scale(layers.Layer):
            def call(self, x, mask=None):
                if mask is not None:
                    x = x * ops.cast(mask, x.dtype)
                return x * 2.0


        model = keras.Sequential([keras.Input((30,)), layers.Embedding(500, 16, mask_zero=True),
                                  layers.LSTM(8), Scale(), layers.Dense(3)])
        probs = model.predict(np.random.randint(1, 500, (6, 30)), verbose=0)
    """).lstrip()
    assert tuple(run(src)["probs"].shape) == (6, 3)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_mask_reaches_an_attention_layer_after_a_bidirectional_lstm():
    src = textwrap.dedent("""
        import keras
        from keras import layers, ops
        import numpy as np


        class Attn(layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1], 1))

            def call(self, x, mask=None):
                e = ops.squeeze(ops.tanh(ops.matmul(x, self.w)), -1)
                if mask is not None:
                    e = ops.where(mask, e, -1e9)
                a = ops.softmax(e, axis=1)
                return ops.sum(x * a, axis=1)

            def compute_mask(self, x, mask=None):
                return None


        model = keras.Sequential([keras.Input((30,)), layers.Embedding(500, 16, mask_zero=True),
                                  layers.Bidirectional(layers.LSTM(8, return_sequences=True)), Attn(),
                                  layers.Dense(3, activation="softmax")])
        probs = model.predict(np.random.randint(1, 500, (6, 30)), verbose=0)
    """).lstrip()
    with pytest.raises(Exception):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.cause == "missing-trailing-axis"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "x * a[..., None]" in fixed
    assert tuple(run(fixed)["probs"].shape) == (6, 3)
