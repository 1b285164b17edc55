"""scikit-learn's toy datasets, where classic course code starts: ``make_classification`` / ``make_regression`` /
``make_blobs`` / ``make_moons`` / ``make_circles`` return (X, y); ``load_iris()`` and friends a Bunch with ``.data``
and ``.target`` (or (X, y) with ``return_X_y=True``). scikit-learn is the oracle for every shape and dtype, and for
the range of the class ids the label checks read."""
import textwrap

import pytest

from oracle import run, static_values

pytest.importorskip("sklearn")

SRC = textwrap.dedent("""
    from sklearn import datasets
    from sklearn.datasets import make_classification, make_regression, load_iris, load_digits

    Xc, yc = make_classification(n_samples=150, n_features=4, n_informative=3, n_redundant=0, n_classes=3)
    Xd, yd = make_classification(200)
    Xr, yr = make_regression(n_samples=50, n_features=7, noise=0.1)
    Xr2, yr2 = make_regression(40, 3, n_targets=2)
    Xb, yb = datasets.make_blobs(n_samples=90, centers=4, n_features=5)
    Xb3, yb3 = datasets.make_blobs(60)
    Xm, ym = datasets.make_moons(n_samples=80, noise=0.2)
    Xo, yo = datasets.make_circles(70)
    iris = load_iris()
    Xi, yi = iris.data, iris.target
    Xi2, yi2 = load_iris(return_X_y=True)
    digits = load_digits()
    imgs = digits.images
    Xw, yw = datasets.load_wine(return_X_y=True)
    Xbc, ybc = datasets.load_breast_cancer(return_X_y=True)
    Xdi, ydi = datasets.load_diabetes(return_X_y=True)
""").lstrip()

NAMES = ["Xc", "yc", "Xd", "yd", "Xr", "yr", "Xr2", "yr2", "Xb", "yb", "Xb3", "yb3", "Xm", "ym", "Xo", "yo", "Xi",
         "yi", "Xi2", "yi2", "imgs", "Xw", "yw", "Xbc", "ybc", "Xdi", "ydi"]


@pytest.fixture(scope="module")
def both():
    return static_values(SRC), run(SRC)


@pytest.mark.parametrize("name", NAMES)
def test_shape_dtype_and_class_ids_are_sklearns(both, name):
    static, real = both
    got, want = static[name], real[name]
    assert tuple(got.shape) == want.shape, name
    assert got.value.dtype == str(want.dtype), name
    ids = got.meta.get("int_range")
    if ids is not None:
        assert (int(want.min()), int(want.max()) + 1) == ids, name


def test_arguments_not_followed_leave_the_data_unknown():
    src = "from sklearn.datasets import make_blobs, load_iris\n" \
          "X, y = make_blobs(n_samples=[10, 20])\nframe = load_iris(as_frame=True)\n"
    static = static_values(src)
    assert "X" not in static or getattr(static["X"], "shape", None) is None
    assert getattr(static["frame"], "fields", None) is None
