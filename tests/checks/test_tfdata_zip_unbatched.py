"""``Dataset.zip((features.batch(16), targets))`` with the targets unbatched: each batch of 16 rows is paired with one
target, which Keras broadcasts over the batch (no error). The unbatched side is blamed and batched like its partner;
two parts batched alike, or both unbatched, say nothing. TensorFlow is the oracle where installed: the zipped element
really is ((16, 8), ()) before the fix and ((16, 8), (16,)) after it."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf

    BATCH = 16
    x = np.random.rand(192, 8).astype("float32")
    y = np.random.rand(192).astype("float32")
    feats = tf.data.Dataset.from_tensor_slices(x).batch(BATCH)
    targets = tf.data.Dataset.from_tensor_slices(y)
    ds = tf.data.Dataset.zip((feats, targets)).prefetch(2)
    first = next(iter(ds))
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP311"]


def test_the_unbatched_side_is_batched_like_its_partner():
    (d,) = _found(SCRIPT)
    assert d.severity == "warning" and d.primary.span.line == 9
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "from_tensor_slices(y).batch(BATCH)" in fixed
    assert not _found(fixed)
    pytest.importorskip("tensorflow")
    before, after = run(SCRIPT)["first"], run(fixed)["first"]
    assert tuple(before[0].shape) == (16, 8) and tuple(before[1].shape) == ()
    assert tuple(after[1].shape) == (16,)


@pytest.mark.parametrize("change", [
    ("from_tensor_slices(y)", "from_tensor_slices(y).batch(BATCH)"),
    ("from_tensor_slices(x).batch(BATCH)", "from_tensor_slices(x)"),
])
def test_parts_batched_alike_say_nothing(change):
    assert not _found(SCRIPT.replace(*change))
