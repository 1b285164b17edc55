"""einops on PyTorch tensors: einops.rearrange / reduce / repeat and the einops.layers.torch
Rearrange / Reduce modules; the rules and the pattern semantics are in
rules/_einops.py."""
from __future__ import annotations

from .._einops import register

register("torch")
