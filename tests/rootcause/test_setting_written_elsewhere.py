"""A one-unit head given ``activation=HP["output_activation"]`` where the config says "softmax": the output is always
1.0. The fix writes "sigmoid" in the config, where the value is set, not over the name at the layer (fix review: the
config went on saying softmax, silently ignored). Keras is the oracle."""
import textwrap

import numpy as np

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    HP = {"units": 8, "output_activation": "softmax"}
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(HP["units"], activation="relu"),
                              layers.Dense(1, activation=HP["output_activation"])])
    probs = model.predict(np.random.rand(5, 4).astype("float32"), verbose=0)
""").lstrip()


def test_the_value_is_changed_where_it_is_written():
    assert np.allclose(run(SRC)["probs"], 1.0)
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")]
    assert d.primary.span.line == 5
    fixed = apply_edits(SRC, d.fix.edits)
    assert '"output_activation": "sigmoid"' in fixed and 'activation=HP["output_activation"]' in fixed
    assert not np.allclose(run(fixed)["probs"], 1.0)
