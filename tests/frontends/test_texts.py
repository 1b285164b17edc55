"""Strings whose value is not known (objects.Text): ``" ".join(words)``, ``str(label)``, an f-string with a part not
known, and the string methods and concatenations made from them. A list of them makes an array of strings of the
real shape (the texts a TextVectorization reads); anything that would read their value is unknown. A dict read at a
key not known here gives a tensor of the shape all its values have. numpy and Python are the oracle."""
import textwrap

import pytest

from oracle import run, static_values

np = pytest.importorskip("numpy")

from shapelint.frontends.source.objects import TensorVal, Text  # noqa: E402
from shapelint.core.program import UNRESOLVED  # noqa: E402

SRC = textwrap.dedent("""
    import numpy as np

    WORDS = ["refund", "late", "broken", "great", "fast"]
    SPECIES = ["setosa", "versicolor", "virginica"]
    rng = np.random.default_rng(5)
    texts = []
    for _ in range(12):
        words = rng.choice(WORDS, size=int(rng.integers(2, 6)))
        texts.append(" ".join(words))
    arr = np.array(texts)
    label = str(rng.integers(3))
    tagged = f"id-{rng.integers(9)}"
    shouted = tagged.upper().strip()
    joined = "pre-" + label
    formatted = "%s!" % label
    names = np.array([f"{w}-{rng.integers(3)}" for w in WORDS])
    centers = {s: rng.normal(size=6) * 2 for s in SPECIES}
    picks = rng.choice(SPECIES, size=40)
    feats = np.stack([centers[s] + rng.normal(size=6) for s in picks])
    first = centers[picks[0]]
    same = tagged == "id-3"
    size = {"a": 3}.get(label)
""").lstrip()

TEXTS = ["label", "tagged", "shouted", "joined", "formatted"]
SHAPED = ["arr", "names", "feats", "first"]


@pytest.fixture(scope="module")
def both():
    return static_values(SRC), run(SRC)


@pytest.mark.parametrize("name", TEXTS)
def test_a_string_not_known_is_a_string(both, name):
    static, real = both
    assert isinstance(static[name], Text), f"{name}: {static[name]!r}"
    assert isinstance(real[name], str)


@pytest.mark.parametrize("name", SHAPED)
def test_arrays_made_from_them_have_the_real_shape(both, name):
    static, real = both
    got = static[name]
    assert isinstance(got, TensorVal) and got.shape is not None, f"{name}: {got!r}"
    assert tuple(got.shape) == tuple(real[name].shape), name


def test_nothing_reads_their_value(both):
    """Comparing one decides no branch and looking one up finds no item."""
    static, real = both
    assert static["same"] is UNRESOLVED and static["size"] is UNRESOLVED
    assert isinstance(real["same"], bool)
