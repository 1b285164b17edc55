"""einops on Keras tensors: einops.rearrange / reduce / repeat in call() and the
einops.layers.keras Rearrange / Reduce layers; the rules and the pattern semantics are in
rules/_einops.py."""
from __future__ import annotations

from .._einops import register

register("keras")
