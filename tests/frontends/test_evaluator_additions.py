"""Evaluator behaviours added together, each against Python / NumPy as the oracle: a comprehension's length when its
items are unknown (and joined with +), a plain object's ``__call__``, ``np.arange`` with float bounds, and
``np.random.randint`` without a size (one number)."""
import textwrap

import numpy as np

from oracle import run, static_values

SRC = textwrap.dedent("""
    import numpy as np

    B = 6
    samples = [np.random.randint(1, 9, (int(np.random.randint(3, 7)),)).tolist() for _ in range(B)]
    n = len(samples)
    joined = len([0] + samples)
    unknown_splice = [*np.random.rand(int(np.random.randint(1, 4)))]


    class Scale:
        def __init__(self, k):
            self.k = k

        def __call__(self, a):
            return a[:, : self.k]


    cut = Scale(3)(np.zeros((5, 8)))
    t = np.arange(0, 60, 0.1)
    u = np.arange(1.5)
    r = np.random.randint(5, 12)
    shifted = np.zeros((4, 4)) - r
""").lstrip()


def test_against_python_and_numpy():
    real, ours = run(SRC), static_values(SRC)
    assert ours["n"] == real["n"] == 6 and ours["joined"] == real["joined"] == 7
    assert tuple(ours["cut"].shape) == real["cut"].shape == (5, 3)
    assert tuple(ours["t"].shape) == real["t"].shape and tuple(ours["u"].shape) == real["u"].shape
    assert tuple(ours["r"].shape) == np.shape(real["r"]) == ()
    assert tuple(ours["shifted"].shape) == real["shifted"].shape == (4, 4)


def test_a_list_with_an_unknown_splice_has_no_known_length():
    ours = static_values(SRC + "m = len(unknown_splice)\n")
    assert not isinstance(ours["m"], int)


def test_a_conditional_between_two_tensors_of_one_shape():
    """``trg[:, t] if random.random() < ratio else logits.argmax(1)`` (teacher forcing): the condition is not known,
    both branches are (B,) ids -- the value is a (B,) tensor, which one unknown (rw18b: the decoder loop's logits are
    then known, and the loss's flatten order is checked). Branches of different shapes stay unknown."""
    import textwrap
    from oracle import run, static_values
    src = textwrap.dedent("""
        import random
        import torch

        trg = torch.randint(0, 9, (8, 11))
        logits = torch.randn(8, 9)
        token = trg[:, 3] if random.random() < 0.5 else logits.argmax(1)
        other = trg[:, 3] if random.random() < 0.5 else logits
    """).lstrip()
    got = static_values(src)
    assert tuple(got["token"].shape) == tuple(run(src)["token"].shape) == (8,)
    assert not hasattr(got["other"], "shape")


def test_a_dict_filled_at_keys_not_known_has_an_unknown_length():
    """``label_index[cat] = rank`` over ``df[...].value_counts().index``: the keys are not known here, so the dict's
    length is not either -- not 0 (rw18c: ``Dense(len(label_index))`` was reported as ``units=0``, a false error)."""
    import textwrap
    from oracle import run, static_values
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import pandas as pd

        df = pd.DataFrame({"category": np.random.choice(["a", "b", "c"], size=50)})
        label_index = {}
        for rank, cat in enumerate(df["category"].value_counts().index, start=1):
            label_index[cat] = rank
        n = len(label_index)
    """).lstrip()
    assert run(src)["n"] == 3
    assert not isinstance(static_values(src)["n"], int)
    keras_src = src + "import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(n)])\n"
    assert not [d for d in check_source("case.py", keras_src).diagnostics if d.severity == "error"]
