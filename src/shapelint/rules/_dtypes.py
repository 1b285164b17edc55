"""torch's type promotion, for the dtypes the checks rely on (an integer target where a loss wants probabilities).

A dtype is a name (``"int64"``, ``"float32"``, ``"bool"``) or None when it is not known. Whatever these functions
cannot work out is None: a dtype-based check acts only on a known dtype, so an unknown here can never become an error.
"""
from __future__ import annotations

from typing import Optional

_CATEGORY = {"bool": 0, "uint8": 1, "int8": 1, "int16": 1, "int32": 1, "int64": 1,
             "float16": 2, "bfloat16": 2, "float32": 2, "float64": 2, "complex64": 3, "complex128": 3}
_ORDER = {"uint8": 0, "int8": 0, "int16": 1, "int32": 2, "int64": 3, "float16": 0, "bfloat16": 0, "float32": 1,
          "float64": 2, "complex64": 0, "complex128": 1}
_DEFAULT = {1: "int64", 2: "float32", 3: "complex64"}  # what a Python int / float / complex scalar promotes to
COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
TRUE_DIVISIONS = ("div", "true_divide", "divide")
PROMOTED = object()  # "the operands' promoted dtype", where a dtype is asked for


def promote(a: Optional[str], b: Optional[str]) -> Optional[str]:
    """``torch.promote_types(a, b)`` of two tensors' dtypes; None when either is unknown or torch's answer is not
    one this table settles (float16 with bfloat16, uint8 with int8)."""
    if a is None or b is None or a not in _CATEGORY or b not in _CATEGORY:
        return None
    if a == b:
        return a
    ca, cb = _CATEGORY[a], _CATEGORY[b]
    if ca != cb:
        return a if ca > cb else b
    if ca == 0 or _ORDER[a] == _ORDER[b]:
        return None
    return a if _ORDER[a] > _ORDER[b] else b


def with_scalar(dtype: Optional[str], scalar, kind: str) -> Optional[str]:
    """The dtype of ``tensor <kind> scalar`` (either side): a comparison gives bool; true division of integers gives
    the default float; a scalar of a higher category than the tensor (an int tensor times 0.9) gives that category's
    default dtype; otherwise the tensor's dtype."""
    if kind in COMPARISONS:
        return "bool"
    if dtype is None or dtype not in _CATEGORY:
        return None
    category = _CATEGORY[dtype]
    if isinstance(scalar, bool):
        wanted = 0
    elif isinstance(scalar, int):
        wanted = 1
    elif isinstance(scalar, float):
        wanted = 2
    elif isinstance(scalar, complex):
        wanted = 3
    else:
        return None
    if kind in TRUE_DIVISIONS:
        wanted = max(wanted, 2)
    return _DEFAULT[wanted] if wanted > category else dtype


_FLOATING_RESULT = {"exp", "log", "sqrt", "sigmoid", "tanh", "rsqrt", "reciprocal", "sin", "cos", "erf", "log1p",
                    "expm1", "softplus", "rand_like", "randn_like"}
_CASTS = {"float": "float32", "double": "float64", "half": "float16"}


_REAL_OF_COMPLEX = {"complex64": "float32", "complex128": "float64"}
_COMPLEX_OF_REAL = {"float32": "complex64", "float64": "complex128", "float16": "complex64", "bfloat16": "complex64"}


def complex_of(dtype: Optional[str]) -> Optional[str]:
    """The complex dtype a spectrum of ``dtype`` values has (an integer or unknown input: complex64, torch's
    default)."""
    return dtype if dtype in _REAL_OF_COMPLEX else _COMPLEX_OF_REAL.get(dtype, "complex64")


def real_of(dtype: Optional[str]) -> Optional[str]:
    return _REAL_OF_COMPLEX.get(dtype, dtype if dtype in _COMPLEX_OF_REAL else "float32")


def same_shape_result(kind: str, dtype: Optional[str], scalars: list) -> Optional[str]:
    """The dtype of a same-shape op ``kind`` on a tensor of ``dtype`` given the Python values ``scalars``: a cast
    sets it, a transcendental function (``exp``, ``sigmoid``) makes an integer tensor float, a float bound of
    ``clamp`` promotes it; the others keep it."""
    if kind in _CASTS:
        return _CASTS[kind]
    if kind == "abs" and dtype in _REAL_OF_COMPLEX:  # the magnitude of a spectrum is real
        return _REAL_OF_COMPLEX[dtype]
    if kind in _FLOATING_RESULT:
        return with_scalar(dtype, 1.0, "div")
    if kind in ("clamp", "clip"):
        for s in scalars:
            if s is not None:
                dtype = with_scalar(dtype, s, kind)
        return dtype
    return dtype


def of_all(dtypes: list) -> Optional[str]:
    """The promoted dtype of several tensors' dtypes (None if any is unknown)."""
    if not dtypes:
        return None
    out = dtypes[0]
    for d in dtypes[1:]:
        out = promote(out, d)
    return out
