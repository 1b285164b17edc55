"""tf.data pipelines: the element shapelint follows equals tensorflow's ``element_spec``, and a model fed a dataset of
single samples or one batched twice is reported where tensorflow-keras fails.

The oracle is a Python with tensorflow installed (``SHAPELINT_TF_PYTHON``, default ``/work/fwenv/bin/python``,
tensorflow-cpu 2.21): all rows run in one subprocess; those tests are skipped when it is absent. Verified with
tensorflow 2.21 / keras 3 on the TensorFlow backend."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.evaluator import Evaluator
from shapelint.frontends.source.tfdata_api import TFDataset

TF_PYTHON = os.environ.get("SHAPELINT_TF_PYTHON", "/work/fwenv/bin/python")
HEAD = "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n" \
       "x = np.zeros((100, 28, 28), 'float32')\ny = np.zeros((100,), 'int64')\n" \
       "img = np.zeros((10, 30, 40, 3), 'float32')\n"
S = "tf.data.Dataset.from_tensor_slices"

PIPELINES = [
    (f"{S}((x, y))", [[28, 28], []]),
    (f"{S}([x, x])", [100, 28, 28]),
    (f"{S}({{'a': x, 'b': y}})", {"a": [28, 28], "b": []}),
    ("tf.data.Dataset.from_tensors((x, y))", [[100, 28, 28], [100]]),
    (f"{S}((x, y)).batch(32)", [[None, 28, 28], [None]]),
    (f"{S}((x, y)).batch(32, drop_remainder=True)", [[32, 28, 28], [32]]),
    (f"{S}((x, y)).batch(32).batch(4)", [[None, None, 28, 28], [None, None]]),
    (f"{S}((x, y)).batch(32).unbatch()", [[28, 28], []]),
    (f"{S}((x, y)).batch(32).rebatch(8)", [[None, 28, 28], [None]]),
    (f"{S}((x, y)).padded_batch(8)", [[None, 28, 28], [None]]),
    (f"{S}(x).padded_batch(8, padded_shapes=[30, 28])", [None, 30, 28]),
    (f"{S}((x, y)).map(lambda a, b: (tf.expand_dims(a, -1), tf.one_hot(b, 10)))", [[28, 28, 1], [10]]),
    (f"{S}((x, y)).map(lambda a, b: (a + tf.random.normal(tf.shape(a), stddev=0.05), b))", [[28, 28], []]),
    (f"{S}((x, y)).map(lambda a, b: (tf.reshape(a, [-1]), b))", [[784], []]),
    (f"{S}(x).map(lambda im: tf.cast(im, tf.float32) / 255.0).batch(16)", [None, 28, 28]),
    (f"tf.data.Dataset.zip(({S}(x), {S}(y))).batch(5)", [[None, 28, 28], [None]]),
    (f"{S}(x).enumerate()", [[], [28, 28]]),
    ("tf.data.Dataset.range(10).batch(3)", [None]),
    (f"{S}((x, y)).shuffle(10).take(5).cache().repeat().prefetch(tf.data.AUTOTUNE)", [[28, 28], []]),
    (f"{S}(img).map(lambda im: tf.image.resize(im, (16, 16)))", [16, 16, 3]),
    # its element_spec leaves the window length unknown; every batch has it (compared on the first batch)
    ("keras.utils.timeseries_dataset_from_array(x[:, 0], y, sequence_length=5, batch_size=8)",
     [[None, 5, 28], [None]]),
]
WINDOWS = f"{S}(x[:, 0, 0]).window(5, shift=1, drop_remainder=True).flat_map(lambda w: w.batch(5))"
PIPELINES += [  # windows of a known length: every batch of one is full (element_spec says None; compared on data)
    (f"{WINDOWS}.batch(4)", [None, 5]),
    (f"{WINDOWS}.map(lambda w: (w[:-1], w[-1])).batch(4)", [[None, 4], [None]]),
]
# windows of (features, labels): a tuple of datasets per window, given to the function as two arguments
PAIRS = (f"{S}((x[:, 0, :3], y)).window(6, shift=1, drop_remainder=True)"
         ".flat_map(lambda a, b: tf.data.Dataset.zip((a.batch(3), b.batch(6)))).map(lambda a, b: (a, b[-1])).batch(4)")
PIPELINES += [(PAIRS, [[None, 3, 3], [None]])]
FIRST_BATCH = {"keras.utils.timeseries_dataset_from_array(x[:, 0], y, sequence_length=5, batch_size=8)",
               f"{WINDOWS}.batch(4)", f"{WINDOWS}.map(lambda w: (w[:-1], w[-1])).batch(4)", PAIRS}


def _nested(v):
    if isinstance(v, tuple):
        return [_nested(i) for i in v]
    if isinstance(v, dict):
        return {k: _nested(x) for k, x in v.items()}
    shape = getattr(v, "shape", None)
    return list(shape) if shape is not None else "?"


def _element(expr: str):
    src = HEAD + f"ds = {expr}\n"
    ev = Evaluator("p.py", src, ast.parse(src))
    ev.run()
    ds = ev.module.vars["ds"]
    assert isinstance(ds, TFDataset), ds
    return _nested(ds.element)


@pytest.mark.parametrize("expr, spec", PIPELINES, ids=[p[0][:60] for p in PIPELINES])
def test_element_spec(expr, spec):
    assert _element(expr) == spec


def test_directory_loaders_give_the_element_their_arguments_say():
    src = HEAD + textwrap.dedent("""\
        a = keras.utils.image_dataset_from_directory("d", image_size=(64, 48), color_mode="grayscale",
                                                     label_mode="categorical", class_names=["c", "d", "e"])
        b = keras.utils.image_dataset_from_directory("d", batch_size=None)
        c = keras.utils.text_dataset_from_directory("d", label_mode="binary")
        d = keras.utils.image_dataset_from_directory("d", labels=None, image_size=(32, 32))
        """)
    ev = Evaluator("p.py", src, ast.parse(src))
    ev.run()
    v = ev.module.vars
    assert _nested(v["a"].element) == [[None, 64, 48, 1], [None, 3]] and v["a"].batches == 1
    assert _nested(v["b"].element) == [[256, 256, 3], []] and v["b"].batches == 0
    assert _nested(v["c"].element) == [[None], [None, 1]]
    assert _nested(v["d"].element) == [None, 32, 32, 3]


def _tf_available() -> bool:
    return Path(TF_PYTHON).is_file()


_ORACLE = r"""
import json, os, sys, warnings
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
warnings.simplefilter("ignore")
import numpy as np, tensorflow as tf, keras
from keras import layers
cases = json.loads(sys.stdin.read())
out = []
for kind, head, body in cases:
    ns = {}
    exec(head, ns)
    if kind == "spec":
        ds = eval(body, ns)
        out.append(tf.nest.map_structure(lambda s: list(s.shape), ds.element_spec,))
    elif kind == "first":  # the first batch, its batch axis written None as element_spec does
        ds = eval(body, ns)
        out.append(tf.nest.map_structure(lambda t: [None] + list(t.shape[1:]), next(iter(ds))))
    else:
        try:
            exec(body, ns)
            out.append("ok")
        except Exception:
            out.append("error")
