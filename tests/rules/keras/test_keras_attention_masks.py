"""Keras MultiHeadAttention ``attention_mask`` / ``use_causal_mask``: a functional model over a query (T=5), a value
(S=7) and a mask Input, run on data with ``predict``. Keras builds every one of these models (the symbolic output
skips the scores); the bad masks fail on the first call on data, which is where shapelint reports them. Each row is
also run through real Keras (``test_rows_match_keras``)."""
import os
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def source(mask_shape, causal: bool, heads: int = 2) -> str:
    """A model with a mask Input of ``mask_shape`` (without the batch axis), or a constant numpy mask (``const``)."""
    if mask_shape == "none":
        mask_in, mask_arg, feed = "", "None", ""
    elif isinstance(mask_shape, tuple) and mask_shape and mask_shape[0] == "const":
        mask_in, mask_arg, feed = "", "np.ones(" + repr(mask_shape[1]) + ", dtype=bool)", ""
    else:
        mask_in = f"m = keras.Input(shape={mask_shape!r})\n"
        mask_arg = "m"
        feed = f", np.ones((3,) + {mask_shape!r})"
    inputs = "[q, v, m]" if mask_in else "[q, v]"
    return textwrap.dedent("""\
        import numpy as np
        import keras
        from keras import layers
        q = keras.Input(shape=(5, 8))
        v = keras.Input(shape=(7, 8))
        """) + mask_in + textwrap.dedent(f"""\
        y = layers.MultiHeadAttention({heads}, 4)(q, v, attention_mask={mask_arg}, use_causal_mask={causal})
        model = keras.Model({inputs}, y)
        out = model.predict([np.zeros((3, 5, 8)), np.zeros((3, 7, 8)){feed}], verbose=0)
        """)


ROWS = [
    ((5, 7), False, "ok"),
    ((1, 7), False, "ok"),
    ((5, 1), False, "ok"),
    ((2, 5, 7), False, "ok"),
    ("none", True, "ok"),
    ((5, 7), True, "ok"),
    (("const", (5, 7)), False, "ok"),
    (("const", (1, 5, 7)), True, "ok"),
    ((7,), False, "error"),
    ((5,), False, "error"),
    ((7, 5), False, "error"),
    ((3, 5, 7), False, "error"),
    ((7,), True, "error"),
    (("const", (7, 5)), False, "error"),
    (("const", (7,)), False, "error"),
]


def _ids(rows):
    return [f"{r[0]}-causal={r[1]}" for r in rows]


@pytest.mark.parametrize("mask, causal, expected", ROWS, ids=_ids(ROWS))
def test_mask(mask, causal, expected):
    result = check_source("m.py", source(mask, causal))
    codes = [d.code for d in result.diagnostics if d.severity == "error"]
    assert codes == ([] if expected == "ok" else ["SHP125"]), [d.message for d in result.diagnostics]


@pytest.mark.parametrize("mask, causal, expected", ROWS, ids=_ids(ROWS))
def test_rows_match_keras(mask, causal, expected):
    pytest.importorskip("keras")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(source(mask, causal), {})  # noqa: S102 -- our own test source
            got = "ok"
        except Exception:  # noqa: BLE001 -- any exception is "Keras rejects this mask"
            got = "error"
    assert got == expected


def test_a_padding_mask_fails_where_the_model_first_runs_on_data():
    src = source((7,), False).replace("out = model.predict", "model.summary()\nout = model.predict")
    d = [d for d in check_source("m.py", src).diagnostics if d.severity == "error"]
    assert len(d) == 1 and d[0].primary.span.line == 7 and "mask[:, None, :]" in d[0].help
    built_only = src.split("model.summary()")[0]
    assert not [d for d in check_source("m.py", built_only).diagnostics if d.severity == "error"]
