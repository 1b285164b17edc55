"""Saved Keras models (.keras zip, .json from to_json(), legacy .h5) are checked from their config, without
importing keras; and every front-end (source, live, saved) yields the same IR for the same model."""
import json
import sys
import textwrap
import zipfile

import pytest
import slow_machine

keras = pytest.importorskip("keras")
from keras import layers  # noqa: E402

import shapelint  # noqa: E402
from shapelint.api import check_path  # noqa: E402
from shapelint.cli import main  # noqa: E402


def table(file_result):
    (m,) = file_result.models
    out = []
    for op in m.program.ops:
        v = op.output
        out.append((op.layer.kind, [t.shape for t in v.items] if hasattr(v, "items") else v.shape))
    return out


def cnn():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ], name="cnn")


def functional():
    a, b = keras.Input((16,), name="a"), keras.Input((4,), name="b")
    enc = keras.Sequential([layers.Dense(8), layers.Dense(4)], name="enc")
    shared = layers.Dense(6, name="shared")
    x = layers.concatenate([shared(enc(a)), shared(b)])
    seq, h, c = layers.LSTM(3, return_state=True, return_sequences=True)(layers.Reshape((3, 4))(x))
    return keras.Model([a, b], [layers.Dense(2)(h), seq], name="fm")


def save(model, path, fmt):
    if fmt == "json":
        path.write_text(model.to_json())
    else:
        model.save(str(path))
    return str(path)


@pytest.mark.parametrize("fmt", ["keras", "json", "h5"])
@pytest.mark.parametrize("make", [cnn, functional])
def test_saved_model_matches_live(tmp_path, fmt, make):
    if fmt == "h5":
        pytest.importorskip("h5py")
    model = make()
    path = save(model, tmp_path / f"m.{fmt}", fmt)
    saved = check_path(path)
    assert saved.error is None, saved.error
    live = shapelint.check(model).files[0]
    assert table(saved) == table(live)
    assert not [d for d in saved.diagnostics if d.severity == "error"]
    out = saved.models[0].program.output
    expected = [tuple(t.shape) for t in model.outputs]
    assert ([t.shape for t in out.items] if hasattr(out, "items") else [out.shape]) == expected


def test_saved_origins_are_json_pointers(tmp_path):
    path = save(cnn(), tmp_path / "m.keras", "keras")
    r = check_path(path)
    assert r.models[0].program.ops[0].layer.origin.path == "/config/layers/1"


