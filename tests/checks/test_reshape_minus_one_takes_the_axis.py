"""A reshape whose -1 takes an axis the author never placed: ``image.reshape(-1, 28, 28)`` on a (28, 28, 3) colour
image meant one gray 28x28 sample for a model trained on gray digits; the -1 took the 3 channels. The result is the
input's axes in another order, but no transpose was meant -- offering ``.transpose(2, 0, 1)`` would predict three
channel "images" (an unseen reviewer judged that fix wrong). It is said as it is -- three scrambled samples, make
the data one gray sample first -- with no edit. A reorder whose -1 keeps its own axis still gets its transpose.
NumPy is the oracle."""
import textwrap

import numpy as np

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np

    image = np.random.rand(28, 28, 3).astype("float32")
    batch = image.reshape(-1, 28, 28)
    recordings = np.random.rand(10, 3, 50)
    windows = recordings.reshape(-1, 50, 3)
""").lstrip()


def _reorders(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP211"]


def test_the_colour_image_is_said_to_become_three_samples_and_only_the_written_reorder_gets_a_transpose():
    took, reorder = _reorders(SRC)
    assert took.primary.span.line == 4 and "3 gray-looking" in took.message and took.fix is None
    assert reorder.primary.span.line == 6 and reorder.fix is not None


def test_what_numpy_does():
    image = np.arange(28 * 28 * 3).reshape(28, 28, 3)
    assert image.reshape(-1, 28, 28).shape == (3, 28, 28)  # the channels became the first axis, scrambled
    assert not (image.reshape(-1, 28, 28) == image.transpose(2, 0, 1)).all()
