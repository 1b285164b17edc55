"""Input-contract helpers for Keras rules, in the spirit of keras' InputSpec: layers *declare* what they need and
one function checks it and words the mismatch."""
from __future__ import annotations

from typing import Optional

from ...core.dims import fmt_shape
from ...core.errors import Mismatch, OnlyWithFreeBatch
from ...core.values import Tensor
from ...diagnostics import remedies

FW = "keras"


def require_rank(x: Tensor, *, ndim: Optional[int] = None, min_ndim: Optional[int] = None,
                 max_ndim: Optional[int] = None, layout: str = "", remedy: str = "", fix=None) -> Optional[Mismatch]:
    """A rank-mismatch Mismatch when ``x`` violates the declared rank, else None. ``layout`` names the axes the
    layer expects, e.g. ``(batch, steps, features)``; it is shown after the expected rank."""
    rank = x.rank
    expected = None
    if ndim is not None and rank != ndim:
        expected = ndim
    elif min_ndim is not None and rank < min_ndim:
        expected = f"at least {min_ndim}" if max_ndim is None else f"{min_ndim}- to {max_ndim}"
    elif max_ndim is not None and rank > max_ndim:
        expected = f"at most {max_ndim}" if min_ndim is None else f"{min_ndim}- to {max_ndim}"
    if expected is None:
        return None
    return Mismatch("rank-mismatch", expected=expected, received=rank, received_shape=x.shape,
                    layout=f" {layout}" if layout else "", remedy=remedy, fix=fix)


def tuple_arg(value, n: int, name: str):
    """Keras' standardize_tuple: an int becomes an n-tuple; a sequence must have length n."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    if len(value) != n:
        raise Mismatch("invalid-argument", arg=name, detail=f"expected {n} values, got {len(value)}",
                       remedy=remedies.pass_int_or_tuple(name, n))
    return value


def fixed_size_on_batch(xs) -> Optional[Mismatch]:
    """Operands broadcast together where one keeps the free batch axis (``None`` at axis 0 of a functional model's
    tensor) and another has a fixed size > 1 there: ``z_mean + sigma * epsilon`` with ``epsilon`` drawn as
    ``(BATCH_SIZE, latent)``. Keras's symbolic shape takes the fixed size, but only a batch of exactly that size
    runs: the torch and JAX backends build the model on a batch of another size and fail there; TensorFlow fails
    at the first batch of another size (the last, smaller batch of ``fit``, ``predict``). The result keeps the
    free batch, which is what the fix (a size read from the batch) gives."""
    shapes = [tuple(x.shape) for x in xs if isinstance(x, Tensor) and x.shape is not None]
    if len(shapes) < 2:
        return None
    rank = max(len(s) for s in shapes)
    full = [s for s in shapes if len(s) == rank]
    fixed = [s[0] for s in full if isinstance(s[0], int) and s[0] > 1]
    if rank < 2 or not fixed or not any(s[0] is None for s in full):
        return None
    return Mismatch("merge-shape-mismatch", variant="fixed_batch", fixed=fixed[0],
                    operand=next(i for i, s in enumerate(shapes) if len(s) == rank and s[0] == fixed[0]),
                    shapes="[" + ", ".join(fmt_shape(s) for s in shapes) + "]",
                    remedy=remedies.batch_size_from_tensor(fixed[0]))


def free_batch_kept(xs, out: Tensor) -> Tensor:
    """``out``, unless a fixed size meets the free batch axis (see fixed_size_on_batch): then that mismatch,
    inference going on with the batch left free."""
    bad = fixed_size_on_batch(xs)
    if bad is not None:
        bad.recover = Tensor((None,) + tuple(out.shape[1:]), out.dtype)
        bad.holds_if = OnlyWithFreeBatch(out)  # a size read from the batch while tracing, replayed on data
        raise bad
    return out