def test_saved_error_is_found_without_keras(tmp_path):
    """A broken saved config (edited by hand) is reported; checking runs in a process without keras."""
    cfg = json.loads(cnn().to_json())
    cfg["config"]["layers"].insert(3, {"module": "keras.layers", "class_name": "LSTM",
                                      "config": {"name": "lstm", "units": 4}})
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(cfg))
    code = textwrap.dedent(f"""
        import sys, json
        sys.modules["keras"] = None  # any import of keras fails
        sys.modules["torch"] = None
        import shapelint
        r = shapelint.check({str(path)!r})
        print(r.to_json())
    """)
    p = slow_machine.run([sys.executable, "-c", code], cpu_seconds=120, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    diags = report["files"][0]["diagnostics"]
    assert [d["code"] for d in diags if d["severity"] == "error"] == ["SHP103"]
    assert diags[0]["layer_name"] == "lstm"


def test_input_shape_for_unbuilt_saved_model(tmp_path):
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    path = save(model, tmp_path / "m.json", "json")
    r = check_path(path)
    assert [d.code for d in r.diagnostics] == ["SHP003"]
    r = check_path(path, input_shape=(None, 7))
    assert r.models[0].program.output.shape == (None, 2)


@pytest.mark.parametrize("name, content, why", [
    ("bad.keras", b"not a zip", "not a zip"),
    ("bad.json", b"{\"hello\": 1}", "not a Keras model config"),
    ("bad2.json", b"{not json", "not valid JSON"),
    ("bad.h5", b"garbage", "HDF5"),
])
def test_unreadable_saved_files_give_one_line(tmp_path, name, content, why):
    if name.endswith(".h5"):
        pytest.importorskip("h5py")
    path = tmp_path / name
    path.write_bytes(content)
    r = check_path(str(path))
    assert r.error and why in r.error


def test_keras_zip_without_config(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", "{}")
    assert "no config.json" in check_path(str(path)).error


def test_weights_only_h5(tmp_path):
    pytest.importorskip("h5py")
    model = cnn()
    path = tmp_path / "w.weights.h5"
    model.save_weights(str(path))
    assert "weights only" in check_path(str(path)).error


def test_cli_checks_saved_model(tmp_path, capsys):
    path = save(cnn(), tmp_path / "m.keras", "keras")
    code = main(["check", path, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["files"][0]["models"][0]["layers"][-1]["output"] == [None, 10]
    code = main(["check", str(tmp_path / "missing.keras")])
    assert code == 2


# -- one model, three front-ends, one IR ----------------------------------------------------------------------
SOURCE = """
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(2),
    layers.Conv2D(32, 3, strides=2),
    layers.GlobalAveragePooling2D(),
    layers.Dropout(0.2),
    layers.Dense(10, activation="softmax"),
], name="model")
"""

FUNCTIONAL_SOURCE = """
import keras
from keras import layers

a = keras.Input(shape=(20,), name="a")
b = keras.Input(shape=(8, 4), name="b")
x = layers.Dense(16, activation="relu")(a)
y = layers.LSTM(16)(b)
z = layers.concatenate([x, y])
z = layers.Dense(3)(z)
model = keras.Model(inputs=[a, b], outputs=z, name="model")
"""

NESTED_SOURCE = """
import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(8)], name="encoder")
inp = keras.Input(shape=(32,))
shared = layers.Dense(8)
a = shared(encoder(inp))
b = shared(layers.Dense(8)(inp))
model = keras.Model(inp, layers.Dense(2)(layers.add([a, b])), name="model")
"""

WRAPPERS_SOURCE = """
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(20, 6)),
    layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
    layers.TimeDistributed(layers.Dense(4)),
    layers.Conv1D(8, 3, padding="causal", dilation_rate=2),
    layers.GRU(5),
    layers.RepeatVector(3),
    layers.Flatten(),
    layers.Dense(1),
], name="model")
"""


def _ir(file_result):
    (m,) = [m for m in file_result.models if m.name == "model"] or file_result.models
    return [(op.layer.kind, [t.shape for t in op.inputs], op.output.shape, op.layer.params) for op in m.program.ops]


@pytest.mark.parametrize("source", [SOURCE, FUNCTIONAL_SOURCE, NESTED_SOURCE, WRAPPERS_SOURCE])
def test_source_live_and_saved_give_the_same_ir(tmp_path, source):
    src_path = tmp_path / "model.py"
    src_path.write_text(source)
    from_source = check_path(str(src_path))
    namespace = {}
    exec(compile(source, str(src_path), "exec"), namespace)
    model = namespace["model"]
    from_live = shapelint.check(model).files[0]
    from_saved = check_path(save(model, tmp_path / "model.keras", "keras"))
    from_json = check_path(save(model, tmp_path / "model.json", "json"))
    irs = [_ir(from_source), _ir(from_live), _ir(from_saved), _ir(from_json)]
    if "keras.Model(" not in source:
        assert irs[0] == irs[1] == irs[2] == irs[3]
    else:  # a DAG: the source lists ops as written, a config in Keras' own topological order
        assert sorted(irs[0], key=repr) == sorted(irs[1], key=repr) == sorted(irs[2], key=repr) \
            == sorted(irs[3], key=repr)
        assert irs[1] == irs[2] == irs[3]
    assert _ir(from_source)[-1][2] == tuple(model.outputs[0].shape)


def test_single_input_output_functional_refs_are_flat(tmp_path):
    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2)(inp))
    r = check_path(save(model, tmp_path / "m.json", "json"))
    prog = r.models[0].program
    assert [t.shape for t in prog.inputs] == [(None, 4)]
    assert prog.output.shape == (None, 2)


# -- tf.keras 2 (legacy) configs, as .h5 files of that era hold them ------------------------------------------
KERAS2_SEQUENTIAL = {
    "class_name": "Sequential", "keras_version": "2.4.0", "backend": "tensorflow",
    "config": {"name": "sequential", "layers": [
        {"class_name": "Conv2D", "config": {"name": "conv2d", "trainable": True, "batch_input_shape": [None, 28, 28, 1],
                                            "dtype": "float32", "filters": 32, "kernel_size": [3, 3],
                                            "strides": [1, 1], "padding": "valid", "data_format": "channels_last",
                                            "dilation_rate": [1, 1], "groups": 1, "activation": "relu",
                                            "use_bias": True}},
        {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid",
                                                  "strides": [2, 2], "data_format": "channels_last"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 10, "activation": "softmax"}},
        {"class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}},
        {"class_name": "LSTM", "config": {"name": "lstm", "units": 4}},
    ]}}

KERAS2_FUNCTIONAL = {
    "class_name": "Functional", "keras_version": "2.9.0", "backend": "tensorflow",
    "config": {"name": "model", "layers": [
        {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 32], "dtype": "float32", "sparse": False, "name": "input_1"}},
        {"class_name": "InputLayer", "name": "input_2", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, 8], "dtype": "float32", "sparse": False, "name": "input_2"}},
        {"class_name": "Dense", "name": "dense", "config": {"name": "dense", "units": 16},
         "inbound_nodes": [[["input_1", 0, 0, {}]]]},
        {"class_name": "Concatenate", "name": "concatenate", "config": {"name": "concatenate", "axis": -1},
         "inbound_nodes": [[["dense", 0, 0, {}], ["input_2", 0, 0, {}]]]},
        {"class_name": "Dense", "name": "dense_1", "config": {"name": "dense_1", "units": 1},
         "inbound_nodes": [[["concatenate", 0, 0, {}]]]},
    ], "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["dense_1", 0, 0]]}}


