"""``np.sqrt(self.depth)`` -- the attention scale -- of a Python number is a number: the scores divided by it keep
their shape, and the layers after them are checked (before, the division was unknown and so was everything after
it, so a merge of heads without a transpose went unseen)."""
import ast
import math
import textwrap

from shapelint.frontends.source.evaluator import Evaluator


def test_numpy_math_on_python_numbers():
    src = textwrap.dedent("""
        import numpy as np
        a = np.sqrt(8)
        b = np.log(10)
        c = np.abs(-3)
        d = np.sqrt(-1.0)
    """)
    ev = Evaluator("case.py", src, ast.parse(src), None)
    ev.run(None)
    v = ev.module.vars
    assert math.isclose(v["a"], math.sqrt(8)) and math.isclose(v["b"], math.log(10)) and v["c"] == 3
    assert not isinstance(v["d"], float)  # numpy gives nan with a warning: left unknown
