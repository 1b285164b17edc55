"""Regression targets against a head of another width, where which side is wrong shows in the data: targets cut
to one column of an array as wide as the head (``next_pos[:, 0]`` for ``Dense(2, name="lat_lon")``) -- the cut is
the mistake; and targets holding every feature column for a one-output forecast -- the column to forecast is the
user's to pick, so the head is not widened. Keras is the oracle: (batch,) targets against (batch, 2) outputs fail."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

CUT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    tracks = np.random.rand(64, 10, 3).astype("float32")
    next_pos = np.random.rand(64, 2).astype("float32")
    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.GRU(8), layers.Dense(2, name="lat_lon")])
    model.compile(optimizer="adam", loss="mse")
    model.fit(tracks, next_pos[:, 0], batch_size=16, epochs=1, verbose=0)
""").lstrip()

ALL = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    data = np.random.rand(300, 4).astype("float32")
    x = np.stack([data[i:i + 8] for i in range(200)])
    y = data[8:208]
    model = keras.Sequential([keras.Input(shape=(8, 4)), layers.GRU(8), layers.Dense(1, name="temp_forecast")])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
""").lstrip()


def _reported(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_column_cut_is_an_error_blamed_at_the_cut_and_undone():
    (d,) = _reported(CUT)
    assert d.severity == "error" and d.primary.span.line == 9
    fixed = apply_edits(CUT, d.fix.edits)
    assert "model.fit(tracks, next_pos, batch_size=16" in fixed
    assert 'layers.Dense(2, name="lat_lon")' in fixed and _reported(fixed) == []


def test_targets_of_every_feature_for_one_output_are_not_fixed_by_widening_the_head():
    (d,) = _reported(ALL)
    assert d.fix is None or not d.fix.edits
    assert "column" in d.help


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(CUT)  # (batch,) targets broadcast against (batch, 2) outputs
    run(CUT.replace("next_pos[:, 0]", "next_pos"))
    run(ALL)  # runs: the (batch, 4) targets broadcast against (batch, 1)
