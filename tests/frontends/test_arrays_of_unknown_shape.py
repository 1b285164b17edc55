"""Arrays whose shape is not known statically -- ``np.load("x.npy")``, ``np.asarray(blob[b"data"])`` of an unpickled
batch -- are still arrays, and a reshape that writes every size but one (-1) gives them a known rank and known
sizes; a ``.npz`` (a mapping of arrays) or a path not written out stays unknown until a reshape writes its sizes
(whatever loaded it, ``.reshape(-1, 4)`` gives (N, 4) when it runs). numpy is the oracle. With the
shape known, CIFAR's planar rows reshaped to (N, 3, 32, 32) and fed to a channels-last Conv2D are found (SHP213)."""
import os
import pickle
import textwrap

import numpy as np

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def test_loaded_arrays_reshaped_with_written_sizes(tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((12, 3072), np.uint8))
    (tmp_path / "blob.pkl").write_bytes(pickle.dumps({b"data": np.zeros((12, 3072), np.uint8).tolist()}))
    src = textwrap.dedent(f"""
        import pickle
        import numpy as np

        x = np.load({str(tmp_path / "x.npy")!r}).reshape(-1, 3, 32, 32)
        with open({str(tmp_path / "blob.pkl")!r}, "rb") as fh:
            blob = pickle.load(fh)
        y = np.asarray(blob[b"data"]).reshape(-1, 32, 32, 3)
        z = np.array(blob[b"data"], dtype="float32").reshape(12, -1)
    """)
    real, static = run(src), static_values(src)
    for name in ("x", "y", "z"):
        got = static[name].shape
        assert len(got) == real[name].ndim
        assert all(g is None or g == r for g, r in zip(got, real[name].shape))
    assert static["x"].shape == (None, 3, 32, 32) and static["z"].shape == (12, None)


def test_what_stays_unknown():
    src = textwrap.dedent("""
        import numpy as np
        path = input()
        a = np.load("arrays.npz")
        b = np.load(path).reshape(-1, 4)
        c = np.asarray(a["x"]).reshape(-1, -1)
    """)
    static = static_values(src)
    assert getattr(static["a"], "shape", None) is None and getattr(static["c"], "shape", None) is None
    assert tuple(static["b"].shape) == (None, 4)  # the reshape writes every size but one


CIFAR = textwrap.dedent("""
    import pickle
    import numpy as np
    import keras
    from keras import layers


    def load_batch(path):
        with open(path, "rb") as fh:
            d = pickle.load(fh, encoding="bytes")
        x = np.asarray(d[b"data"]).reshape(-1, 3, 32, 32)
        return x.astype("float32") / 255.0


    x_train = load_batch("data_batch_1")
    model = keras.Sequential([keras.Input(shape=x_train.shape[1:]), layers.Conv2D(8, 3, padding="same"),
                              layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
    probabilities = model.predict(x_train)
""").lstrip()


def test_planar_cifar_rows_into_a_channels_last_conv_are_found():
    (d,) = [d for d in check_source("case.py", CIFAR).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP213" and d.primary.span.line == 10
