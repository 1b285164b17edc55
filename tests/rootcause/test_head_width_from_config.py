"""A multi-step forecaster whose head is sized by a stale setting, ``Dense(cfg["n_out"])`` with ``n_out = 1``,
against targets of ``horizon`` steps: the loss silently broadcasts. The fix sizes the head as the targets were
made -- ``cfg["horizon"]``, spelled as the builder reads its config -- not the number 6 (an unseen reviewer judged
``Dense(6)`` a workaround). Slices keep where their length came from, through a train/test split."""
import os
import textwrap

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    CFG = {"lookback": 12, "horizon": 6, "n_out": 1, "units": 16}


    def windows(series, lookback, horizon):
        xs, ys = [], []
        for i in range(len(series) - lookback - horizon + 1):
            xs.append(series[i:i + lookback])
            ys.append(series[i + lookback:i + lookback + horizon, 0])
        return np.array(xs), np.array(ys)


    def build(cfg):
        inp = keras.Input(shape=(cfg["lookback"], 2))
        x = layers.LSTM(cfg["units"])(inp)
        model = keras.Model(inp, layers.Dense(cfg["n_out"])(x))
        model.compile(optimizer="adam", loss="mse")
        return model


    series = np.random.rand(300, 2).astype("float32")
    X, Y = windows(series, CFG["lookback"], CFG["horizon"])
    split = int(0.8 * len(X))
    model = build(CFG)
    model.fit(X[:split], Y[:split], epochs=1, verbose=0)
""").lstrip()


def test_the_head_is_sized_by_the_config_entry_the_targets_were_made_with():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP202"
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert 'layers.Dense(cfg["horizon"])(x)' in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]
