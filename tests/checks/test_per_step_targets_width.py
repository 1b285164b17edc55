"""A sequence model whose targets have its time axis, (N, T, 1), but whose per-step head gives each step another
width (``TimeDistributed(Dense(OUT_STEPS))``): Keras broadcasts (N, T, 1) against (N, T, T) and trains on it. The
diagnosis is the head's width, not ``return_sequences`` (the targets are per step, not per sample). Keras is the
oracle."""
import textwrap

import numpy as np

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    STEPS, OUT_STEPS, N_FEATURES = 12, 12, 1
    X = np.random.rand(32, STEPS, N_FEATURES).astype("float32")
    Y = np.random.rand(32, OUT_STEPS, 1).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(STEPS, N_FEATURES)),
        layers.LSTM(8, return_sequences=True),
        layers.TimeDistributed(layers.Dense(OUT_STEPS)),
    ])
    model.compile(loss="mse", optimizer="adam")
    model.fit(X, Y, epochs=1, verbose=0)
    pred = model.predict(X[:4], verbose=0)
""").lstrip()


def test_the_head_width_per_step_is_the_diagnosis():
    assert run(SRC)["pred"].shape == (4, 12, 12)  # Keras trains on the broadcast
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP202" and d.primary.span.line == 11 and "return_sequences" not in (d.help or "")
    fixed = apply_edits(SRC, d.fix.edits)
    assert "layers.TimeDistributed(layers.Dense(1))" in fixed and "return_sequences=True" in fixed
    assert run(fixed)["pred"].shape == (4, 12, 1)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_per_sample_targets_still_blame_return_sequences():
    src = SRC.replace('Y = np.random.rand(32, OUT_STEPS, 1).astype("float32")', 'Y = np.random.rand(32, 1)')
    src = src.replace("layers.TimeDistributed(layers.Dense(OUT_STEPS))", "layers.Dense(1)")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP207"
    assert np.asarray(run(src)["pred"]).shape == (4, 12, 1)
