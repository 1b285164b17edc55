"""Named dimension formulas shared by every framework's rules.

Each function takes one spatial size and the layer's hyper-parameters and returns the output size, or
``None`` when the input size is not known. Every docstring states the formula. Keras' ``padding`` strings and
PyTorch's explicit integer padding both reduce to these helpers.

Sources: keras/src/ops/operation_utils.py (compute_conv_output_shape, compute_pooling_output_shape),
keras/src/utils/conv_utils.py (deconv_output_length), and the shape sections of the PyTorch docs for
Conv/ConvTranspose/MaxPool/AvgPool.
"""
from __future__ import annotations

import math
from typing import Optional

from .dims import Dim, is_known


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Kernel extent with dilation: ``dilation * (kernel - 1) + 1``."""
    return dilation * (kernel - 1) + 1


def conv_out(size: Dim, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> Dim:
    """Output length of a convolution with explicit symmetric zero padding (PyTorch's Conv*d).

    ``out = floor((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1``
    The result may be <= 0; callers report that as an error.
    """
    if not is_known(size):
        return None
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def conv_out_keras(size: Dim, kernel: int, stride: int = 1, padding: str = "valid", dilation: int = 1) -> Dim:
    """Output length of a Keras convolution or pooling window (``compute_conv_output_shape``).

    valid:         ``out = floor((size - dilation*(kernel-1) - 1) / stride) + 1``
    same / causal: ``out = floor((size - 1) / stride) + 1``  (= ceil(size / stride))
    """
    if not is_known(size):
        return None
    if padding == "valid":
        return (size - dilation * (kernel - 1) - 1) // stride + 1
    return (size - 1) // stride + 1


def pool_out(size: Dim, kernel: int, stride: int, padding: int = 0, dilation: int = 1,
             ceil_mode: bool = False) -> Dim:
    """Output length of PyTorch's MaxPool/AvgPool.

    ``out = floor_or_ceil((size + 2*padding - dilation*(kernel-1) - 1) / stride) + 1``; with ``ceil_mode`` the last
    window is dropped when it would start inside the right padding: if ``(out-1)*stride >= size + padding``, ``out -= 1``.
    """
    if not is_known(size):
        return None
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= size + padding:
            out -= 1
        return out
    return span // stride + 1


def conv_transpose_out(size: Dim, kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                       dilation: int = 1) -> Dim:
    """Output length of PyTorch's ConvTranspose*d.

    ``out = (size - 1)*stride - 2*padding + dilation*(kernel-1) + output_padding + 1``
    """
    if not is_known(size):
        return None
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def conv_transpose_out_keras(size: Dim, kernel: int, stride: int = 1, padding: str = "valid",
                             output_padding: Optional[int] = None, dilation: int = 1) -> Dim:
    """Output length of a Keras Conv*DTranspose (``deconv_output_length``).

    kernel' = dilation*(kernel-1) + 1. Without output_padding:
      valid: ``size*stride + max(kernel' - stride, 0)``;  same: ``size*stride``.
    With output_padding: ``(size-1)*stride + kernel' - 2*pad + output_padding`` where pad = 0 (valid) or
    floor(kernel'/2) (same).
    """
    if not is_known(size):
        return None
    k = effective_kernel(kernel, dilation)
    if output_padding is None:
        if padding == "valid":
            return size * stride + max(k - stride, 0)
        return size * stride
    pad = 0 if padding == "valid" else k // 2
    return (size - 1) * stride + k - 2 * pad + output_padding


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Total 'same' padding split (left, right) as TF/Keras pads: ``total = max((ceil(size/stride)-1)*stride +
    kernel' - size, 0)``, left = total // 2."""
    k = effective_kernel(kernel, dilation)
    total = max((math.ceil(size / stride) - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def upsample_out(size: Dim, factor) -> Dim:
    """``out = floor(size * factor)`` (Keras UpSampling, torch Upsample with scale_factor)."""
    if not is_known(size):
        return None
    return int(math.floor(size * factor))


def adaptive_out(size: Dim, output_size: Optional[int]) -> Dim:
    """Adaptive pooling: ``out = output_size`` (``None`` keeps the input size)."""
    return size if output_size is None else output_size


def pool_out_keras(size: Dim, pool: int, stride: int, padding: str = "valid") -> Dim:
    """Output length of a Keras MaxPooling/AveragePooling window (``compute_pooling_output_shape``).

    valid: ``out = floor((size - pool) / stride) + 1``;  same: ``out = floor((size - 1) / stride) + 1``.
    The result may be <= 0 (valid); Keras raises for that.
    """
    if not is_known(size):
        return None
    if padding == "valid":
        return (size - pool) // stride + 1
    return (size - 1) // stride + 1


def unpool_out(size: Dim, kernel: int, stride: int, padding: int = 0) -> Dim:
    """Default output length of PyTorch's MaxUnpool*d (``_unpool_output_size``), the inverse of a MaxPool:

    ``out = (size - 1)*stride - 2*padding + kernel`` (an explicit output_size must lie strictly within
    ``out - stride`` and ``out + stride``)
    """
    return (size - 1) * stride - 2 * padding + kernel if is_known(size) else None


def pad_out(size: Dim, before: int, after: int) -> Dim:
    """Zero padding: ``out = size + before + after`` (Keras ZeroPadding*; negative pads shrink)."""
    return size + before + after if is_known(size) else None


def crop_out(size: Dim, before: int, after: int) -> Dim:
    """Cropping: ``out = size - before - after`` (Keras Cropping*; it raises when out <= 0)."""
    return size - before - after if is_known(size) else None
