"""Channels-first spectrograms (n, 1, N_MELS, N_FRAMES) into a Keras Conv2D (channels last): one warning, the
images' (SHP213), whose fix moves the plane last (``transpose(0, 2, 3, 1)``); the sequence check (SHP215) does not
also read the 2-D conv's input as steps and offer a transpose that turns the spectrogram around."""
import textwrap

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    N_MELS, N_FRAMES = 64, 64

    def load(n=40):
        mels = np.random.standard_normal((n, 1, N_MELS, N_FRAMES)).astype("float32")
        return mels, np.random.randint(0, 5, n)

    x, y = load()
    inp = keras.Input(shape=x.shape[1:])
    h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
    h = layers.GlobalAveragePooling2D()(h)
    model = keras.Model(inp, layers.Dense(5, activation="softmax")(h))
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x, y, epochs=1, verbose=0)
""").lstrip()


def test_one_warning_and_the_plane_moved_last():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("warning", "error")]
    assert [d.code for d in found] == ["SHP213"]
    assert "transpose(0, 2, 3, 1)" in found[0].help
