"""``torch.fft``: the one-dimensional discrete Fourier transforms along one axis (``dim``, the last by default).

``fft`` / ``ifft`` keep the axis's length (or give ``n``); ``rfft`` of real values keeps the non-negative frequencies,
``n // 2 + 1`` of them, and ``irfft`` goes back to ``2 * (length - 1)`` real values (or ``n``). The spectrum is
complex; ``irfft`` gives real values (torch's ``_fft_r2c`` / ``_fft_c2r`` meta functions)."""
from __future__ import annotations

from ...core.dims import is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from .. import _dtypes as dtypes
from ._common import FW, axis, is_int

_SIGNATURE = "n=None, dim=-1, norm=None, **kwargs"


def _along(layer, x: Tensor, length):
    d = axis(layer.arg("dim"), x.rank, kind=layer.kind, shape=x.shape)
    n = layer.arg("n")
    if n is not None and not is_int(n):
        return d, None
    if is_int(n) and n < 1:
        raise Mismatch("invalid-argument", arg="n", detail=f"the number of points must be at least 1, got {n}",
                       remedy=remedies.use_axis_in_range(1, 1))
    return d, length(n, x.shape[d])


def _with(x: Tensor, d: int, size, dtype):
    s = list(x.shape)
    s[d] = size
    return Tensor(tuple(s), dtype)


@rule(FW, ["fft.fft", "fft.ifft"], _SIGNATURE)
def fft(layer, x: Tensor):
    d, size = _along(layer, x, lambda n, m: n if n is not None else m)
    return _with(x, d, size, dtypes.complex_of(x.dtype))


@rule(FW, "fft.rfft", _SIGNATURE)
def rfft(layer, x: Tensor):
    if x.dtype in ("complex64", "complex128"):
        raise Mismatch("incompatible-input-shape", received_shape=x.shape,
                       detail=f"rfft transforms real values; this tensor is {x.dtype}",
                       remedy=remedies.use_fft_for_complex())
    d, size = _along(layer, x, lambda n, m: (n if n is not None else m) // 2 + 1
                     if is_known(n if n is not None else m) else None)
    return _with(x, d, size, dtypes.complex_of(x.dtype))


@rule(FW, "fft.irfft", _SIGNATURE)
def irfft(layer, x: Tensor):
    d, size = _along(layer, x, lambda n, m: n if n is not None else 2 * (m - 1) if is_known(m) else None)
    if size is not None and size < 1:
        raise Mismatch("invalid-argument", arg="n", detail=f"irfft of {x.shape[d]} frequencies gives {size} points",
                       remedy=remedies.use_axis_in_range(1, 1))
    return _with(x, d, size, dtypes.real_of(x.dtype))
