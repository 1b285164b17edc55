"""One encoder returning every step feeds a per-token tags head and a per-sentence head: the sentence head gives
one score per token against one target per sentence (Keras broadcasts without a word). ``return_sequences=False``
would break the tags head, so the help pools before the sentence head and no edit of the encoder is offered. Keras
is the oracle: the fixed script (pooled) gives one score per sentence."""
import os
import textwrap

from oracle import run
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    tokens = keras.Input(shape=(12,), dtype="int32")
    enc = layers.Bidirectional(layers.GRU(8, return_sequences=True))(layers.Embedding(50, 8)(tokens))
    tags = layers.TimeDistributed(layers.Dense(5, activation="softmax"), name="tags")(enc)
    POOL
    sentiment = layers.Dense(1, activation="sigmoid", name="sentiment")(enc)
    model = keras.Model(tokens, {"tags": tags, "sentiment": sentiment})
    model.compile(optimizer="adam", loss={"tags": "sparse_categorical_crossentropy", "sentiment": "mse"})
    x = np.random.randint(0, 50, (40, 12))
    model.fit(x, {"tags": np.random.randint(0, 5, (40, 12)), "sentiment": np.random.rand(40, 1)}, epochs=1,
              verbose=0)
    scores = model.predict(x[:3], verbose=0)["sentiment"]
""").lstrip()


def test_the_sentence_head_pools_and_the_encoder_keeps_its_steps():
    script = SCRIPT.replace("POOL", "")
    assert run(script)["scores"].shape == (3, 12, 1)  # silent: one "sentence" score per token
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "warning"]
    assert "GlobalAveragePooling1D" in d.help and (d.fix is None or not d.fix.edits)
    pooled = SCRIPT.replace("POOL", "").replace('name="sentiment")(enc)',
                                                'name="sentiment")(layers.GlobalAveragePooling1D()(enc))')
    assert run(pooled)["scores"].shape == (3, 1)
    assert not [e for e in check_source("case.py", pooled).diagnostics if e.severity in ("error", "warning")]
