"""Rows looked up in a dict at a key known only at run time -- ``np.array([centers[s] for s in species])`` with one
list of 4 numbers per species -- have the shape every value has: (600, 4). Labels encoded eagerly by a Keras
``StringLookup`` and turned into numpy with ``keras.ops.convert_to_numpy`` stay (600,) integers. numpy and Keras are
the oracle (rw17b, a flower classifier whose string labels met categorical_crossentropy)."""
import os
import textwrap

import pytest

from oracle import run, static_values

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np

    SPECIES = ["setosa", "versicolor", "virginica"]
    rng = np.random.default_rng(0)
    species = rng.choice(SPECIES, size=600)
    centers = {"setosa": [5.0, 3.4, 1.5, 0.2], "versicolor": [5.9, 2.8, 4.3, 1.3], "virginica": [6.6, 3.0, 5.5, 2.0]}
    feats = np.array([centers[s] for s in species]) + 0.3 * rng.standard_normal((600, 4))
    ragged = {"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0]}
    mixed = np.array([ragged[s] for s in rng.choice(["a", "b"], size=10)], dtype=object)
""").lstrip()


def test_rows_take_the_shape_every_value_has():
    got = static_values(SRC)
    assert tuple(got["feats"].shape) == tuple(run(SRC)["feats"].shape) == (600, 4)
    assert not hasattr(got.get("mixed"), "shape") or got["mixed"].shape is None  # values of two shapes: unknown


KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    lookup = layers.StringLookup(vocabulary=["a", "b", "c"], num_oov_indices=0)
    labels = np.array(["a", "c", "b", "b"])
    y = keras.ops.convert_to_numpy(lookup(labels)).astype("int64")
""").lstrip()


def test_labels_encoded_by_an_eager_lookup_layer():
    got = static_values(KERAS)["y"]
    assert tuple(got.shape) == (4,) and got.value.dtype == "int64"


def test_what_keras_does_with_the_lookup():
    pytest.importorskip("keras")
    pytest.importorskip("tensorflow")  # Keras's StringLookup needs TensorFlow whatever the backend
    real = run(KERAS)["y"]
    assert real.shape == (4,) and str(real.dtype) == "int64"


def test_rows_of_mixed_numbers_are_floats_as_numpy_makes_them():
    """Code review: ``{"a": [5, 3], "b": [6.1, 2.8]}`` gave int64 rows from the first value; numpy makes them float64."""
    src = textwrap.dedent("""
        import numpy as np

        table = {"a": [5, 3], "b": [6.1, 2.8]}
        keys = np.random.default_rng(0).choice(["a", "b"], size=10)
        rows = np.array([table[k] for k in keys])
    """).lstrip()
    got, real = static_values(src)["rows"], run(src)["rows"]
    assert tuple(got.shape) == real.shape == (10, 2) and got.value.dtype == str(real.dtype) == "float64"


def test_batches_joined_end_to_end_keep_their_makers_layout():
    """``np.concatenate(xs)`` of batches each reshaped by one loader line keeps that line as where the layout was set
    (a channels-first CIFAR loader is fixed in the loader, for training and test batches at once)."""
    src = textwrap.dedent("""
        import numpy as np


        def load(seed):
            raw = np.random.default_rng(seed).integers(0, 256, size=(8, 3072))
            return raw.reshape(-1, 3, 32, 32)


        xs = [load(k) for k in range(3)]
        train = np.concatenate(xs)
        mixed = np.concatenate([load(1), np.zeros((8, 3, 32, 32))])
    """).lstrip()
    got, real = static_values(src), run(src)
    assert tuple(got["train"].shape) == real["train"].shape == (24, 3, 32, 32)
    assert got["train"].shaped_at.line == 6
    assert got["mixed"].shaped_at.line == 11  # two makers: the join sets the layout
