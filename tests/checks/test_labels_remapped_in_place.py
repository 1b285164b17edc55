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
