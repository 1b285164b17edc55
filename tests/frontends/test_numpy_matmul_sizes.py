"""Matrix products of NumPy arrays whose inner sizes differ (``np.dot``, ``np.matmul``, ``@``): NumPy raises. When
one operand fits the other turned round and was made with its two sizes written in one call -- weights
``randn(n_neurons, n_inputs)`` for ``inputs @ weights``, images flattened with ``reshape(H * W, -1)`` -- the error
points at that call and the fix swaps the two sizes (the reshape's "axes in another order" warning, whose transpose
would keep the wrong layout, is not given). NumPy is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

DENSE = textwrap.dedent("""
    import numpy as np


    class Dense:
        def __init__(self, n_inputs, n_neurons):
            self.weights = 0.01 * np.random.randn(n_neurons, n_inputs)

        def forward(self, inputs):
            return np.dot(inputs, self.weights)


    X = np.random.rand(300, 2)
    out = Dense(2, 64).forward(X)
""").lstrip()

FLAT = textwrap.dedent("""
    import numpy as np

    images = np.random.rand(128, 28, 28)
    W1 = np.random.rand(28 * 28, 64)
    X = images.reshape(28 * 28, -1)
    hidden = X @ W1
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("src, line, fixed_text, name, shape", [
    (DENSE, 6, "np.random.randn(n_inputs, n_neurons)", "out", (300, 64)),
    (FLAT, 5, "images.reshape(-1, 28 * 28)", "hidden", (128, 64)),
])
def test_the_sizes_written_the_other_way_round(src, line, fixed_text, name, shape):
    (d,) = _found(src)
    assert (d.code, d.severity, d.primary.span.line) == ("SHP112", "error", line)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed_text in fixed and not _found(fixed)
    assert run(fixed)[name].shape == shape


def test_a_mismatch_with_no_call_to_blame_is_reported_at_the_product():
    src = "import numpy as np\na = np.ones((4, 3))\nb = np.ones((5, 2))\nc = np.matmul(a, b)\n"
    (d,) = _found(src)
    assert (d.code, d.primary.span.line, d.fix) == ("SHP112", 4, None)


@pytest.mark.parametrize("src", [
    DENSE.replace("np.dot(inputs, self.weights)", "np.dot(inputs, self.weights.T)"),
    FLAT.replace("images.reshape(28 * 28, -1)", "images.reshape(len(images), -1)"),
    "import numpy as np\nv = np.ones(3) @ np.ones((3, 4))\n",
])
def test_products_that_fit_are_fine(src):
    assert not _found(src)


def test_what_numpy_does():
    for src in (DENSE, FLAT):
        with pytest.raises(ValueError):
            run(src)


def test_a_product_the_script_catches_itself_is_not_reported():
    # a notebook showing that the product fails: `try: D @ A except ValueError as e: print(e)`
    src = ("import numpy as np\nA = np.ones((2, 3))\nD = np.ones((3, 4))\ntry:\n    D @ A\n"
           "except ValueError as e:\n    print(e)\nok = A @ D\nbad = D @ A\n")
    (d,) = _found(src)
    assert d.primary.span.line == 9
