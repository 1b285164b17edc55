"""The real framework as the oracle of a test: run a test's script in-process and hand back its globals.

``run(src)`` executes ``src`` as ``__main__`` (so ``if __name__ == "__main__":`` blocks run too); a test asserts on
the values it defines, or wraps the call in ``pytest.raises`` for a script that must fail."""
from __future__ import annotations

import sys


def run(src: str, name: str = "case.py") -> dict:
    scope = {"__name__": "__main__"}
    exec(compile(src, name, "exec"), scope)  # noqa: S102 -- the tests' own scripts
    return scope


def static_values(src: str, name: str = "case.py") -> dict:
    """What shapelint's evaluator makes of the same script, statically: its module-level values, to compare with
    ``run(src)``."""
    import ast
    from shapelint.frontends.source.evaluator import Evaluator
    tree = ast.parse(src)
    ev = Evaluator(name, src, tree, None)
    ev.run(tree.body)
    return ev.module.vars


def torchvision_models():
    """``torchvision.models``, or None. torchvision's wheel is a CUDA build: next to the CPU torch its C++ operators
    are missing and importing it fails on ``torchvision::nms``; its model definitions are pure Python, so defining
    the operator schemas it registers fake kernels for lets it import."""
    try:
        import torch
    except ImportError:
        return None
    try:
        import torchvision.models as models
        return models
    except ImportError:
        return None
    except RuntimeError:
        pass
    lib = torch.library.Library("torchvision", "DEF")
    for schema in ("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
                   "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
                   "roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
                   "SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor",
                   "_roi_align_backward(Tensor grad, Tensor rois, float spatial_scale, SymInt pooled_height, "
                   "SymInt pooled_width, SymInt batch_size, SymInt channels, SymInt height, SymInt width, "
                   "int sampling_ratio, bool aligned) -> Tensor"):
        try:
            lib.define(schema)
        except RuntimeError:  # defined already (another test imported it first)
            pass
    torchvision_models.lib = lib  # kept alive: the schemas go with the library object
    for name in [m for m in sys.modules if m.startswith("torchvision")]:
        del sys.modules[name]  # the failed import left a half-made package behind
    import torchvision.models as models
    return models
