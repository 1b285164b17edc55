"""NumPy arrays that do not broadcast (``scores - correct_class_scores``, (N, C) and (N,)): an error, fixed by giving
the one value per row its own axis. Integer-array indices used together (``scores[np.arange(N), y]``) broadcast and
land where NumPy puts them. NumPy is the oracle for every shape."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SVM = textwrap.dedent("""
    import numpy as np

    scores = np.random.rand(50, 10)
    y = np.random.randint(0, 10, size=50)
    correct = scores[np.arange(50), y]
    margins = np.maximum(0, scores - correct + 1)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_a_value_per_row_against_a_table():
    (d,) = _errors(SVM)
    assert (d.code, d.primary.span.line) == ("SHP106", 6)
    fixed = fix_source("case.py", SVM, [d], ("safe", "unsafe")).source
    assert "scores - correct[:, None] + 1" in fixed and not _errors(fixed)
    assert run(fixed)["margins"].shape == (50, 10)
    with pytest.raises(ValueError, match="could not be broadcast"):
        run(SVM)


def test_shapes_that_broadcast_are_fine():
    assert not _errors(SVM.replace("np.random.rand(50, 10)", "np.random.rand(50, 50)").replace("0, 10,", "0, 50,"))


@pytest.mark.parametrize("index", [
    "x[np.arange(3), np.arange(3)]", "x[:, np.arange(3), np.arange(3)]", "x[np.arange(3), :, np.arange(3)]",
    "x[np.zeros((3, 1), int), np.zeros(4, int)]", "x[np.arange(3)]", "x[:, np.zeros((2, 2), int)]",
])
def test_integer_array_indices_land_where_numpy_puts_them(index):
    src = f"import numpy as np\nx = np.zeros((5, 6, 7))\nout = {index}\n"
    assert tuple(static_values(src)["out"].shape) == run(src)["out"].shape
