"""``torch.fft``: the one-dimensional discrete Fourier transforms along one axis (``dim``, the last by default).

``fft`` / ``ifft`` keep the axis's length (or give ``n``); ``rfft`` of real values keeps the non-negative frequencies,
``n // 2 + 1`` of them, and ``irfft`` goes back to ``2 * (length - 1)`` real values (or ``n``). The spectrum is
complex; ``irfft`` gives real values (torch's ``_fft_r2c`` / ``_fft_c2r`` meta functions). ``torch.stft`` cuts a
signal into frames and transforms each (below)."""
from __future__ import annotations

from ...core.dims import is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from .. import _dtypes as dtypes
from ._common import FW, axis, is_int, require_rank

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


# ``torch.stft`` (torch/functional.py, then ATen's SpectralOps.cpp): a signal (L,) or a batch of them (B, L) becomes
# frames of ``n_fft`` samples every ``hop_length`` (``n_fft // 4`` by default); with ``center`` (the default) the
# signal is first padded by ``n_fft // 2`` on each side, which must be shorter than it. A real signal keeps the
# ``n_fft // 2 + 1`` non-negative frequencies (``onesided``), and says how to return them: ``return_complex`` is
# required for real inputs (``False`` gives the old trailing (real, imaginary) axis of 2). An argument not followed
# leaves what it decides unknown.
@rule(FW, "stft", "n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode='reflect', "
                  "normalized=False, onesided=None, return_complex=None, align_to_window=None")
def stft(layer, x: Tensor, *window: Tensor):
    bad = require_rank(x, (1, 2), layout="(L,) or (B, L)", remedy=remedies.stft_signal_rank())
    if bad:
        return bad
    n_fft, hop, win, center = (layer.raw(k) for k in ("n_fft", "hop_length", "win_length", "center"))
    returned, onesided = layer.raw("return_complex"), layer.raw("onesided")
    complex_in = x.dtype in ("complex64", "complex128")
    if returned is None and x.dtype is not None and not complex_in:
        raise Mismatch("invalid-argument", arg="return_complex",
                       detail="stft requires `return_complex` for real inputs", remedy=remedies.stft_return_complex())
    if not is_int(n_fft):
        return Tensor(None)
    hop = n_fft // 4 if hop is None else hop
    win = n_fft if win is None else win
    if is_int(win) and not 0 < win <= n_fft:
        raise Mismatch("invalid-argument", arg="win_length", expected=n_fft, received=win,
                       detail=f"the window length must be between 1 and n_fft={n_fft}, got {win}",
                       remedy=remedies.stft_window_length(n_fft))
    w = window[0] if window else None
    if isinstance(w, Tensor) and w.shape is not None and is_int(win) and \
            (w.rank != 1 or is_known(w.shape[0]) and w.shape[0] != win):
        raise Mismatch("incompatible-input-shape", arg="window", expected=win, received_shape=w.shape,
                       detail=f"the window must be a 1-D tensor of win_length={win} values, got {tuple(w.shape)}",
                       remedy=remedies.stft_window_length(win))
    length, frames = x.shape[-1], None
    if is_known(length) and is_int(hop) and hop > 0 and center in (True, False):
        if center and n_fft // 2 >= length:
            raise Mismatch("incompatible-input-shape", arg="n_fft", received=n_fft, received_shape=x.shape,
                           detail=f"the padding of n_fft // 2 = {n_fft // 2} must be shorter than the {length} "
                                  "samples of the signal", remedy=remedies.stft_signal_too_short(n_fft))
        if not center and not 0 < n_fft <= length:
            raise Mismatch("incompatible-input-shape", arg="n_fft", received=n_fft, received_shape=x.shape,
                           detail=f"n_fft={n_fft} is longer than the {length} samples of the signal",
                           remedy=remedies.stft_signal_too_short(n_fft))
        frames = 1 + length // hop if center else 1 + (length - n_fft) // hop
    if onesided is not None and onesided not in (True, False):
        freqs = None
    else:
        freqs = n_fft if onesided is False or onesided is None and complex_in else n_fft // 2 + 1
    shape = tuple(x.shape[:-1]) + (freqs, frames)
    if returned is False and not complex_in:
        return Tensor(shape + (2,), x.dtype)
    if returned is not True and not complex_in:
        return Tensor(None)
    return Tensor(shape, dtypes.complex_of(x.dtype))