print(json.dumps(out))
"""


def _oracle(cases):
    proc = subprocess.run([TF_PYTHON, "-c", _ORACLE], input=json.dumps(cases), capture_output=True, text=True,
                          env=dict(os.environ, KERAS_BACKEND="tensorflow"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


MODEL = HEAD + textwrap.dedent("""\
    dense = keras.Sequential([keras.Input((28, 28)), layers.Flatten(), layers.Dense(10)])
    dense.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.f = layers.Flatten()
            self.d = layers.Dense(10)
        def call(self, t):
            return self.d(self.f(t))
    sub = Sub()
    sub.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    """)
FEEDS = [
    (f"dense.fit({S}((x, y)).batch(16), epochs=1, verbose=0)", None),
    (f"dense.fit({S}((x, y)), epochs=1, verbose=0)", "SHP307"),
    (f"dense.fit({S}((x, y)).batch(16).batch(2), epochs=1, verbose=0)", "SHP308"),
    (f"dense.fit({S}((x, y)).batch(16), validation_data={S}((x, y)), epochs=1, verbose=0)", "SHP307"),
    (f"dense.predict({S}(x), verbose=0)", "SHP307"),
    (f"dense.predict({S}(x).batch(8), verbose=0)", None),
    (f"dense.fit({S}((x, y)).batch(8).unbatch(), epochs=1, verbose=0)", "SHP307"),
    ("dense.fit(tf.data.Dataset.from_tensors((x, y)), epochs=1, verbose=0)", None),
    (f"dense.fit({S}((x, y)).map(lambda a, b: (a / 255.0, b)).batch(8), epochs=1, verbose=0)", None),
    (f"sub.fit({S}((x, y)), epochs=1, verbose=0)", "SHP307"),
    (f"dense.fit({S}((x, y)).map(lambda a, b: (a + tf.random.normal(tf.shape(a)), b)).prefetch(2), epochs=1, "
     "verbose=0)", "SHP307"),
    (f"sub.fit({S}((x, y)).batch(8).batch(2), epochs=1, verbose=0)", "SHP308"),
    (f"sub.fit({S}((x, y)).batch(8), epochs=1, verbose=0)", None),
]


@pytest.mark.parametrize("body, code", FEEDS, ids=[f[0][:70] for f in FEEDS])
def test_model_fed_by_a_dataset(body, code):
    result = check_source("m.py", MODEL + body + "\n")
    errors = [d.code for d in result.diagnostics if d.severity == "error"]
    assert errors == ([code] if code else []), [d.message for d in result.diagnostics]


@pytest.mark.skipif(not _tf_available(), reason="no Python with tensorflow (SHAPELINT_TF_PYTHON)")
def test_pipelines_and_feeds_match_tensorflow():
    cases = [["first" if expr in FIRST_BATCH else "spec", HEAD, expr] for expr, _ in PIPELINES] + \
        [["run", MODEL, body] for body, _ in FEEDS]
    got = _oracle(cases)
    for (expr, spec), real in zip(PIPELINES, got):
        assert real == spec, f"{expr}: tensorflow {real}, table {spec}"
    for (body, code), real in zip(FEEDS, got[len(PIPELINES):]):
        assert real == ("ok" if code is None else "error"), f"{body}: tensorflow {real}"


def test_unbatched_pipeline_is_batched_before_its_prefetch():
    """Expert review: `.batch(32)` appended after `.prefetch(...)` works but prefetches single samples; the batch goes
    before a trailing prefetch."""
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = (
        "import numpy as np\nimport tensorflow as tf\nimport keras\n"
        "x = np.zeros((64, 4), 'float32')\ny = np.zeros((64,), 'float32')\n"
        "ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).prefetch(tf.data.AUTOTUNE)\n"
        "m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\n"
        "m.compile('adam', 'mse')\nm.fit(ds, epochs=1, verbose=0)\n")
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP307"]
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert ".shuffle(64).batch(32).prefetch(tf.data.AUTOTUNE)" in fixed


def test_removing_a_second_batch_deletes_an_assignment_left_doing_nothing():
    """Expert review: removing `.batch(32)` from `val_ds = val_ds.batch(32)` left `val_ds = val_ds`."""
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = (
        "import numpy as np\nimport tensorflow as tf\nimport keras\n"
        "x = np.zeros((64, 4), 'float32')\ny = np.zeros((64,), 'float32')\n"
        "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)\n"
        "ds = ds.batch(8)\n"
        "m = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\n"
        "m.compile('adam', 'mse')\nm.fit(ds, epochs=1, verbose=0)\n")
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP308"]
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "ds = ds" not in fixed and ".batch(8)\nm = keras" in fixed


def test_a_loader_that_batches_before_a_shuffle_is_told_to_yield_single_windows():
    """Expert review: `timeseries_dataset_from_array(..., batch_size=BATCH)` then `.shuffle(...).batch(BATCH)` in a
    helper -- removing the helper's batch left the shuffle shuffling whole batches; the loader's batch is the
    misplaced one: `batch_size=None` there."""
    import textwrap
    from shapelint.diagnostics.fixes.text import apply_edits
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        series = np.random.rand(500, 3).astype("float32")
        raw = keras.utils.timeseries_dataset_from_array(series[:-8], series[8:, 0], sequence_length=8,
                                                        batch_size=32)
        train = raw.shuffle(100).batch(32)
        model = keras.Sequential([keras.Input(shape=(8, 3)), layers.GRU(4), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train, epochs=1, verbose=0)
    """).lstrip()
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP308"]
    fixed = apply_edits(src, d.fix.edits)
    assert "batch_size=None)" in fixed and "batch_size=32)" not in fixed
    assert "raw.shuffle(100).batch(32)" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


