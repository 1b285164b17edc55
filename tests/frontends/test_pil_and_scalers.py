"""Data code around the model: PIL images (``size`` is (width, height); ``np.asarray`` gives (H, W, 3) for RGB and
(H, W) for grayscale) and scikit-learn scalers (what they return has the shape they are given). Each fact is
checked against the real library, and the diagnoses they enable against torch."""
import textwrap

import numpy as np
import pytest

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

PIL_SHAPES = textwrap.dedent("""
    import numpy as np
    from PIL import Image

    arr = np.zeros((80, 96, 3), dtype=np.uint8)
    img = Image.fromarray(arr)
    rgb = np.asarray(img.convert("RGB").resize((64, 48)), dtype=np.float32)
    gray = np.array(img.convert("L").resize((28, 28)))
    cropped = np.asarray(img.crop((0, 0, 40, 30)))
    rgba = np.asarray(Image.new("RGBA", (10, 20)))
    turned = np.asarray(Image.new("RGB", (64, 32)).rotate(90, Image.BILINEAR, True))
    kept = np.asarray(Image.new("RGB", (64, 32)).rotate(90))
    size = img.size
""").lstrip()

HWC_INTO_CONV = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from PIL import Image
    from torch.utils.data import DataLoader, Dataset


    class Leaves(Dataset):
        def __init__(self, n=16):
            rng = np.random.default_rng(0)
            self.images = [Image.fromarray(rng.integers(0, 255, (80, 96, 3), dtype=np.uint8)) for _ in range(n)]

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            arr = np.asarray(self.images[i].convert("RGB").resize((32, 32)), dtype=np.float32) / 255.0
            x = torch.from_numpy(arr)
            return x, 0


    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, 4))
    for xb, yb in DataLoader(Leaves(), batch_size=4):
        out = model(xb)
""").lstrip()

ONE_ROW = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from sklearn.preprocessing import StandardScaler

    X = np.random.rand(64, 6)
    scaler = StandardScaler().fit(X)
    train = torch.tensor(scaler.transform(X), dtype=torch.float32)
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
    model(train)

    row = np.array([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])
    x = torch.tensor(scaler.transform(row)[0], dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        p = model(x)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_pil_shapes_agree_with_pil():
    pytest.importorskip("PIL")
    seen, real = static_values(PIL_SHAPES), run(PIL_SHAPES)
    for name in ("rgb", "gray", "cropped", "rgba", "kept"):
        assert tuple(seen[name].shape) == real[name].shape, name
    assert seen["size"] == real["size"] == (96, 80)
    turned = tuple(seen["turned"].shape)  # rotate(angle, resample, expand): expanded, its size not known
    assert all(a is None or a == b for a, b in zip(turned, real["turned"].shape)) and turned[2] == 3
    assert seen["rgb"].value.dtype == "float32" and seen["gray"].value.dtype == "uint8"


def test_an_image_of_unknown_mode_stays_unknown():
    src = "import numpy as np\nfrom PIL import Image\na = np.asarray(Image.open('x.png'))\n"
    assert "a" not in static_values(src) or getattr(static_values(src)["a"], "shape", None) is None


def test_channels_last_pil_images_into_a_conv_are_permuted_where_they_become_torch():
    (d,) = _errors(HWC_INTO_CONV)
    assert d.primary.span.line == 18
    fixed = fix_source("case.py", HWC_INTO_CONV, [d], ("safe", "unsafe")).source
    assert "torch.from_numpy(arr).permute(2, 0, 1)" in fixed and not _errors(fixed)


def test_a_sample_taken_out_of_its_scaled_batch_keeps_a_batch_of_one():
    (d,) = _errors(ONE_ROW)
    assert d.primary.span.line == 13
    fixed = fix_source("case.py", ONE_ROW, [d], ("safe", "unsafe")).source
    assert "scaler.transform(row)[0:1]" in fixed and not _errors(fixed)


def test_eval_mode_lets_a_batch_of_one_through_batch_norm():
    src = ONE_ROW.replace("scaler.transform(row)[0]", "scaler.transform(row)")
    assert not _errors(src)
    assert [d.code for d in _errors(src.replace("model.eval()\n", ""))] == ["SHP124"]


def test_what_the_libraries_do():
    pytest.importorskip("PIL")
    pytest.importorskip("sklearn")
    with pytest.raises(RuntimeError):
        run(HWC_INTO_CONV)
    assert tuple(run(HWC_INTO_CONV.replace("torch.from_numpy(arr)", "torch.from_numpy(arr).permute(2, 0, 1)"))
                 ["out"].shape) == (4, 4)
    with pytest.raises((RuntimeError, ValueError)):
        run(ONE_ROW)
    assert tuple(run(ONE_ROW.replace("[0],", "[0:1],"))["p"].shape) == (1, 1)
    with pytest.raises(ValueError):
        run(ONE_ROW.replace("scaler.transform(row)[0]", "scaler.transform(row)").replace("model.eval()\n", ""))
    scaled = run(ONE_ROW.replace("[0],", "[0:1],"))
    assert np.asarray(scaled["scaler"].transform(scaled["row"])).shape == (1, 6)


ENCODED = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import keras
    from keras import layers
    from sklearn.preprocessing import LabelEncoder

    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(64, 5)), columns=[f"f{i}" for i in range(5)])
    df["kind"] = rng.choice(["a", "b", "c"], 64)
    labels = keras.utils.to_categorical(LabelEncoder().fit_transform(df["kind"]), num_classes=3)
    dummies = pd.get_dummies(df["kind"]).values
    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(df[[f"f{i}" for i in range(5)]].values, labels, epochs=1, verbose=0)
""").lstrip()


def test_label_encoder_and_get_dummies_keep_their_rows():
    pytest.importorskip("sklearn")
    pytest.importorskip("pandas")
    seen = static_values(ENCODED.split("model =")[0])
    real = run(ENCODED.split("model =")[0])
    assert tuple(seen["labels"].shape) == real["labels"].shape
    assert seen["dummies"].shape[0] == real["dummies"].shape[0] and seen["dummies"].shape[1] is None


def test_one_hot_labels_from_a_label_encoder_into_a_sparse_loss_are_found():
    (d,) = _errors(ENCODED)
    assert d.code == "SHP301"


def test_what_keras_does_with_the_encoded_labels():
    pytest.importorskip("sklearn")
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(ENCODED)
    run(ENCODED.replace("sparse_categorical_crossentropy", "categorical_crossentropy"))
