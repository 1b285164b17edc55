"""What flows along the edges of a Program: tensors with a (possibly partly unknown) shape, and tuples of them.

A PyTorch LSTM returns ``(output, (h, c))``; that is a :class:`TensorTuple`, so a rule that receives one where it
needs a tensor can say so instead of crashing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from .dims import Dim, Shape, fmt_shape


@dataclass(frozen=True)
class Tensor:
    """A tensor value. ``shape=None`` means even the rank is unknown."""
    shape: Optional[Shape] = None
    dtype: Optional[str] = None

    @property
    def rank(self) -> Optional[int]:
        return None if self.shape is None else len(self.shape)

    @property
    def known(self) -> bool:
        return self.shape is not None

    def __str__(self) -> str:
        return fmt_shape(self.shape)


@dataclass(frozen=True)
class Ids(Tensor):
    """A tensor of integers known to lie in ``[low, high)``: the position ids ``arange(length)`` makes. An embedding
    table with fewer than ``high`` rows has no row for the last ones. Every op but a table lookup gives a plain
    Tensor: the range is known only where it is made."""
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class TensorTuple:
    """A tuple of values, e.g. an RNN's ``(output, (h_n, c_n))`` or Keras' ``return_state`` list."""
    items: tuple

    def __str__(self) -> str:
        return "(" + ", ".join(str(i) for i in self.items) + ")"


Value = Union[Tensor, TensorTuple]
UNKNOWN = Tensor(None)


def tensor(*dims: Dim, dtype: Optional[str] = None) -> Tensor:
    return Tensor(tuple(dims), dtype)


def shape_json(value: Value):
    """JSON form of a value's shape: list of int/null/str; a tuple becomes a list of shapes; unknown rank -> null."""
    if isinstance(value, TensorTuple):
        return [shape_json(v) for v in value.items]
    if value is None or value.shape is None:
        return None
    return [d for d in value.shape]
