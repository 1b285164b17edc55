"""``from_tensor_slices([features, labels])``: tf.data reads a Python list as one tensor to stack, not as a
(features, labels) structure; arrays of different shapes do not stack and TensorFlow raises at that call. The fix is
the tuple that was meant. A list of same-shaped arrays stacks and may be meant: no diagnostic. TensorFlow is the
oracle where installed."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf

    def pipeline(features, labels):
        return tf.data.Dataset.from_tensor_slices([features, labels]).batch(32)

    x = np.random.rand(100, 12).astype("float32")
    y = np.random.randint(0, 4, (100,))
    ds = pipeline(x, y)
    first = next(iter(ds))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_a_list_of_features_and_labels_becomes_a_tuple():
    (d,) = _errors(SCRIPT)
    assert d.code == "SHP310" and d.primary.span.line == 5
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "from_tensor_slices((features, labels))" in fixed
    assert not _errors(fixed)
    pytest.importorskip("tensorflow")
    with pytest.raises(ValueError):
        run(SCRIPT)
    first = run(fixed)["first"]
    assert tuple(first[0].shape) == (32, 12) and tuple(first[1].shape) == (32,)


def test_a_list_of_same_shaped_arrays_is_left_alone():
    """They stack into (2, 100, 12): a dataset of two elements. A list of images is stacked this way on purpose, so
    a list alone is no evidence of a mistake."""
    src = SCRIPT.replace('np.random.randint(0, 4, (100,))', 'np.random.rand(100, 12).astype("float32")')
    assert not _errors(src)
    pytest.importorskip("tensorflow")
    assert tuple(run(src)["first"].shape) == (2, 100, 12)
