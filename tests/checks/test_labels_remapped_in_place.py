"""Labels remapped in place (``y_A[y_A == old] = new``, Hands-On ML's split of Fashion MNIST into 8 classes): the
values known before the assignment (ids 0..9) are no longer known after it, so no label-range error -- a false
alarm found on real code when ``~mask`` indexing began to be followed. Without the remap the error stands."""
import textwrap

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    y = np.random.randint(0, 10, 1000)
    X = np.random.rand(1000, 28, 28).astype("float32")
    mask = (y == 0) | (y == 2)
    y_A = y[~mask]
    for old, new in zip([1, 3, 4, 5, 6, 7, 8, 9], range(8)):
        y_A[y_A == old] = new
    model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(8, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy")
    model.fit(X[~mask], y_A, epochs=1)
""").lstrip()


def _errors(src):
    return [d.code for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_remapped_labels_are_not_known_to_be_out_of_range():
    assert _errors(SRC) == []


def test_without_the_remap_the_ids_past_the_head_are_an_error():
    assert _errors(SRC.replace("    y_A[y_A == old] = new", "    pass")) == ["SHP302"]


def test_a_number_written_at_plain_positions_keeps_the_range_and_adds_it():
    src = textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers

        ids = np.random.randint(1, 300, 2000)
        ids[:5] = 300
        inp = keras.Input(shape=(1,))
        model = keras.Model(inp, layers.Dense(1)(layers.Flatten()(layers.Embedding(300, 4)(inp))))
        model.compile(loss="mse")
        model.fit(ids, np.zeros(2000), epochs=1)
    """).lstrip()
    assert _errors(src) == ["SHP309"]  # id 300 has no row in a table of 300


def test_a_sentinel_written_below_the_ids_is_not_an_id():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        model = nn.Linear(4, 9)
        criterion = nn.CrossEntropyLoss(ignore_index=-100)
        tags = torch.randint(0, 9, (12, 50))
        tags[:, -5:] = -100
        loss = criterion(model(torch.randn(12, 50, 4)).permute(0, 2, 1), tags)
    """).lstrip()
    assert _errors(src) == []


VOID_SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    VOID = 255
    inp = keras.Input(shape=(16, 16, 3))
    out = layers.Conv2D(4, 1, activation="softmax")(layers.Conv2D(8, 3, padding="same")(inp))
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(ignore_class=VOID))
    masks = np.random.randint(0, 4, size=(6, 16, 16))
    masks[:, :2, :] = VOID
    model.fit(np.random.rand(6, 16, 16, 3).astype("float32"), masks, epochs=1)
""").lstrip()


def test_labels_the_loss_ignores_are_not_ids_past_the_head():
    """rw19c (a segmentation with void pixels): ``SparseCategoricalCrossentropy(ignore_class=255)`` skips the 255s;
    which ids remain is not known here, so no label-range error. Keras is the oracle (it trains)."""
    assert _errors(VOID_SRC) == []
    assert _errors(VOID_SRC.replace("(ignore_class=VOID)", "()")) == ["SHP302"]


def test_what_keras_does_with_an_ignored_class():
    import os
    import pytest
    pytest.importorskip("keras")
    if os.environ.get("KERAS_BACKEND") != "torch":
        pytest.skip("the oracle runs on the torch backend")
    import numpy as np
    from oracle import run
    # the loss itself, forward (fit of a 4-D sparse loss trips an unrelated torch-backend autograd error)
    scope = run(VOID_SRC.replace("model.fit(", "x, _ = (").replace(", epochs=1)", ")"))
    loss = scope["model"].loss(scope["masks"], scope["model"](scope["x"]))
    assert np.isfinite(float(loss))
