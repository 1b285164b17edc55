"""Canonical dotted names of library objects: the spellings that mean the same Keras or PyTorch object
(``tensorflow.keras.layers.Dense``, ``keras.src.layers.Dense`` -> ``keras.layers.Dense``). The source front-end keys
its handlers by them (frontends/source/api.py) and the fixes use them to spell a library object as the file imports it
(diagnostics/fixes/source.py); so they live below both, with no imports from shapelint."""
from __future__ import annotations

import functools

# Spellings that mean the same library object. Longest prefix first.
_ALIASES = [
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.src.", "keras."),
    ("keras.api.", "keras."),
    ("keras._tf_keras.keras.", "keras."),
    ("keras.models.Sequential", "keras.Sequential"),
    ("keras.models.Model", "keras.Model"),
    ("keras.engine.sequential.Sequential", "keras.Sequential"),
    ("keras.layers.Input", "keras.Input"),
    ("keras.engine.input_layer.Input", "keras.Input"),
    ("torch.nn.modules.", "torch.nn."),
] + [(f"torch.{f}", f"torch.nn.functional.{f}") for f in (  # torch.X is torch.nn.functional.X (same signature)
    "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "adaptive_avg_pool1d", "conv1d", "conv2d", "conv3d",
    "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "pixel_shuffle", "pixel_unshuffle")]


@functools.lru_cache(maxsize=4096)  # called for every name the evaluator resolves; the answer never changes
def canonical(name: str) -> str:
    """Canonical dotted name: ``tensorflow.keras.layers.Dense`` -> ``keras.layers.Dense``,
    ``torch.nn.modules.linear.Linear`` -> ``torch.nn.Linear``, ``keras.layers.core.dense.Dense`` ->
    ``keras.layers.Dense``."""
    if name == "tensorflow.keras" or name == "tf_keras":
        return "keras"
    changed = True
    while changed:
        changed = False
        for old, new in _ALIASES:
            # an alias without a trailing dot names one object: keras.layers.Input, not keras.layers.InputLayer
            prefix = name.startswith(old) and (old.endswith(".") or name[len(old):][:1] in ("", "."))
            if prefix or name == old.rstrip("."):
                name = new + name[len(old):] if prefix else new.rstrip(".")
                changed = True
    parts = name.split(".")
    # keras.layers.core.dense.Dense / torch.nn.linear.Linear -> keep package and class only
    for pkg in (("keras", "layers"), ("torch", "nn")):
        if tuple(parts[:2]) == pkg and len(parts) > 3 and parts[-1][:1].isupper():
            return ".".join(pkg + (parts[-1],))
    return name
