"""Keras TextVectorization, StringLookup, IntegerLookup and Hashing: the layer on ``keras.Input(shape, dtype)``,
output shape or error code. These layers need tensorflow, so the oracle is a Python with tensorflow
(``SHAPELINT_TF_PYTHON``, default /work/fwenv/bin/python: tensorflow-cpu 2.21, keras 3), all rows in one subprocess;
that test is skipped when it is absent."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from shapelint.frontends.source.check import check_source

TF_PYTHON = os.environ.get("SHAPELINT_TF_PYTHON", "/work/fwenv/bin/python")
V = '["a", "b", "c"]'
ROWS = [
    ("layers.TextVectorization(max_tokens=100, output_sequence_length=20)", (), "string", (None, 20)),
    ("layers.TextVectorization(max_tokens=100, output_sequence_length=20)", (1,), "string", (None, 20)),
    ("layers.TextVectorization(max_tokens=100)", (), "string", (None, None)),
    ("layers.TextVectorization(max_tokens=100, output_mode='multi_hot')", (), "string", (None, None)),
    (f"layers.TextVectorization(output_mode='multi_hot', vocabulary={V})", (), "string", (None, 4)),
    ("layers.TextVectorization(max_tokens=50, output_mode='count', pad_to_max_tokens=True)", (), "string",
     (None, 50)),
    ("layers.TextVectorization(max_tokens=100, ngrams=2, output_sequence_length=7)", (), "string", (None, 7)),
    ("layers.TextVectorization(output_mode='onehot')", (), "string", "SHP107"),
    ("layers.TextVectorization(output_mode='multi_hot', output_sequence_length=5, max_tokens=10)", (), "string",
     "SHP107"),
    ("layers.TextVectorization(max_tokens=1)", (), "string", "SHP107"),
    (f"layers.StringLookup(vocabulary={V})", (1,), "string", (None, 1)),
    (f"layers.StringLookup(vocabulary={V})", (), "string", (None,)),
    (f"layers.StringLookup(vocabulary={V}, output_mode='one_hot')", (1,), "string", (None, 4)),
    (f"layers.StringLookup(vocabulary={V}, output_mode='one_hot')", (3,), "string", (None, 3, 4)),
    (f"layers.StringLookup(vocabulary={V}, output_mode='multi_hot')", (3,), "string", (None, 4)),
    ("layers.StringLookup(max_tokens=10, output_mode='multi_hot')", (3,), "string", (None, None)),
    (f"layers.StringLookup(vocabulary={V}, num_oov_indices=2, output_mode='count')", (3,), "string", (None, 5)),
    (f"layers.StringLookup(vocabulary={V}, mask_token='', output_mode='one_hot')", (1,), "string", (None, 4)),
    (f"layers.StringLookup(vocabulary={V}, output_mode='one-hot')", (1,), "string", "SHP107"),
    (f"layers.StringLookup(vocabulary={V}, invert=True, output_mode='multi_hot')", (1,), "string", "SHP107"),
    ("layers.IntegerLookup(vocabulary=[1, 2, 3])", (1,), "int64", (None, 1)),
    ("layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='one_hot')", (1,), "int64", (None, 4)),
    ("layers.IntegerLookup(vocabulary=[1, 2, 3], output_mode='multi_hot')", (4,), "int64", (None, 4)),
    ("layers.IntegerLookup(max_tokens=20, pad_to_max_tokens=True, output_mode='count')", (4,), "int64",
     (None, 20)),
    ("layers.Hashing(num_bins=8)", (1,), "string", (None, 1)),
    ("layers.Hashing(num_bins=8, output_mode='one_hot')", (1,), "string", (None, 8)),
    ("layers.Hashing(num_bins=8, output_mode='one_hot')", (2,), "string", (None, 8)),
    ("layers.Hashing(num_bins=8, output_mode='multi_hot')", (3,), "int64", (None, 8)),
]


def _source(layer: str, shape, dtype) -> str:
    return ("import keras\nfrom keras import layers\n"
            f"x = keras.Input(shape={tuple(shape)!r}, dtype={dtype!r})\ny = {layer}(x)\nmodel = keras.Model(x, y)\n")


@pytest.mark.parametrize("layer, shape, dtype, expected", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_layer(layer, shape, dtype, expected):
    result = check_source("t.py", _source(layer, shape, dtype))
    errors = [d.code for d in result.diagnostics if d.severity == "error"]
    if isinstance(expected, str):
        assert errors == [expected]
    else:
        assert not errors, errors
        assert tuple(result.models[0].program.output.shape) == expected


_ORACLE = r"""
import json, os, sys, warnings
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
warnings.simplefilter("ignore")
out = []
for src in json.loads(sys.stdin.read()):
    ns = {}
    try:
        exec(src, ns)
        out.append(list(ns["y"].shape))
    except Exception:
        out.append("error")
print(json.dumps(out))
"""


@pytest.mark.skipif(not Path(TF_PYTHON).is_file(), reason="no Python with tensorflow (SHAPELINT_TF_PYTHON)")
def test_rows_match_keras_with_tensorflow():
    srcs = [_source(layer, shape, dtype) for layer, shape, dtype, _ in ROWS]
    proc = subprocess.run([TF_PYTHON, "-c", _ORACLE], input=json.dumps(srcs), capture_output=True, text=True,
                          env=dict(os.environ, KERAS_BACKEND="tensorflow"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    for (layer, shape, _, expected), real in zip(ROWS, got):
        want = "error" if isinstance(expected, str) else list(expected)
        assert real == want, f"{layer} on {shape}: keras {real}, table {expected}"
