"""Two Keras tabular mistakes found at their roots (rw13a, an unseen writer): a categorical loss configured in a
``dict(...)`` of settings read through a parameter (``loss=p["loss"]``) for integer labels -- blamed and fixed in the
config; and an id fed as (batch, 1) through an Embedding joined to a vector branch -- blamed at the Embedding, whose
(batch, 1, dim) output needs flattening. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

LOSS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    PARAMS = dict(
        n_classes=7,
        loss="categorical_crossentropy",
    )


    def build(p):
        model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(p["n_classes"], activation="softmax")])
        model.compile(optimizer="adam", loss=p["loss"])
        return model


    model = build(PARAMS)
    model.fit(np.random.rand(64, 10), np.random.randint(0, 7, (64,)), epochs=1, verbose=0)
""").lstrip()

EMBED = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    store_in = keras.Input(shape=(1,), dtype="int32")
    num_in = keras.Input(shape=(5,))
    store_vec = layers.Embedding(50, 8)(store_in)
    num_vec = layers.Dense(16, activation="relu")(num_in)
    x = layers.Concatenate()([store_vec, num_vec])
    model = keras.Model([store_in, num_in], layers.Dense(1)(x))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_configured_loss_is_blamed_and_fixed_in_the_config():
    (d,) = _errors(LOSS)
    assert d.primary.span.line == 7
    fixed = fix_source("case.py", LOSS, [d], ("safe", "unsafe")).source
    assert 'loss="sparse_categorical_crossentropy"' in fixed.splitlines()[6] and _errors(fixed) == []


def test_the_id_embedding_is_blamed_and_flattened():
    (d,) = _errors(EMBED)
    assert d.primary.span.line == 7 and "length 1" in d.primary.text
    fixed = fix_source("case.py", EMBED, [d], ("safe", "unsafe")).source
    assert "Flatten()" in fixed and _errors(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(LOSS)
    run(LOSS.replace('"categorical_crossentropy"', '"sparse_categorical_crossentropy"'))
    with pytest.raises(Exception):
        run(EMBED)
    run(EMBED.replace("layers.Embedding(50, 8)(store_in)", "layers.Flatten()(layers.Embedding(50, 8)(store_in))"))


WHOLE = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x_train = np.random.rand(60, 32, 32, 1).astype("float32")
    input_shape = x_train.shape


    def build(input_shape):
        inputs = keras.Input(shape=input_shape)
        x = layers.Conv2D(8, 3, padding="same")(inputs)
        return keras.Model(inputs, layers.Dense(3)(layers.Flatten()(x)))


    model = build(input_shape)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x_train, np.random.randint(0, 3, (60,)), epochs=1, verbose=0)
""").lstrip()


def test_a_whole_data_shape_declared_through_a_builder_is_blamed_where_it_is_read():
    """``input_shape = x_train.shape`` passed to a builder's ``keras.Input(shape=input_shape)`` (a functional
    model): the read of ``.shape`` is the mistake, as when it is written inside the Input."""
    found = _errors(WHOLE)
    assert found and found[0].primary.span.line == 6
    fixed = fix_source("case.py", WHOLE, found, ("safe", "unsafe")).source
    assert "input_shape = x_train.shape[1:]" in fixed and _errors(fixed) == []
