"""SHP210: a softmax over an axis of size 1 is always 1.0. For a one-unit classifier output the fix is a sigmoid; for
per-step attention scores (batch, steps, 1) the weights must be normalised over the steps -- a sigmoid would make
gates that do not sum to 1, so no sigmoid is offered there. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

POOL = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    tokens = keras.Input(shape=(12,), dtype="int32")
    h = layers.Embedding(50, 8)(tokens)
    weights = layers.Dense(1, activation="softmax")(h)
    context = layers.Flatten()(layers.Dot(axes=1)([weights, h]))
    model = keras.Model(tokens, layers.Dense(3, activation="softmax")(context))
    w = keras.Model(tokens, weights).predict(np.ones((2, 12), "int32"), verbose=0)
""").lstrip()

SOFTMAX_LAYER = POOL.replace('weights = layers.Dense(1, activation="softmax")(h)',
                             'weights = layers.Softmax()(layers.Dense(1)(h))')

OPS_SOFTMAX = POOL.replace('weights = layers.Dense(1, activation="softmax")(h)',
                           'weights = keras.ops.softmax(layers.Dense(1)(h), axis=-1)')

CLASSIFIER = textwrap.dedent("""
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="softmax")])
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP210"]


def test_attention_scores_get_no_sigmoid():
    (d,) = _warnings(POOL)
    assert d.primary.span.line == 7 and "Softmax(axis=1)" in (d.help or "")
    assert fix_source("case.py", POOL, [d], ("safe", "unsafe")).source == POOL  # shown, not applied


def test_a_softmax_layer_over_the_scores_is_set_to_the_steps():
    (d,) = _warnings(SOFTMAX_LAYER)
    fixed = fix_source("case.py", SOFTMAX_LAYER, [d], ("safe", "unsafe")).source
    assert "layers.Softmax(axis=1)(layers.Dense(1)(h))" in fixed and not _warnings(fixed)


def test_an_ops_softmax_over_the_scores_is_set_to_the_steps():
    # keras.ops.softmax in a model's code: the same per-step scores, the same fix (an unseen reviewer found the
    # classifier advice given for it)
    (d,) = _warnings(OPS_SOFTMAX)
    fixed = fix_source("case.py", OPS_SOFTMAX, [d], ("safe", "unsafe")).source
    assert "keras.ops.softmax(layers.Dense(1)(h), axis=1)" in fixed and not _warnings(fixed)


def test_a_one_unit_classifier_gets_a_sigmoid_unless_compiled_with_another_loss():
    # a sigmoid is the fix for two classes; for one-hot labels of C classes it is C units with the softmax kept
    # (an unseen reviewer judged the sigmoid wrong there), so a model compiled with another loss gets it shown only
    for src in (CLASSIFIER, CLASSIFIER + 'model.compile(optimizer="adam", loss="binary_crossentropy")\n'):
        (d,) = _warnings(src)
        fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
        assert 'layers.Dense(1, activation="sigmoid")' in fixed
    (d,) = _warnings(CLASSIFIER + 'model.compile(optimizer="adam", loss="categorical_crossentropy")\n')
    assert d.fix is None and "one unit per class" in d.help


def test_what_keras_does():
    pytest.importorskip("keras")
    scope = run(POOL)
    assert (scope["w"] == 1.0).all()  # every weight is 1: nothing is normalised
    fixed = {"__name__": "__main__"}
    exec(compile(SOFTMAX_LAYER.replace("layers.Softmax()", "layers.Softmax(axis=1)"), "case.py", "exec"), fixed)
    assert abs(float(fixed["w"][0].sum()) - 1.0) < 1e-5
    assert (run(OPS_SOFTMAX)["w"] == 1.0).all()
    fixed = run(OPS_SOFTMAX.replace("axis=-1", "axis=1"))
    assert abs(float(fixed["w"][0].sum()) - 1.0) < 1e-5


TORCH_TUPLE = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class AttnPool(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 16)
            self.gru = nn.GRU(16, 8, batch_first=True)
            self.score = nn.Linear(8, 1)
            self.out = nn.Linear(8, 3)

        def forward(self, tokens):
            h, _ = self.gru(self.emb(tokens))
            weights = torch.softmax(self.score(h), dim=-1)
            return self.out((weights * h).sum(dim=1)), weights


    logits, w = AttnPool()(torch.randint(0, 50, (4, 12)))
""").lstrip()


def test_a_model_returning_its_attention_weights_is_checked_too():
    """Expert case: the model returns (logits, weights); the softmax over the score's axis of 1 made every weight 1.0
    and was not looked at because the model's output is a tuple."""
    (d,) = _warnings(TORCH_TUPLE)
    fixed = fix_source("case.py", TORCH_TUPLE, [d], ("safe", "unsafe")).source
    assert "torch.softmax(self.score(h), dim=1)" in fixed and not _warnings(fixed)


def test_what_torch_does_with_the_weights():
    pytest.importorskip("torch")
    assert (run(TORCH_TUPLE)["w"] == 1.0).all()
    fixed = run(TORCH_TUPLE.replace("dim=-1", "dim=1"))["w"]
    assert abs(float(fixed[0].sum()) - 1.0) < 1e-5
