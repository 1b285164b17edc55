"""Two branches joined along time (an image vector injected as the first 'word' of a caption): the projection's
width is a bare number while the embeddings are ``EMBED_DIM`` wide. The number is blamed and replaced by the name;
concatenating along the features instead would change the model. Joined along the features, widths may differ and
nothing is said about them. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    EMBED_DIM = 16
    img_in = keras.Input(shape=(40,))
    cap_in = keras.Input(shape=(7,), dtype="int32")
    words = layers.Embedding(100, EMBED_DIM)(cap_in)
    image = layers.RepeatVector(1)(layers.Dense(24, activation="relu")(img_in))
    seq = layers.Concatenate(axis=1)([image, words])
    out = layers.LSTM(8)(seq)
    model = keras.Model([img_in, cap_in], out)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_number_beside_a_named_width_is_blamed():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 8
    assert [e.text for e in d.fix.edits] == ["EMBED_DIM"]


def test_two_numbers_are_ambiguous():
    (d,) = _errors(SRC.replace("layers.Embedding(100, EMBED_DIM)", "layers.Embedding(100, 16)"))
    assert d.fix is None or "EMBED_DIM" not in " ".join(e.text for e in d.fix.edits)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    scope = run(SRC.replace("layers.Dense(24,", "layers.Dense(EMBED_DIM,"))
    assert tuple(scope["model"].output.shape) == (None, 8)


SAME_LENGTH = textwrap.dedent("""
    import keras
    from keras import layers

    STEPS, FILTERS = 14, 16
    a_in = keras.Input(shape=(STEPS, 3))
    b_in = keras.Input(shape=(STEPS, 5))
    a = layers.Conv1D(FILTERS, 3, padding="causal")(a_in)
    b = layers.Dense(4)(b_in)
    merged = layers.Concatenate(axis=1)([a, b])
    out = layers.Dense(1)(layers.LSTM(8)(merged))
    model = keras.Model([a_in, b_in], out)
""").lstrip()


def test_two_sequences_of_one_length_joined_along_their_steps_get_the_axis_fixed():
    """rw19b (sales history and calendar features per day, joined on axis 1): both are 14 steps long and differ
    only in width, so the join belongs on the features; widening the calendar branch to FILTERS would run and stack
    the two into 28 steps."""
    (d,) = _errors(SAME_LENGTH)
    texts = [e.text for e in d.fix.edits] if d.fix else []
    assert "FILTERS" not in texts and any("-1" in t or "2" == t for t in texts)


def test_what_keras_does_with_the_two_sequences():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SAME_LENGTH)
    scope = run(SAME_LENGTH.replace("Concatenate(axis=1)", "Concatenate(axis=-1)"))
    assert tuple(scope["merged"].shape) == (None, 14, 20)