PACKED_ROWS = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    table = np.random.rand(600, 5).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices(tuple(table[:, i] for i in range(5)))


    def pack_row(*row):
        return tf.stack(row[1:], axis=1), row[0]


    packed = ds.batch(100).map(pack_row)
    train = packed.take(4).cache().shuffle(50).batch(32)
    val = packed.skip(4).batch(32)
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(train, epochs=1, verbose=0, validation_data=val)
""").lstrip()


def test_a_batch_packed_by_the_map_after_it_is_unbatched_where_the_sample_stages_begin():
    """Expert review, twice: `ds.batch(PACK).map(pack_row)` (the map stacks columns on axis 1: written for the
    batch) then `take` / `cache` counting packs, a shuffle and `.batch(BATCH)`. Removing the first batch fed the map
    single rows and broke it; unbatching right after the map made `take(4)` take 4 rows instead of 4 packs. The packs
    are split where the stages written for rows begin -- in every pipeline batched from them."""
    from shapelint.diagnostics.fixes.text import apply_edits
    (d,) = [d for d in check_source("case.py", PACKED_ROWS).diagnostics if d.code == "SHP308"]
    fixed = apply_edits(PACKED_ROWS, d.fix.edits)
    assert "packed.take(4).cache().unbatch().shuffle(50).batch(32)" in fixed
    assert "packed.skip(4).unbatch().batch(32)" in fixed and "map(pack_row)\n" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


@pytest.mark.skipif(not _tf_available(), reason="no Python with tensorflow (SHAPELINT_TF_PYTHON)")
def test_what_tensorflow_does_with_the_packed_rows(tmp_path):
    fixed = PACKED_ROWS.replace(".cache().shuffle", ".cache().unbatch().shuffle").replace(
        "skip(4).batch", "skip(4).unbatch().batch")
    script = tmp_path / "case.py"
    for src, ok in ((PACKED_ROWS, False), (fixed, True)):
        script.write_text(src)
        p = subprocess.run([TF_PYTHON, str(script)], capture_output=True, text=True,
                           env=dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3"))
        assert (p.returncode == 0) == ok, p.stderr[-400:]


def test_a_loader_batched_again_takes_the_size_the_file_chose():
    """Fix review (rw18c): ``timeseries_dataset_from_array(...)`` (128 per batch by default) then ``.batch(BATCH)``:
    removing the second batch ran but silently trained on batches of 128; the size the file chose goes into the
    loader. The call ends with a trailing comma over several lines: the keyword goes after the last argument."""
    import textwrap
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        BATCH = 16
        series = np.random.rand(500, 3).astype("float32")
        ds = keras.utils.timeseries_dataset_from_array(
            series[:-8],
            series[8:, 0],
            sequence_length=8,
        )
        ds = ds.batch(BATCH).prefetch(2)
        model = keras.Sequential([keras.Input(shape=(8, 3)), layers.GRU(4), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=1, verbose=0)
    """).lstrip()
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP308"]
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "sequence_length=8,\nbatch_size=BATCH)" in fixed and "ds = ds.prefetch(2)" in fixed
    compile(fixed, "fixed.py", "exec")
    assert "batch_size=BATCH" in found[0].help


