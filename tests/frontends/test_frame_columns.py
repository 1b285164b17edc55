"""pandas frames as data code writes them: a column added with ``df[TARGET] = ...`` is a column (the features taken
after it are one wider), ``del`` / ``pop`` / ``drop(inplace=True)`` remove one; and features taken with
``df.drop(columns=["id"])`` that still hold the label column given as ``y = df[TARGET]`` are target leakage, fixed
by dropping the label there too. pandas and Keras are the oracles."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

FRAME = textwrap.dedent("""
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"id": np.arange(50), "a": np.random.rand(50), "b": np.random.rand(50)})
    df["target"] = (df["a"] > 0.5).astype("float32")
    with_target = df.drop(columns=["id"]).values
    df2 = df.copy()
    del df2["b"]
    after_del = df2.values
    popped = df2.pop("a")
    after_pop = df2.values
    df.drop(columns=["a"], inplace=True)
    after_inplace = df.values
""").lstrip()

LEAK = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import keras
    from keras import layers

    TARGET = "churned"
    df = pd.DataFrame({"customer_id": np.arange(200), "calls": np.random.rand(200), "tenure": np.random.rand(200)})
    df[TARGET] = (df["calls"] > 0.5).astype("float32")
    X = df.drop(columns=["customer_id"]).values.astype("float32")
    y = df[TARGET].values
    model = keras.Sequential([keras.Input(shape=(X.shape[1],)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, y, epochs=1, verbose=0)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_frame_columns_follow_pandas():
    pytest.importorskip("pandas")
    seen, real = static_values(FRAME), run(FRAME)
    for name in ("with_target", "after_del", "after_pop", "after_inplace"):
        assert tuple(seen[name].shape) == real[name].shape, name


def test_a_label_column_left_among_the_features_is_dropped_there():
    (d,) = _found(LEAK)
    assert d.code == "SHP219" and d.primary.span.line == 9
    fixed = fix_source("case.py", LEAK, [d], ("safe", "unsafe")).source
    assert 'df.drop(columns=["customer_id", TARGET])' in fixed and not _found(fixed)


def test_features_without_the_label_are_quiet():
    assert not _found(LEAK.replace('columns=["customer_id"]', 'columns=["customer_id", TARGET]'))


def test_what_keras_does():
    pytest.importorskip("pandas")
    pytest.importorskip("keras")
    assert run(LEAK)["X"].shape == (200, 3)  # runs, with the target as the third feature
    assert run(LEAK.replace('columns=["customer_id"]', 'columns=["customer_id", TARGET]'))["X"].shape == (200, 2)


def test_a_slice_of_the_table_that_leaves_the_label_out_is_quiet():
    """Code review: the frame's columns followed the array into `data[:, :-1]`, which no longer holds the label."""
    src = LEAK.replace('X = df.drop(columns=["customer_id"]).values.astype("float32")',
                       'data = df.drop(columns=["customer_id"]).values.astype("float32")\nX = data[:, :-1]')
    assert not _found(src)


def test_numpy_array_of_a_frame_is_its_values():
    """``np.array(train_df, dtype="float32")`` is ``train_df.to_numpy("float32")``: the frame's rows and columns,
    and which columns they are (rw17b: a Normalization adapted on the frame that still holds the target)."""
    import textwrap
    from oracle import run, static_values
    src = textwrap.dedent("""
        import numpy as np
        import pandas as pd

        df = pd.DataFrame({"mpg": np.zeros(40), "cyl": np.ones(40), "hp": np.ones(40)})
        arr = np.array(df, dtype="float32")
        feats = df.copy()
        labels = feats.pop("mpg")
        arr2 = np.array(feats, dtype="float32")
    """).lstrip()
    got, real = static_values(src), run(src)
    assert tuple(got["arr"].shape) == real["arr"].shape == (40, 3) and got["arr"].value.dtype == "float32"
    assert tuple(got["arr2"].shape) == real["arr2"].shape == (40, 2)