def test_keras2_sequential_config(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps(KERAS2_SEQUENTIAL))
    r = check_path(str(path))
    assert r.models[0].program.inputs[0].shape == (None, 28, 28, 1)
    assert [op.output.shape for op in r.models[0].program.ops[:4]] == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 13, 13, 10), (None, 1690)]
    errs = [d for d in r.diagnostics if d.severity == "error"]
    assert [(d.code, d.layer_name) for d in errs] == [("SHP103", "lstm")]
    assert any("/config/layers/4" in n for n in errs[0].notes)


def test_keras2_functional_config_in_h5(tmp_path):
    h5py = pytest.importorskip("h5py")
    path = tmp_path / "old.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(KERAS2_FUNCTIONAL).encode()
    r = check_path(str(path))
    assert r.error is None
    prog = r.models[0].program
    assert [op.output.shape for op in prog.ops] == [(None, 16), (None, 24), (None, 1)]
    assert prog.output.shape == (None, 1)


def test_folder_includes_keras_archives(tmp_path):
    save(cnn(), tmp_path / "m.keras", "keras")
    (tmp_path / "a.py").write_text("x = 1\n")
    result = shapelint.check(str(tmp_path))
    assert sorted(f.path.rsplit("/", 1)[-1] for f in result.files) == ["a.py", "m.keras"]


def test_source_script_loading_a_saved_model(tmp_path):
    model = keras.Sequential([layers.Dense(8), layers.Dense(3)])
    model.build((None, 5))
    save(model, tmp_path / "clf.keras", "keras")
    lazy = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    save(lazy, tmp_path / "lazy.keras", "keras")
    script = tmp_path / "use.py"
    script.write_text(textwrap.dedent("""
        import numpy as np
        import keras
        clf = keras.models.load_model("clf.keras")
        lazy = keras.saving.load_model("lazy.keras")
        pred = lazy.predict(np.zeros((7, 9)))
        missing = keras.models.load_model("nowhere.keras")
    """))
    r = check_path(str(script))
    by_name = {m.name: m for m in r.models}
    assert by_name["clf"].program.output.shape == (None, 3)
    assert by_name["lazy"].program.output.shape == (7, 2)
    assert not [d for d in r.diagnostics if d.severity == "error"]


def test_mangled_configs_never_raise(tmp_path):
    """Hand-edited or truncated configs give a report or one clear line, never a traceback."""
    import copy
    import random
    from shapelint.frontends.keras_config import ConfigError, build_program
    bases = [json.loads(cnn().to_json()), json.loads(functional().to_json())]
    junk = [None, 1, -3, "x", [], {}, [1, 2], {"a": 1}, [None], [[["a", 0, 0, {}]]], [["a", [1], 0]],
            {"class_name": "__keras_tensor__"}, True, 1.5, [[]]]

    def mutate(o, rng):
        if isinstance(o, dict) and o:
            k = rng.choice(list(o))
            if rng.random() < 0.3:
                o[k] = rng.choice(junk)
            elif rng.random() < 0.1:
                del o[k]
            else:
                mutate(o[k], rng)
        elif isinstance(o, list) and o:
            i = rng.randrange(len(o))
            if rng.random() < 0.3:
                o[i] = rng.choice(junk)
            else:
                mutate(o[i], rng)

    rng = random.Random(5)
    for _ in range(1500):
        cfg = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.randint(1, 4)):
            mutate(cfg, rng)
        try:
            build_program(cfg, input_shape=rng.choice([None, (None, 5), (3,), ((1, 2), (3,))]))
        except ConfigError:
            pass
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"class_name": "Functional", "config": {"layers": [{"class_name": 3}],
                                                                       "output_layers": 7}}))
    r = check_path(str(path))
    assert r.error is None or "unexpected structure" in r.error


def test_h5_without_h5py_is_one_clear_line(tmp_path, monkeypatch):
    path = tmp_path / "m.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n")
    monkeypatch.setitem(sys.modules, "h5py", None)
    r = check_path(str(path))
    assert r.error and "h5py" in r.error and "\n" not in r.error
