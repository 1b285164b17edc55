"""Similarities and L2 normalisations taken over an axis that is not the features.

``F.cosine_similarity(z, h, dim=1)`` on (batch, tokens, features) compares each feature's profile across the tokens,
and ``F.normalize(z, dim=0)`` on (batch, features) scales each feature across the samples: PyTorch runs both and the
loss trains on something else than per-sample similarities. The axis roles (core/roles.py) say which axis is which;
the check speaks only when the reduced axis is known to be the batch or the time/tokens/spatial axis *and* the
features are known to sit on another axis -- an unknown role says nothing.
"""
from __future__ import annotations

from typing import Optional

from ..core import roles
from ..core.errors import Mismatch
from ..core.values import Tensor
from ..diagnostics.fixes import SetArg
from .report import shape_text

# op kind -> (the argument naming the axis, its default): the ops whose axis must be the features
_FEATURE_AXIS_OPS = {"F.cosine_similarity": ("dim", 1), "CosineSimilarity": ("dim", 1), "F.normalize": ("dim", 1)}
_EFFECTS = {"F.cosine_similarity": "compares each feature's values", "CosineSimilarity": "compares each feature's values",
            "F.normalize": "scales each feature"}
_ROLE_NAMES = {roles.N: "batch", roles.T: "time / tokens", roles.S: "spatial"}


def similarity_over_other_axis(ev) -> None:
    """Every run of the file -- the script's own ops (a loss written in a function) and each model's -- checked for a
    feature-wise op over an axis whose role is not the features."""
    script = ev.state.get("script_run")
    runs = [r for m in getattr(ev, "models", []) for r in m.runs if getattr(r, "inference", None) is not None]
    known: dict = {}  # id(value) -> roles, from every model run: the script's losses read model outputs
    for r in runs:
        known.update(roles.run_roles(r.inference))
    inferences = [r.inference for r in runs] + ([script] if script is not None else [])
    seen = set()
    for inf in inferences:
        own = roles.run_roles(inf)
        for op in inf.program.ops:
            if op.layer.kind not in _FEATURE_AXIS_OPS or op.diagnostics or id(op) in seen:
                continue
            seen.add(id(op))
            _check_op(inf, op, lambda v: own.get(id(v)) or known.get(id(v)))


def _check_op(inf, op, roles_of) -> None:
    arg, default = _FEATURE_AXIS_OPS[op.layer.kind]
    dim = op.layer.args.get(arg, default)
    if not isinstance(dim, int) or isinstance(dim, bool):
        return
    for x in op.inputs[:2]:
        found = _wrong_axis(x, dim, roles_of(x))
        if found is None:
            continue
        role, features = found
        rank = len(x.shape)
        fixed = "-1" if features == rank - 1 else str(features)
        inf.report(Mismatch(
            "reduction-over-batch-axis", variant="not-features", op=op.layer.kind, axis=dim,
            received_shape=shape_text(x.shape), role=_ROLE_NAMES[role], features_axis=features,
            effect=_EFFECTS[op.layer.kind],
            remedy=f"take it over the feature axis: `{arg}={fixed}`",
            fix=SetArg(arg, fixed, "unsafe", title=f"take it over the feature axis (`{arg}={fixed}`)")), op)
        return


def _wrong_axis(x, dim: int, axis_roles: Optional[tuple]) -> Optional[tuple]:
    """(the reduced axis's role, the features' axis) when the op reduces a known non-feature axis of ``x`` while its
    features are known to sit elsewhere; None otherwise."""
    if not isinstance(x, Tensor) or x.shape is None or axis_roles is None or len(axis_roles) != len(x.shape):
        return None
    rank = len(x.shape)
    if not -rank <= dim < rank:
        return None
    dim %= rank
    role = axis_roles[dim]
    features = [i for i, r in enumerate(axis_roles) if r in (roles.F, roles.C)]
    if role not in _ROLE_NAMES or len(features) != 1 or features[0] == dim or x.shape[features[0]] == 1:
        return None
    return role, features[0]
