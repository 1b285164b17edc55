"""nn.Linear, nn.LazyLinear, nn.Bilinear, nn.Identity (and F.linear's core)."""
from __future__ import annotations

from ...core.dims import dim_ne, fmt_shape, is_known, prod
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import InsertBefore, SetArg
from ._common import FW, is_int, missing_inputs, require_rank


def _features(layer, name: str, allow_zero: bool = True) -> int:
    v = layer.arg(name)
    if not is_int(v) or v < (0 if allow_zero else 1):
        raise Mismatch("invalid-argument", arg=name, detail=f"must be a non-negative integer, got {v!r}",
                       remedy=remedies.pass_feature_count(name))
    return v


def linear_core(layer, x: Tensor, fin, fout: int, bias: bool, arg: str = "in_features") -> Tensor:
    """y = x W^T + b over the last axis; ``fin=None`` (LazyLinear) takes the input's last size."""
    bad = require_rank(x, min_rank=1, layout="(*, in_features)", remedy=remedies.give_input_an_axis())
    if bad:
        return bad
    last = x.shape[-1]
    out = Tensor(x.shape[:-1] + (fout,), x.dtype)
    if fin is not None:
        layer.params = fin * fout + (fout if bias else 0)
    if fin is not None and dim_ne(last, fin):
        flat = prod(x.shape[1:]) if len(x.shape) > 2 else None
        if is_known(flat) and flat == fin:  # (N, 32, 7, 7) into Linear(32 * 7 * 7): the flatten is missing
            where = ("insert `nn.Flatten()` before this layer (or `x = torch.flatten(x, 1)` before the call)"
                     if layer.kind == "Linear" else "flatten it first with `torch.flatten(x, 1)`")
            return Mismatch("feature-count-mismatch", arg=arg, expected=fin, received=last,
                            help_override=f"the input {fmt_shape(x.shape)} holds the {fin} features per sample "
                                          f"but is not flattened: {where}",
                            fix=InsertBefore("Flatten()", title="insert `nn.Flatten()` before this layer")
                            if layer.kind == "Linear" else None,
                            recover=Tensor((x.shape[0], fout), x.dtype))
        return Mismatch("feature-count-mismatch", arg=arg, expected=fin, received=last,
                        fix=SetArg(arg, str(last), "safe"), recover=out)
    n_in = fin if fin is not None else last
    if is_known(n_in):
        layer.params = n_in * fout + (fout if bias else 0)
    if len(x.shape) > 2:
        layer.extra["applies_to_last_axis"] = True
    return out


# width_arg / input_width_arg: the arguments that set the output's and the input's width, on axis width_axis
@rule(FW, "Linear", "in_features, out_features, bias=True, device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N", layer.arg("in_features")), "float32"), implied_any_rank=True,
      unbatched_rank=1, width_arg="out_features", input_width_arg="in_features", width_axis=-1)
def linear(layer, x: Tensor):
    fin, fout = _features(layer, "in_features"), _features(layer, "out_features")
    return linear_core(layer, x, fin, fout, bool(layer.arg("bias")))


@rule(FW, "LazyLinear", "out_features, bias=True, device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N", "F"), "float32"), implied_any_rank=True, width_arg="out_features",
      width_axis=-1)
def lazy_linear(layer, x: Tensor):
    return linear_core(layer, x, None, _features(layer, "out_features"), bool(layer.arg("bias")))


@rule(FW, "Bilinear", "in1_features, in2_features, out_features, bias=True, device=None, dtype=None")
def bilinear(layer, *xs: Tensor):
    f1, f2, fout = (_features(layer, n) for n in ("in1_features", "in2_features", "out_features"))
    if len(xs) < 2:
        return missing_inputs(layer, ("input1", "input2"), len(xs))
    x1, x2 = xs[0], xs[1]
    if x1.shape is None or x2.shape is None:
        return Tensor(None)
    out = Tensor(x1.shape[:-1] + (fout,), x1.dtype) if x1.rank else Tensor(None)
    for x, f, name in ((x1, f1, "in1_features"), (x2, f2, "in2_features")):
        bad = require_rank(x, min_rank=1)
        if bad:
            return bad
        if dim_ne(x.shape[-1], f):
            return Mismatch("feature-count-mismatch", arg=name, expected=f, received=x.shape[-1],
                            fix=SetArg(name, str(x.shape[-1]), "safe"), recover=out)
    if len(x1.shape) != len(x2.shape) or any(dim_ne(a, b) for a, b in zip(x1.shape[:-1], x2.shape[:-1])):
        return Mismatch("merge-shape-mismatch", shapes=f"{x1} and {x2}",
                        detail="both inputs need the same leading (batch) dimensions",
                        remedy=remedies.give_inputs_same_batch_dims())
    layer.params = f1 * f2 * fout + (fout if layer.arg("bias") else 0)
    return out


@rule(FW, "Identity", "*args, **kwargs", accepts_unknown=True, accepts_tuple=True)
def identity(layer, *xs):
    return xs[0] if xs else Tensor(None)
