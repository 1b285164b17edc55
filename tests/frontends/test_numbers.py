"""Numbers whose value is not known but whose type is (objects.Number): ``float(reward)``, ``int(rng.integers(n))``,
``t.item()``, ``t.tolist()``, ``random.random()``. Lists of them make arrays of known shape, a tensor combined with
one keeps its shape, an int one used as an index drops its axis, and a DataLoader stacks them. Python, numpy and
torch are the oracle: every value the evaluator claims -- a shape, a dtype, a number's type -- is what the script
really has; a value it leaves unknown claims nothing."""
import textwrap

import pytest

from oracle import run, static_values

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")

from shapelint.frontends.source.objects import Number, TensorVal  # noqa: E402
from shapelint.core.program import UNRESOLVED  # noqa: E402

SRC = textwrap.dedent("""
    import random
    import numpy as np
    import torch
    from torch.utils.data import DataLoader, Dataset

    rng = np.random.default_rng(0)
    experience = [{"state": rng.normal(size=6), "action": int(rng.integers(4)), "reward": float(rng.normal()),
                   "done": bool(rng.random() > 0.9)} for _ in range(12)]
    rewards = np.array([e["reward"] for e in experience], dtype=np.float32)
    rewards64 = np.array([e["reward"] for e in experience])
    actions = torch.tensor([e["action"] for e in experience])
    dones = torch.tensor([e["done"] for e in experience])
    states = torch.tensor(np.array([e["state"] for e in experience]), dtype=torch.float32)
    returns = torch.tensor(rewards)
    scaled = states * float(rng.random())
    halved = actions / int(rng.integers(1, 3))
    gamma_r = 0.99 * float(rng.normal()) + 1
    neg = -int(rng.integers(3))
    total = states.sum().item()
    row_ids = actions.tolist()
    grid = states[:2].tolist()
    one = states[int(rng.integers(12))]
    column = states[:, int(rng.integers(6))]
    from_list = torch.tensor(row_ids)
    from_item = torch.tensor(total)
    draw = random.random()
    pick = random.randint(0, 5)
    draws = np.array([random.gauss(0.0, 1.0) for _ in range(7)])
    np_scalar = np.random.rand()
    np_normal = rng.normal()
    labels_list = torch.randint(0, 10, (20,)).tolist()
    import math
    head = int(rng.integers(2, 9))
    scores = states / math.sqrt(head)
    blocks = math.ceil(head / 4)
    some = list(np.random.rand(int(rng.integers(1, 4))))
    count = len(some)


    class Labelled(Dataset):
        def __len__(self):
            return 20

        def __getitem__(self, i):
            return torch.rand(3), labels_list[i], float(i) / 2


    xb, yb, wb = next(iter(DataLoader(Labelled(), batch_size=5)))
""").lstrip()

SHAPED = ["rewards", "rewards64", "actions", "dones", "states", "returns", "scaled", "halved", "one", "column",
          "from_list", "from_item", "draws", "xb", "yb", "wb", "scores"]
NUMBERS = ["gamma_r", "neg", "total", "draw", "pick", "np_scalar", "np_normal", "blocks", "count"]


@pytest.fixture(scope="module")
def both():
    return static_values(SRC), run(SRC)


@pytest.mark.parametrize("name", SHAPED)
def test_an_array_made_from_numbers_has_the_real_shape_and_dtype(both, name):
    static, real = both
    got = static[name]
    assert isinstance(got, TensorVal) and got.shape is not None, f"{name}: {got!r}"
    want = real[name]
    want_shape = tuple(want.shape) if hasattr(want, "shape") else ()
    assert tuple(got.shape) == want_shape, name
    if got.value.dtype is not None:
        assert got.value.dtype == str(want.dtype).replace("torch.", ""), name


@pytest.mark.parametrize("name", NUMBERS)
def test_a_number_has_the_real_type(both, name):
    static, real = both
    got, want = static[name], real[name]
    assert isinstance(got, Number), f"{name}: {got!r}"
    assert type(want).__name__ == got.kind, name


def test_tolist_makes_as_many_numbers_as_the_tensor_holds(both):
    static, real = both
    assert len(static["row_ids"]) == len(real["row_ids"]) == 12
    assert all(isinstance(v, Number) and v.kind == "int" for v in static["row_ids"])
    assert [len(r) for r in static["grid"]] == [len(r) for r in real["grid"]] == [6, 6]
    assert static["grid"][0] is not static["grid"][1]  # rows of their own: a script may change one
    assert all(type(v).__name__ == "float" for r in real["grid"] for v in r)


UNKNOWN = textwrap.dedent("""
    import numpy as np
    import torch.nn as nn

    n = int(np.random.default_rng(0).integers(2, 5))
    width = nn.Linear(n, 3).in_features
    steps = list(range(n))
    bigger = n > 3
    memory = [1, 2, 3]
    popped = memory.pop(n - 2)
    table = {0: "a", 1: "b"}
    got = table.get(n - 2)
    ids = np.array([n, n + 1])
""").lstrip()


def test_every_other_library_call_sees_a_number_as_unknown():
    """A number not known sizes nothing, decides no branch, picks no item: the values built from it are unknown
    (the array of two of them has a shape, but no claimed range of ids)."""
    static = static_values(UNKNOWN)
    for name in ("width", "steps", "bigger", "popped", "got"):
        assert static[name] is UNRESOLVED, f"{name}: {static[name]!r}"
    assert static["memory"] == [UNRESOLVED]
    assert tuple(static["ids"].shape) == (2,) and not static["ids"].meta.get("int_range")
    run(UNKNOWN)
