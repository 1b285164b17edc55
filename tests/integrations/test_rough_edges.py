"""The rough edges a new user met (issue 13), each as that user would meet it."""
import json
import textwrap

import pytest

import shapelint
from shapelint.cli import main


def _write(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_result_truth_and_json_text(tmp_path):
    bad = shapelint.check(_write(tmp_path, "bad.py", """\
        import torch, torch.nn as nn
        nn.Sequential(nn.Linear(10, 5), nn.Linear(6, 2))(torch.randn(4, 10))
    """))
    good = shapelint.check(_write(tmp_path, "good.py", "x = 1\n"))
    assert not bad.ok and not bad and good.ok and good  # bool(result) is result.ok
    assert isinstance(bad.to_json(), str) and json.loads(bad.to_json()) == bad.to_dict()
    assert bad.to_dict()["files"][0]["diagnostics"][0]["code"] == "SHP101"


def test_live_models_are_not_described_as_files():
    torch = pytest.importorskip("torch")
    result = shapelint.check(torch.nn.Sequential(torch.nn.Linear(4, 2)))
    text = str(result)
    assert "torch model `Sequential` (live object)" in text
    assert "in this file" not in text and "--input-shape" not in text and "command line" not in text
    assert "input_shape=(batch, ...)" in text and text.rstrip().endswith("checked 1 model, 0 errors, 0 warnings")
    keras = pytest.importorskip("keras")
    text = str(shapelint.check(keras.Sequential([keras.layers.Dense(4)])))
    assert "before saving" not in text and "in this file" not in text and "has not been built or called" in text


def test_batch_and_dataset_sizes_are_not_mixed_in_one_sentence(tmp_path, capsys):
    path = _write(tmp_path, "fit.py", """\
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(200, 20).astype("float32")
        y = np.random.rand(200, 3).astype("float32")
        model = keras.Sequential([layers.Input(shape=(20,)), layers.Dense(10)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=32, epochs=1)
    """)
    assert main(["check", path, "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"][0]
    assert d["message"] == ("`mse` needs targets that match the output's shape (200, 10), but the labels are "
                            "float32 values of shape (200, 3)")  # the whole labels against as many outputs
    # batches: in a note of their own, said so (the root-cause analysis may add its own note before it)
    assert "labels (32, 3) vs output (32, 10) in each batch" in d["notes"]
    assert not any("(32," in n and "200" in n for n in d["notes"])


def test_keras_missing_flatten_is_headlined_as_the_model_problem(tmp_path, capsys):
    path = _write(tmp_path, "cnn.py", """\
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(16, 28, 28, 1).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, 10, size=(16,)), 10)
        model = keras.Sequential([
            layers.Input(shape=(28, 28, 1)),
            layers.Conv2D(10, 3),
            layers.MaxPooling2D(4),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x, y)
    """)
    assert main(["check", path, "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"][0]
    assert d["message"].startswith("`dense` is applied to the feature map (None, 6, 6, 10) without `Flatten()`")
    assert "needs one-hot labels" not in d["message"] and "insert `Flatten()`" in d["help"]
