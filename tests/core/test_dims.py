from shapelint.core.dims import dim_eq, dim_ne, fmt_shape, normalize_axis, prod


def test_three_valued_equality():
    assert dim_eq(3, 3) is True
    assert dim_eq(3, 4) is False
    assert dim_eq(None, 4) is None
    assert dim_eq("H", "H") is True
    assert dim_eq("H", "W") is None
    assert dim_eq("H", 4) is None
    assert dim_ne(3, 4) and not dim_ne(None, 4) and not dim_ne("H", 4)


def test_prod_propagates_unknown():
    assert prod([2, 3, 4]) == 24
    assert prod([2, None]) is None
    assert prod([0, None]) == 0
    assert prod([]) == 1


def test_fmt_shape_like_python_tuples():
    assert fmt_shape((None, 28, 28, 1)) == "(None, 28, 28, 1)"
    assert fmt_shape((8,)) == "(8,)"
    assert fmt_shape(None) == "(?)"


def test_normalize_axis():
    assert normalize_axis(-1, 3) == 2
    assert normalize_axis(3, 3) is None
    assert normalize_axis(-4, 3) is None