def test_the_batch_size_goes_into_the_loader_only_where_it_is_well_formed():
    """Code review: a parenthesised last argument, ``(WINDOW)``, gets the keyword after it; a batch size already
    passed by position (the sixth argument) is not passed again (TypeError: multiple values)."""
    from pathlib import Path
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    review = Path(__file__).resolve().parents[1] / "fixtures" / "review18"
    src = (review / "b_paren.py").read_text()
    fixed = fix_source("case.py", src, check_source("case.py", src).diagnostics, ("safe", "unsafe")).source
    assert "(WINDOW), batch_size=BATCH)" in fixed
    compile(fixed, "fixed.py", "exec")
    src = (review / "b_pos.py").read_text()
    fixed = fix_source("case.py", src, check_source("case.py", src).diagnostics, ("safe", "unsafe")).source
    assert "batch_size=" not in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_a_helper_that_makes_every_batched_dataset_keeps_its_batch():
    """Unseen case (rw23a): a helper that stands in for `image_dataset_from_directory` batches the training and the
    validation data; `.map(augment).batch(B)` after it batches the training data again. Removing the helper's batch
    would unbatch the validation data too: the second batch is the one to drop (the map runs on batches)."""
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        import keras


        def batched(n):
            x = np.zeros((n, 8, 8, 3), "float32")
            y = np.zeros((n,), "int32")
            return tf.data.Dataset.from_tensor_slices((x, y)).batch(16)


        def augment(image, label):
            return tf.image.random_flip_left_right(image), label


        train = batched(64).map(augment).batch(16)
        val = batched(32)
        model = keras.Sequential([keras.Input(shape=(8, 8, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train, validation_data=val, epochs=1, verbose=0)
    """).lstrip()
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP308"]
    assert d.primary.span.line == 16
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "train = batched(64).map(augment)\n" in fixed and ".batch(16)\n\n\ndef augment" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_a_dataset_never_batched_is_batched_by_the_configured_size():
    """Unseen reviewer (round 4): the fix wrote `.batch(32)` although the file configures `CONFIG["batch_size"] = 64`."""
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import tensorflow as tf
        import keras

        CONFIG = {"hidden": 8, "batch_size": 64}
        x = np.zeros((256, 4), "float32")
        y = np.zeros((256,), "float32")
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256)
        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(CONFIG["hidden"]), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(ds, epochs=1, verbose=0)
    """).lstrip()
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP307"]
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert '.shuffle(256).batch(CONFIG["batch_size"])' in fixed
