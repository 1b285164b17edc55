"""Tensor operations used in forward(): torch functions and tensor methods (kind = bare name) and Python operators.

The front-end passes tensor arguments as inputs and binds the rest to these signatures, which list only the
non-tensor parameters (``torch.flatten(x, 1)`` and ``x.flatten(1)`` are both ``flatten`` with start_dim=1).
Shape arguments may hold UNRESOLVED entries (``x.size(0)`` of an unknown batch): they become unknown sizes, never
errors. Verified against torch 2.13 (tests/rules/torch/test_tensor_ops.py runs every table row through real torch).
"""
from __future__ import annotations

from ...core.dims import Dim, broadcast_shapes, dim_eq, dim_ne, is_known, prod  # noqa: F401 (re-exported)
from ...core import provenance
from ...core.errors import Mismatch, Unresolved
from ...core.program import TENSOR_INDEX, UNRESOLVED
from ...core.registry import fact, rule
from ...core.reorder import patch_tokens, reshape_reorder
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import ReplaceCall, SetArg, WrapInput
from .. import _repairs
from .._indexing import basic_index
from .. import _dtypes as dtypes
from ._common import FW, axis, is_int, require_rank
from .activation import softmax_core
from .reshape import flatten_core, unflatten as unflatten_module

SAME_SHAPE = ["contiguous", "clone", "detach", "float", "double", "half", "abs", "neg", "exp", "log", "sqrt",
              "relu", "sigmoid", "tanh", "sign", "square", "rsqrt", "reciprocal", "sin", "cos", "floor", "ceil",
              "round", "erf", "log1p", "expm1", "softplus", "dropout", "zeros_like", "ones_like", "rand_like",
              "randn_like", "empty_like", "full_like", "clamp", "clip", "nan_to_num", "bernoulli"]


@rule(FW, SAME_SHAPE, "*args, **kwargs")
def same_shape(layer, x: Tensor, *rest):
    given = list(layer.args.get("args") or ()) + [v for k, v in layer.args.items() if k != "args"]
    dtype = dtypes.same_shape_result(layer.kind, x.dtype, given)
    return x if dtype == x.dtype else Tensor(x.shape, dtype)


@rule(FW, "flatten", "start_dim=0, end_dim=-1")
def flatten(layer, x: Tensor):
    return flatten_core(layer, x, layer.arg("start_dim"), layer.arg("end_dim"))


def _shape_arg(layer, name: str = "shape"):
    """``*shape`` as a tuple: ``view(2, -1)`` and ``view((2, -1))`` alike; UNRESOLVED entries become None."""
    raw = layer.raw(name)
    if raw is UNRESOLVED:
        raise Unresolved(name)
    if len(raw) == 1 and isinstance(raw[0], (tuple, list)):
        raw = tuple(raw[0])
    elif len(raw) == 1 and raw[0] is UNRESOLVED:
        raise Unresolved(name)
    out = []
    for v in raw:
        if v is UNRESOLVED or v is None:
            out.append(None)
        elif is_int(v) or isinstance(v, str):
            out.append(v)
        else:
            raise Unresolved(name)
    return tuple(out)


def reshape_core(layer, x: Tensor, target: tuple, arg: str = "shape"):
    """view / reshape: at most one -1, inferred from the element count; sizes must multiply to the element count."""
    if sum(1 for v in target if v == -1) > 1:
        return Mismatch("invalid-argument", arg=arg, detail="only one dimension can be inferred (-1)",
                        remedy=remedies.use_one_minus_one())
    bad = next((v for v in target if is_int(v) and v < -1), None)
    if bad is not None:
        return Mismatch("invalid-argument", arg=arg, detail=f"invalid shape dimension {bad}",
                        remedy=remedies.use_non_negative_sizes())
    # cancel symbols / equal sizes that appear on both sides, so x.view(x.size(0), -1) keeps the batch axis
    rest_in = list(x.shape)
    rest_out = []
    for v in target:
        if v == -1:
            continue
        if isinstance(v, str) and v in rest_in:
            rest_in.remove(v)
            continue
        rest_out.append(v)
    total = prod(rest_in)
    known = prod(rest_out)
    if -1 in target:
        if is_known(total) and is_known(known):
            if known == 0 or total % known:
                return Mismatch("reshape-size-mismatch", arg=arg, per="", received=prod(x.shape), expected=known,
                                target=tuple("-1" if v == -1 else v for v in target), received_shape=x.shape,
                                remedy=_reshape_remedy(x, target, known, total))
            inferred = total // known
        else:
            inferred = None
        out = Tensor(tuple(inferred if v == -1 else v for v in target), x.dtype)
        swapped = _split_swapped(layer, x, out, target) if arg == "shape" else None
        if swapped is not None:
            return swapped
        if arg == "shape" and _warn_axis_not_last(layer, x, out, target):
            return out
        if arg == "shape" and _mixes_samples(x.shape, out.shape, target, bool(layer.extra.get("in_model"))):
            moved = reshape_reorder(x.shape, out.shape)
            if moved is not None and moved.whole(x.shape, out.shape):
                # (B, T, 1) viewed as (T, B, 1): the axes were meant to move, not be re-read
                layer.warn("reshape-mixes-samples", variant="reorder", received_shape=x.shape, out_shape=out.shape,
                           remedy=remedies.move_axes_not_view(layer.kind, moved.perm))
            else:
                layer.warn("reshape-mixes-samples", received_shape=x.shape, out_shape=out.shape,
                           per=prod(x.shape[1:]), rows=out.shape[0], samples=x.shape[0])
        elif arg == "shape":
            _warn_reorder(layer, x, out, target)
        return out
    if is_known(total) and is_known(known) and total != known:
        return Mismatch("reshape-size-mismatch", arg=arg, per="", received=prod(x.shape), expected=prod(target),
                        target=target, received_shape=x.shape, remedy=_reshape_remedy(x, target, known, total),
                        recover=Tensor(target, x.dtype))
    out = Tensor(target, x.dtype)
    swapped = _split_swapped(layer, x, out, target) if arg == "shape" else None
    if swapped is not None:
        return swapped
    if arg == "shape":
        _warn_reorder(layer, x, out, target)
    return out


_SWAPPED = "swapped-split"  # provenance op of the sizes a swapped split wrote: later reorders are its symptom


def _split_swapped(layer, x: Tensor, out: Tensor, written):
    """``out.view(self.num_heads, batch_size, -1, d)`` of an axis made as ``batch_size * self.num_heads``
    (provenance): the view splits it in the other order than it was merged, so what it calls heads are samples and
    the reverse -- the shapes fit and every later step mixes samples. Returns the output (its two sizes marked, so
    a reorder found later is not reported again as its own mistake) after warning, or None. The fix swaps the two
    sizes in the call."""
    if not x.shape or not isinstance(written, (tuple, list)) or len(written) < 2:
        return None
    # axis 0 only: a product there was a merge with the batch (a view's); a product on another axis is a layer's
    # size written as arithmetic (Linear(d, attention_dim * num_heads)), which says nothing of memory order
    o = provenance.made_as(x.shape[0])
    if getattr(o, "op", None) != "*" or len(getattr(o, "operands", ())) != 2:
        return None
    outer, inner = o.operands
    first, second = written[0], written[1]
    if not (is_int(outer) and is_int(inner)) or int(outer) == int(inner) or \
            not (provenance.depends_on(first, inner) and provenance.depends_on(second, outer)) or \
            provenance.depends_on(first, outer) or provenance.depends_on(second, inner):
        return None
    args = ["{arg%d}" % k for k in range(len(written))]
    args[0], args[1] = args[1], args[0]
    layer.warn("reshape-reorders-axes", variant="swapped-split", received_shape=x.shape, out_shape=out.shape,
               axis=0, outer=int(outer), inner=int(inner), remedy=remedies.split_in_merge_order(),
               fix=ReplaceCall("{x}." + layer.kind + "(" + ", ".join(args) + ")",
                               title="split the axis in the order it was merged"))
    marked = tuple(provenance.Sized(int(v), provenance.Computed(_SWAPPED, (v,))) if k < 2 and is_int(v) else v
                   for k, v in enumerate(out.shape))
    return Tensor(marked, out.dtype)


def _warn_axis_not_last(layer, x: Tensor, out: Tensor, written) -> bool:
    """``preds.reshape(-1, c)`` on (N, C, H, W) with ``c`` read off axis 1 (``n, c, h, w = preds.shape``): rows
    of C values per position are meant (a pixel-wise loss), but C is not the last axis, so each row reads C
    neighbouring values of one class map. Recognised by provenance: the size written last is that very axis's. The
    fix moves the axis last before the reshape."""
    if x.shape is None or len(x.shape) < 3 or not isinstance(written, (tuple, list)) or len(written) != 2 or \
            written[0] != -1 or not is_int(written[1]):
        return False
    found = [k for k, d in enumerate(x.shape) if d is written[1]]
    if len(found) != 1 or found[0] in (0, len(x.shape) - 1):
        return False
    k = found[0]
    perm = ", ".join(str(a) for a in [a for a in range(len(x.shape)) if a != k] + [k])
    suffix = f".permute({perm})" + (".contiguous()" if layer.kind == "view" else "")
    layer.warn("reshape-reorders-axes", variant="axis-last", received_shape=x.shape, out_shape=out.shape, axis=k,
               size=int(written[1]), remedy=remedies.move_axes_before_reshape(f"x.permute({perm})"),
               fix=WrapInput(0, "{x}" + suffix, title=f"move axis {k} last with `{suffix[1:]}` first"))
    return True


def _after_swapped_split(x: Tensor) -> bool:
    """Whether a size of ``x`` is one a swapped split wrote (through the layers that carried it on)."""
    return any(getattr(provenance.made_as(v), "op", None) == _SWAPPED for v in x.shape or ())


def _warn_reorder(layer, x: Tensor, out: Tensor, written=None) -> None:
    """A view/reshape whose result is the input's axes in another order (core/reorder.py): a silent scramble. The
    fix moves the axes first (``.permute(...)``; a view then needs ``.contiguous()``)."""
    if _after_swapped_split(x) or _warn_heads_into_batch(layer, x, out, written):
        return  # a split in the wrong order upstream is the mistake (reported there)
    found = reshape_reorder(x.shape, out.shape)
    if found is not None and found.moves_into_inferred(written):
        return  # the axis the -1 took was never placed by the author: no transpose was meant
    if found is None:
        if not _warn_patches(layer, x, out):
            _warn_named_reorder(layer, x, out)
        return
    if found.pure:
        perm = ", ".join(str(a) for a in found.perm)
        if found.whole(x.shape, out.shape) and _sizes_say_otherwise(found.perm, x.shape, written):
            return  # (B, F, H*d) viewed (B*H, F, d) with B == H*d: the sizes are equal by chance, not moved
        if found.whole(x.shape, out.shape):
            layer.warn("reshape-reorders-axes", received_shape=x.shape, out_shape=out.shape,
                       remedy=remedies.transpose_instead(f"x.permute({perm})"),
                       fix=ReplaceCall("{x}.permute(" + perm + ")", title=f"permute instead: `.permute({perm})`"))
            return
        suffix = f".permute({perm})" + (".contiguous()" if layer.kind == "view" else "")
        layer.warn("reshape-reorders-axes", received_shape=x.shape, out_shape=out.shape,
                   remedy=remedies.move_axes_before_reshape(f"x.permute({perm})"),
                   fix=WrapInput(0, "{x}" + suffix, title=f"move the axes with `{suffix[1:]}` before the {layer.kind}"))
        return
    move = ", ".join(str(a) for a in found.split_perm)
    layer.warn("reshape-reorders-axes", received_shape=x.shape, out_shape=out.shape,
               remedy=remedies.split_then_move_axes(found.split, f".permute({move})"))


def _warn_heads_into_batch(layer, x: Tensor, out: Tensor, written) -> bool:
    """``q.view(batch_size * heads, -1, d)`` on (B, F, heads * d): the heads are split off the last axis and merged
    with the batch without being moved next to it, so each "head" row reads several fields' values in place of one
    head of every field. Recognised by provenance: the size written for axis 0 is the input's batch times
    a number that, times the size written last, is the input's last axis. The fix splits the heads where they are,
    moves them beside the batch, then merges: ``view(B, F, H, d).transpose(1, 2).reshape(B * H, F, d)``."""
    if x.shape is None or len(x.shape) != 3 or not isinstance(written, (tuple, list)) or len(written) != 3:
        return False
    merged = written[0]
    origin = getattr(merged, "origin", None)
    if getattr(origin, "op", None) != "*" or len(getattr(origin, "operands", ())) != 2 or \
            provenance.depends_on(x.shape[0], x.shape[1]):
        return False
    batch_at = [i for i, o in enumerate(origin.operands) if provenance.depends_on(o, x.shape[0])]
    if len(batch_at) != 1:
        return False
    heads, d, last = origin.operands[1 - batch_at[0]], out.shape[2], x.shape[2]
    if not (is_int(heads) and heads >= 2 and is_int(d) and is_int(last) and last == heads * d and
            is_known(out.shape[1]) and is_known(x.shape[1]) and out.shape[1] == x.shape[1]):
        return False
    b, h = ("{arg0.left}", "{arg0.right}") if batch_at[0] == 0 else ("{arg0.right}", "{arg0.left}")
    spelled = "{x}.view(" + f"{b}, {{arg1}}, {h}, {{arg2}}).transpose(1, 2).reshape({{arg0}}, {{arg1}}, {{arg2}})"
    layer.warn("reshape-reorders-axes", variant="heads", received_shape=x.shape, out_shape=out.shape,
               heads=int(heads), remedy=remedies.split_heads_then_merge(),
               fix=ReplaceCall(spelled, title="split the heads off the last axis, move them beside the batch, "
                                              "then merge"))
    return True


def _sizes_say_otherwise(perm, src: tuple, written) -> bool:
    """Whether a size written for the output was computed from another input axis than the one the reorder
    reading moves there: ``view(batch_size * heads, -1, d)`` computes axis 0 from the batch, so it is not the
    input's feature axis of the same size (provenance: core/provenance.py)."""
    if not isinstance(written, (tuple, list)) or len(written) != len(perm):
        return False
    for i, j in enumerate(perm):
        if provenance.depends_on(written[i], src[j]):
            continue  # computed from the axis the reading moves there (H and W may share one size object)
        if any(k != j and provenance.depends_on(written[i], src[k]) for k in range(len(src))):
            return True
    return False


def _warn_patches(layer, x: Tensor, out: Tensor) -> bool:
    """Images reshaped straight into patch tokens (core/reorder.patch_tokens). The fix gathers each patch with
    ``unfold`` on both image axes first; the reshape after it then reads whole patches."""
    found = patch_tokens(tuple(x.shape), tuple(out.shape), channels_first=True) or \
        patch_tokens(tuple(x.shape), tuple(out.shape), channels_first=False)
    if found is None:
        return False
    p = found.p
    move = f".unfold(2, {p}, {p}).unfold(3, {p}, {p}).permute(0, 2, 3, 1, 4, 5)" if found.channels_first else \
        f".unfold(1, {p}, {p}).unfold(2, {p}, {p})"
    suffix = move + (".contiguous()" if layer.kind == "view" else "")
    layer.warn("reshape-reorders-axes", variant="patches", received_shape=x.shape, out_shape=out.shape, p=p,
               per=out.shape[-1], remedy=remedies.gather_patches_first(move),
               fix=WrapInput(0, "{x}" + suffix, title=f"gather each patch with `{move[1:]}` before the {layer.kind}"))
    return True


def _warn_named_reorder(layer, x: Tensor, out: Tensor) -> None:
    """Sizes that coincide hide a reorder ((B, N, D) -> (B, D, h, w) with N == D), but the names the sizes were read
    into tell which axis each comes from (``layer.extra["target_axes"]``, frontends/source/axis_reads.py): when
    every axis of the input is read, each once and in another order, the axes must be moved first."""
    axes = layer.extra.get("target_axes")
    rank = len(x.shape)
    if not axes or len(axes) != len(out.shape) or any(a is None for a in axes):
        return
    order = []
    for a in axes:
        for k in a:
            if k < 0 or k >= rank:
                return
            if k not in order:
                order.append(k)
            elif order[-1] != k:  # an axis read again after another: not a plain split or merge
                return
    if sorted(order) != list(range(rank)) or order == sorted(order):
        return
    perm = tuple(order)
    suffix = (f".transpose{tuple(k for k in range(rank) if perm[k] != k)}" if sum(perm[k] != k for k in range(rank))
              == 2 else f".permute{perm}") + (".contiguous()" if layer.kind == "view" else "")
    layer.warn("reshape-reorders-axes", received_shape=x.shape, out_shape=out.shape,
               remedy=remedies.move_axes_before_reshape(f"x{suffix.replace('.contiguous()', '')}"),
               fix=WrapInput(0, "{x}" + suffix, title=f"move the axes with `{suffix[1:]}` before the {layer.kind}"))


def _mixes_samples(shape: tuple, out: tuple, target, in_model: bool) -> bool:
    """``x.view(-1, 256)`` on a (64, 16, 5, 5) feature map gives 100 rows of 256: the batch axis no longer counts
    samples. For feature maps and sequences (rank >= 3, axis 0 the batch): True when the inferred leading size is not
    the product of some leading axes (merging batch and time, ``(B, T, V) -> (B*T, V)``, is deliberate). For a
    (batch, features) tensor inside a model's forward (a DCGAN's ``view(-1, 128, 8, 8)`` after its Linear): True
    when a row does not divide one sample's values, so rows take values from two samples (splitting features
    into tokens, ``(B, 512) -> (B*8, 64)``, is deliberate). A loose 2-D tensor in a script
    (``torch.randn(4, 4).view(-1, 8)`` in a tutorial) is not a batch."""
    if len(shape) < 2 or len(target) < 2 or target[0] != -1 or not all(is_int(d) for d in shape + out):
        return False
    if len(shape) == 2:
        row = prod(out[1:])
        return in_model and row > 0 and shape[1] % row != 0
    lead = 1
    for k in range(len(shape) + 1):
        if lead == out[0]:
            return False
        if k < len(shape):
            lead *= shape[k]
    return True


def _reshape_remedy(x, target, known, total) -> str:
    if -1 in target:
        return remedies.check_sizes_dividing(known, total)
    return remedies.choose_sizes_or_minus_one(total)


@rule(FW, ["view", "reshape"], "*shape")
def view(layer, x: Tensor):
    raw = layer.raw("shape")
    if isinstance(raw, tuple) and len(raw) == 1 and isinstance(raw[0], str) and not raw[0].isidentifier():
        return UNKNOWN
    return reshape_core(layer, x, _shape_arg(layer))


@rule(FW, ["view_as", "reshape_as", "expand_as", "type_as"], "**kwargs")
def view_as(layer, x: Tensor, other: Tensor = None):
    if other is None or other.shape is None:
        return UNKNOWN
    if layer.kind == "type_as":
        return x
    if layer.kind == "expand_as":
        return expand_core(layer, x, other.shape)
    return reshape_core(layer, x, other.shape, "other")


def _dims_arg(layer, name):
    v = layer.arg(name)
    if is_int(v):
        return (v,)
    if isinstance(v, (tuple, list)) and all(is_int(d) for d in v):
        return tuple(v)
    raise Unresolved(name)


@rule(FW, "squeeze", "dim=None")
def squeeze(layer, x: Tensor):
    dim = layer.arg("dim")
    if dim is None:
        if any(not is_known(d) for d in x.shape):
            return UNKNOWN  # an unknown size may be 1
        return Tensor(tuple(d for d in x.shape if d != 1), x.dtype)
    dims = {axis(d, x.rank, "dim", shape=x.shape) for d in _dims_arg(layer, "dim")}
    out = []
    for i, d in enumerate(x.shape):
        if i in dims:
            if not is_known(d):
                return UNKNOWN
            if d == 1:
                continue
        out.append(d)
    if x.rank and len(out) == len(x.shape) and all(0 <= i < x.rank and isinstance(x.shape[i], int) for i in dims):
        _warn_squeeze_does_nothing(layer, x, sorted(dims))
    return Tensor(tuple(out), x.dtype)




def _warn_squeeze_does_nothing(layer, x: Tensor, dims: list) -> None:
    """``h_n.squeeze(0)`` on a (2, 32, 64) state: torch squeezes an axis only when its size is 1, so this does
    nothing (a two-layer RNN's state keeps its layer axis). Of an RNN's state, the last layer's is ``h_n[-1]``."""
    fix = None
    if fact(FW, layer.extra.get("producer_kind"), "recurrent") and dims == [0] and x.rank == 3:
        fix = ReplaceCall("{x}[-1]", title="take the last layer's state: `[-1]`")
    layer.warn("squeeze-does-nothing", received_shape=x.shape, dims=", ".join(str(d) for d in dims),
               sizes=", ".join(str(x.shape[d]) for d in dims),
               remedy=remedies.last_layer_state() if fix is not None else remedies.squeeze_size_one(), fix=fix)


@rule(FW, "unsqueeze", "dim")
def unsqueeze(layer, x: Tensor):
    d = axis(layer.arg("dim"), x.rank + 1, "dim", shape=x.shape)
    return Tensor(x.shape[:d] + (1,) + x.shape[d:], x.dtype)


@rule(FW, "permute", "*dims")
def permute(layer, x: Tensor):
    raw = layer.arg("dims")
    dims = tuple(raw[0]) if len(raw) == 1 and isinstance(raw[0], (tuple, list)) else tuple(raw)
    if not all(is_int(d) for d in dims):
        raise Unresolved("dims")
    if not raw:
        return Mismatch("invalid-argument", arg="dims", detail="permute() needs the order of the axes",
                        remedy=remedies.list_all_axes_example(x.rank, ', '.join(map(str, range(x.rank)))))
    if len(dims) != x.rank:
        return Mismatch("rank-mismatch", arg="dims", expected=len(dims), received=x.rank, received_shape=x.shape,
                        layout=f" for permute{dims}", remedy=remedies.list_all_axes(x.rank))
    norm = [axis(d, x.rank, "dims", shape=x.shape) for d in dims]
    if len(set(norm)) != len(norm):
        return Mismatch("invalid-argument", arg="dims", detail=f"repeated dim in permute{dims}",
                        remedy=remedies.name_every_axis_exactly())
    return Tensor(tuple(x.shape[i] for i in norm), x.dtype)


@rule(FW, ["transpose", "swapaxes", "swapdims"], "dim0, dim1")
def transpose(layer, x: Tensor):
    r = x.rank
    a, b = axis(layer.arg("dim0"), r, "dim0", shape=x.shape), axis(layer.arg("dim1"), r, "dim1", shape=x.shape)
    if r == 0:
        return x
    s = list(x.shape)
    s[a], s[b] = s[b], s[a]
    return Tensor(tuple(s), x.dtype)


@rule(FW, "movedim", "source, destination")
def movedim(layer, x: Tensor):
    src, dst = layer.arg("source"), layer.arg("destination")
    src = (src,) if is_int(src) else tuple(src)
    dst = (dst,) if is_int(dst) else tuple(dst)
    if len(src) != len(dst):
        return Mismatch("invalid-argument", arg="destination", detail="source and destination need the same "
                        "number of dims", remedy=remedies.match_destinations_to_sources())
    s = [axis(d, x.rank, "source", shape=x.shape) for d in src]
    t = [axis(d, x.rank, "destination", shape=x.shape) for d in dst]
    order = [None] * x.rank
    for a, b in zip(s, t):
        order[b] = a
    rest = iter(i for i in range(x.rank) if i not in s)
    order = [o if o is not None else next(rest) for o in order]
    return Tensor(tuple(x.shape[i] for i in order), x.dtype)


@rule(FW, "t", "")
def t(layer, x: Tensor):
    if x.rank > 2:
        return Mismatch("rank-mismatch", expected="at most 2", received=x.rank, received_shape=x.shape,
                        remedy=remedies.use_transpose_or_permute())
    return Tensor(tuple(reversed(x.shape)), x.dtype)


def reduce_core(layer, x: Tensor, dim, keepdim: bool):
    if dim is None or dim == () or dim == []:
        if keepdim and dim is None and layer.kind in ("sum", "mean", "prod", "std", "var", "amax", "amin",
                                                     "logsumexp", "norm"):
            return Tensor((1,) * x.rank, x.dtype)
        return Tensor((), x.dtype)
    dims = (dim,) if is_int(dim) else tuple(dim) if isinstance(dim, (tuple, list)) else None
    if dims is None or not all(is_int(d) for d in dims):
        raise Unresolved("dim")
    normed = [axis(d, x.rank, "dim", shape=x.shape) for d in dims]
    norm = set(normed)
    if len(norm) != len(normed):
        return Mismatch("invalid-argument", arg="dim", detail=f"dim {dims} names an axis more than once",
                        remedy=remedies.list_axis_once())
    if x.rank == 0:
        return x
    if keepdim:
        return Tensor(tuple(1 if i in norm else d for i, d in enumerate(x.shape)), x.dtype)
    return Tensor(tuple(d for i, d in enumerate(x.shape) if i not in norm), x.dtype)


@rule(FW, ["mean", "sum", "prod", "std", "var", "amax", "amin", "logsumexp", "nansum", "nanmean"],
      "dim=None, keepdim=False, **kwargs")
def reduce(layer, x: Tensor):
    return reduce_core(layer, x, layer.arg("dim"), bool(layer.arg("keepdim")))


@rule(FW, "norm", "p='fro', dim=None, keepdim=False, dtype=None")
def norm(layer, x: Tensor):
    return reduce_core(layer, x, layer.arg("dim"), bool(layer.arg("keepdim")))


@rule(FW, ["argmax", "argmin"], "dim=None, keepdim=False")
def argreduce(layer, x: Tensor):
    dim = layer.arg("dim")
    if dim is None:
        return Tensor((1,) * x.rank if layer.arg("keepdim") else (), "int64")
    out = reduce_core(layer, x, dim, bool(layer.arg("keepdim")))
    return Tensor(out.shape, "int64")


@rule(FW, ["max", "min"], "dim=None, keepdim=False")
def max_min(layer, x: Tensor, *others: Tensor):
    """x.max() -> 0-D; x.max(dim) -> (values, indices); torch.max(a, b) -> element-wise (broadcast)."""
    if others:
        return broadcast_all(layer, [x] + list(others))
    dim = layer.arg("dim")
    if dim is None:
        return Tensor((), x.dtype)
    if not is_int(dim):
        raise Unresolved("dim")
    out = reduce_core(layer, x, dim, bool(layer.arg("keepdim")))
    return TensorTuple((out, Tensor(out.shape, "int64")))


@rule(FW, "topk", "k, dim=-1, largest=True, sorted=True")
def topk(layer, x: Tensor):
    """x.topk(k, dim=-1) -> (values, indices), both x's shape with size k on ``dim``; torch raises "selected index
    k out of range" unless 0 <= k <= that size (a 0-D tensor: k 0 or 1, output 0-D)."""
    k = layer.arg("k")
    if not is_int(k):
        raise Unresolved("k")
    ax = axis(layer.arg("dim"), x.rank, kind=layer.kind, shape=x.shape)
    size = x.shape[ax] if x.rank else 1
    if k < 0 or (is_known(size) and k > size):
        return Mismatch("incompatible-input-shape", arg="k", received_shape=x.shape,
                        detail=f"k={k} is not in [0, {size}], the size of dim {layer.arg('dim')}",
                        remedy=remedies.pick_smaller_k())
    shape = x.shape[:ax] + (k,) + x.shape[ax + 1:] if x.rank else ()
    return TensorTuple((Tensor(shape, x.dtype), Tensor(shape, "int64")))


@rule(FW, "einsum", "equation, *rest")
def einsum(layer, *xs: Tensor):
    """torch.einsum("bij,bjk->bik", a, b): each operand's subscripts name its dims (``...`` stands for the rest,
    right-aligned and broadcast across operands); sizes of one subscript broadcast (equal or 1). Without ``->`` the
    output is the ellipsis dims then the subscripts used once, in sorted order. torch raises when an operand's rank
    differs from its subscripts, the operand count differs from the equation's, or a subscript's sizes differ."""
    eq = layer.arg("equation")
    if not isinstance(eq, str) or layer.arg("rest") or any(x.shape is None for x in xs):
        raise Unresolved("equation")
    eq = eq.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(xs) or not all(t.replace("...", "").isalpha() or t in ("", "...")
                                        for t in terms + [rhs]):
        if len(terms) != len(xs) and all(t.replace("...", "").isalpha() for t in terms if t):
            return Mismatch("incompatible-input-shape", arg="equation", received_shape=xs[0].shape if xs else (),
                            detail=f"the equation {eq!r} names {len(terms)} operand(s) but {len(xs)} were given",
                            remedy=remedies.give_tensor_per_term())
        raise Unresolved("equation")
    sizes, ell, counts = {}, [], {}
    for t, x in zip(terms, xs):
        letters = t.replace("...", "")
        has_ell = "..." in t
        if (len(letters) != x.rank) if not has_ell else (len(letters) > x.rank):
            return Mismatch("incompatible-input-shape", arg="equation", received_shape=x.shape,
                            detail=f"the subscripts {t!r} name {len(letters)} dims but the operand has {x.rank}",
                            remedy=remedies.write_subscript_per_dim())
        head = t.split("...")[0] if has_ell else letters
        n_ell = x.rank - len(letters)
        dims = list(x.shape[:len(head)]) + list(x.shape[len(head) + n_ell:])
        if has_ell:
            ell.append(tuple(x.shape[len(head):len(head) + n_ell]))
        for c, d in zip(letters, dims):
            counts[c] = counts.get(c, 0) + 1
            if c not in sizes:
                sizes[c] = d
                continue
            shape, bad = broadcast_shapes([(sizes[c],), (d,)])
            if bad is not None:
                return Mismatch("incompatible-input-shape", arg="equation", received_shape=x.shape,
                                detail=f"subscript {c} has size {d} here but {sizes[c]} where it appears earlier "
                                       "(they must be equal or 1)",
                                remedy=remedies.line_up_shared_subscript())
            sizes[c] = shape[0]
    ell_shape, bad = broadcast_shapes(ell) if ell else ((), None)
    if bad is not None:
        raise Unresolved("equation")  # the ellipsis dims do not broadcast: leave it to torch's own message
    if arrow:
        if len(set(rhs.replace("...", ""))) != len(rhs.replace("...", "")) or \
                any(c not in sizes for c in rhs.replace("...", "")):
            raise Unresolved("equation")
        out, pre, post = [], rhs.split("...")[0], rhs.split("...")[-1] if "..." in rhs else ""
        if "..." in rhs:
            out = [sizes[c] for c in pre] + list(ell_shape) + [sizes[c] for c in post]
        else:
            out = [sizes[c] for c in rhs]
            if ell_shape and any(not (is_known(d) and d == 1) for d in ell_shape):
                raise Unresolved("equation")
    else:
        out = list(ell_shape) + [sizes[c] for c in sorted(sizes) if counts[c] == 1]
    dtype = next((x.dtype for x in xs if x.dtype), None)
    return Tensor(tuple(out), dtype)


@rule(FW, ["tril", "triu", "tril_", "triu_"], "diagonal=0")
def tril_triu(layer, x: Tensor):
    """torch.tril / triu keep the shape; torch raises "tril: input tensor must have at least 2 dimensions"."""
    bad = require_rank(x, min_rank=2, layout="(*, rows, cols)",
                       remedy=remedies.give_matrices(layer.kind.rstrip('_')))
    return bad or x


@rule(FW, ["softmax", "log_softmax"], "dim=None, dtype=None")
def softmax(layer, x: Tensor):
    return softmax_core(layer, x, layer.arg("dim"))


def broadcast_all(layer, xs: list, dtype=dtypes.PROMOTED):
    """The broadcast of ``xs``, of ``dtype`` (by default the operands' promoted dtype, as torch computes it)."""
    xs = [v for v in xs if isinstance(v, Tensor)]
    if any(v.shape is None for v in xs):
        return UNKNOWN
    shape, bad = broadcast_shapes([v.shape for v in xs])
    if bad is not None:
        i, a, b = bad
        repair = _shortcut_repair(xs, layer.extra.get("producer_kind")) if layer.kind == "add" and len(xs) == 2 \
            else None
        remedy, fix, recover = repair or ("make the sizes equal, or 1 on the axis that should broadcast", None, None)
        return Mismatch("merge-shape-mismatch", shapes=" and ".join(str(v) for v in xs),
                        detail=f"sizes {a} and {b} differ at axis {i} and neither is 1, so they cannot broadcast",
                        remedy=remedy, fix=fix, recover=recover, axis=i, dims=(a, b))
    return Tensor(shape, dtypes.of_all([v.dtype for v in xs]) if dtype is dtypes.PROMOTED else dtype)


def _shortcut_repair(xs, producer_kind=None):
    """A residual sum whose identity shortcut has fewer channels and/or more pixels than the block's output (a
    ResNet block that changes width or stride without a downsample): the parameter-free shortcut of the ResNet
    paper ("option A") -- subsample the shortcut and zero-pad its channels, written with both operands' shapes so
    it holds for every instance of the block."""
    a, b = xs[0].shape, xs[1].shape
    r = len(a)
    maps = r in (4, 5) or r == 3 and fact(FW, producer_kind or "", "width_axis") == 1
    if not maps or len(b) != r or a[0] != b[0]:
        # a shortcut carries the same samples as the block; (1, L, D) is a table added to every sample. A 3-D sum
        # is (N, T, D) token features as often as a 1-D map (N, C, L): only a convolution's output says its
        # channels are on axis 1 -- a "stride" along a Linear's features (96 -> 32) would guess the output a wrong
        # fix gives (shrinking a fused qkv projection the view after it needs)
        return None
    plan = _repairs.projection_plan(a, b, 1, list(range(2, r)))
    if plan is None:
        return None
    index, channels, stride = plan
    o = f"{{in{1 - index}}}"
    steps = ", ".join(f"::{{x}}.shape[{i}] // {o}.shape[{i}]" for i in range(2, r))
    pad = ", ".join(["0, 0"] * (r - 2) + [f"0, {o}.shape[1] - {{x}}.shape[1]"])
    fix = WrapInput(index, f"@torch.nn.functional.pad@({{x}}[:, :, {steps}], ({pad}))",
                    title="use a parameter-free shortcut: subsample it and zero-pad its channels")
    return remedies.zero_pad_shortcut(channels, stride), fix, Tensor(xs[1 - index].shape, xs[1 - index].dtype)


@rule(FW, ["pow", "true_divide", "floor_divide", "remainder", "maximum", "minimum",
           "atan2", "fmod", "eq", "ne", "lt", "le", "gt", "ge", "bitwise_and", "bitwise_or",
           "bitwise_xor", "logical_and", "logical_or", "hypot", "lerp", "addcmul", "addcdiv"],
      "*args, **kwargs", accepts_unknown=True)
def elementwise(layer, *xs: Tensor):
    scalars = layer.args.get("args") or ()
    if len(xs) == 1 and len(scalars) == 1:  # `torch.add(t, 0.5)`: the Python scalar may promote the dtype
        out = broadcast_all(layer, list(xs), dtype=dtypes.with_scalar(xs[0].dtype, scalars[0], layer.kind))
    else:
        out = broadcast_all(layer, list(xs), dtype=dtypes.PROMOTED if not scalars else None)
    if isinstance(out, Tensor) and layer.kind in _BOOL_RESULTS:
        return Tensor(out.shape, "bool")  # a comparison or logical op gives a bool tensor whatever it compares
    if isinstance(out, Tensor) and layer.kind in dtypes.TRUE_DIVISIONS:
        return Tensor(out.shape, dtypes.with_scalar(out.dtype, 1.0, layer.kind))  # int / int is a float in torch
    return out


# The four arithmetic operators, each with the symbol it is written with (``operator``): checks that judge a
# hand-written ``a - b`` or ``a * b`` ask the registry which ops are these, and how to name them in a message.
for _kind, _symbol in {"add": "+", "sub": "-", "mul": "*", "div": "/"}.items():
    rule(FW, _kind, "*args, **kwargs", accepts_unknown=True, operator=_symbol)(elementwise)


_BOOL_RESULTS = frozenset({"eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or"})


@rule(FW, ["add_", "sub_", "mul_", "div_"], "*args, **kwargs", accepts_unknown=True)
def elementwise_in_place(layer, *xs: Tensor):
    """``t.sub_(mean)``: written into ``t`` itself, so the result keeps ``t``'s shape, and torch raises when the
    operands broadcast to a larger one ("output with shape [1, 64, 64] doesn't match the broadcast shape [3, 64, 64]"
    -- a gray image normalised with an RGB mean)."""
    out = broadcast_all(layer, list(xs))
    x = xs[0] if xs and isinstance(xs[0], Tensor) else None
    if not isinstance(out, Tensor) or x is None or x.shape is None or out.shape is None:
        return out if not isinstance(out, Tensor) or x is None else Tensor(x.shape, x.dtype)
    if len(out.shape) != len(x.shape) or any(dim_ne(a, b) for a, b in zip(out.shape, x.shape)):
        return Mismatch("merge-shape-mismatch", shapes=" and ".join(str(v) for v in xs if isinstance(v, Tensor)),
                        detail=remedies.in_place_broadcast_detail(x.shape, out.shape),
                        remedy=remedies.in_place_broadcast_remedy(layer.kind), recover=Tensor(x.shape, x.dtype))
    return Tensor(x.shape, x.dtype)


def _matmul_mismatch(kind, a: Tensor, b: Tensor, ia, ib, remedy=None, **kw):
    return Mismatch("matmul-shape-mismatch", left_shape=a.shape, right_shape=b.shape, left_inner=ia, right_inner=ib,
                    **kw,
                    remedy=remedy or remedies.match_matmul_inner_axes())


def _transposed_operand_fix(a: Tensor, b: Tensor):
    """``q @ k`` where ``q @ k.transpose(-2, -1)`` was meant (attention scores), or the left operand the wrong way
    round: the mismatch with a fix that transposes that operand's last two axes."""
    if a.rank < 2 or b.rank < 2:
        return None
    right = dim_eq(a.shape[-1], b.shape[-1]) is True  # both fit when q and k have one shape: q @ k.T is the idiom
    # the left one only for one shape on both sides (X.T @ X, a Gram matrix): `x @ W` with x's rows equal to W's is
    # a weight sized from the wrong axis, and transposing x would contract over its samples
    left = not right and a.shape == b.shape and dim_eq(a.shape[-2], b.shape[-2]) is True
    if not (right or left):
        return None
    side = 1 if right else 0
    fixed_b = b.shape[:-2] + (b.shape[-1], b.shape[-2]) if right else b.shape
    fixed_a = a.shape if right else a.shape[:-2] + (a.shape[-1], a.shape[-2])
    recover = matmul(None, Tensor(fixed_a, a.dtype), Tensor(fixed_b, b.dtype))
    return _matmul_mismatch("matmul", a, b, a.shape[-1], b.shape[-2], remedy=remedies.transpose_operand(side),
                            recover=recover if isinstance(recover, Tensor) else None,
                            fix=WrapInput(side, "{x}.transpose(-2, -1)", replaces=r"\.(transpose\([^()]*\)|T|mT)",
                                          title=f"transpose the {'right' if right else 'left'} operand's last two "
                                                "axes with `.transpose(-2, -1)`"))


@rule(FW, "matmul", "")
def matmul(layer, a: Tensor, b: Tensor = None):
    if b is None or b.shape is None or a.shape is None:
        return UNKNOWN
    if a.rank == 0 or b.rank == 0:
        return Mismatch("rank-mismatch", expected="at least 1", received=0,
                        received_shape=a.shape if a.rank == 0 else b.shape,
                        remedy=remedies.use_mul_for_scalars())
    if a.rank == 1 and b.rank == 1:
        if dim_ne(a.shape[0], b.shape[0]):
            return _matmul_mismatch("matmul", a, b, a.shape[0], b.shape[0])
        return Tensor((), a.dtype)
    ia = a.shape[-1]
    ib = b.shape[0] if b.rank == 1 else b.shape[-2]
    if dim_ne(ia, ib):
        return _transposed_operand_fix(a, b) or _matmul_mismatch("matmul", a, b, ia, ib)
    a_batch, rows = (a.shape[:-2], (a.shape[-2],)) if a.rank >= 2 else ((), ())
    b_batch, cols = (b.shape[:-2], (b.shape[-1],)) if b.rank >= 2 else ((), ())
    batch, bad = broadcast_shapes([a_batch, b_batch]) if (a_batch or b_batch) else ((), None)
    if bad is not None:
        return Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}",
                        detail=f"the batch axes {a_batch} and {b_batch} cannot broadcast",
                        remedy=remedies.broadcast_batch_axes())
    return Tensor(tuple(batch) + rows + cols, a.dtype)


@rule(FW, ["mm", "bmm", "spmm"], "")
def mm(layer, a: Tensor, b: Tensor = None):
    if b is None or b.shape is None:
        return UNKNOWN
    r = 3 if layer.kind == "bmm" else 2  # spmm: a sparse (n, m) times a dense (m, p), as mm
    for v in (a, b):
        bad = require_rank(v, (r,), layout="(n, m)" if r == 2 else "(b, n, m)",
                           remedy=remedies.use_matmul_for_other_ranks() if r == 2 else
                           remedies.use_matmul_to_broadcast())
        if bad:
            return bad
    if r == 3 and dim_ne(a.shape[0], b.shape[0]):
        return Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}",
                        detail=f"batch sizes {a.shape[0]} and {b.shape[0]} differ (bmm does not broadcast)",
                        remedy=remedies.give_operands_same_batch())
    if dim_ne(a.shape[-1], b.shape[-2]):
        return _transposed_operand_fix(a, b) or _matmul_mismatch(layer.kind, a, b, a.shape[-1], b.shape[-2])
    return Tensor(a.shape[:-1] + (b.shape[-1],), a.dtype)


@rule(FW, ["cat", "concat", "concatenate"], "dim=0", accepts_unknown=True, joins="dim")  # joins: the axis argument
def cat(layer, *xs: Tensor):
    if not xs:
        return Mismatch("invalid-argument", arg="tensors", detail="expected a non-empty list of tensors",
                        remedy=remedies.pass_a_tensor())
    if any(v.shape is None for v in xs):
        return UNKNOWN
    # legacy: 1-D empty tensors are skipped
    xs = [v for v in xs if not (v.rank == 1 and v.shape[0] == 0)] or list(xs[:1])
    ranks = {v.rank for v in xs}
    shapes = " and ".join(str(v) for v in xs)
    if len(ranks) > 1:
        return Mismatch("merge-shape-mismatch", shapes=shapes, detail=f"tensors must have the same number of "
                        f"dimensions, got {sorted(ranks)}", remedy=remedies.reshape_inputs_same_rank())
    r = xs[0].rank
    if r == 0:
        return Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=xs[0].shape,
                        remedy=remedies.use_stack_for_scalars())
    d = axis(layer.arg("dim"), r, "dim", shape=xs[0].shape)
    out = list(xs[0].shape)
    for v in xs[1:]:
        for i in range(r):
            if i == d:
                continue
            if dim_ne(out[i], v.shape[i]):
                repair = _cat_repair(layer, xs, d) if len(xs) == len(layer.extra.get("input_spans") or xs) else None
                remedy, fix, recover = repair or (f"make axis {i} the same size in every input (only the "
                                                  f"concatenation axis {d} may differ)", None, None)
                return Mismatch("merge-shape-mismatch", arg="dim", shapes=shapes,
                                detail=f"sizes must match except in dimension {d}, but axis {i} has sizes "
                                       f"{out[i]} and {v.shape[i]}",
                                remedy=remedy, fix=fix, recover=recover)
            if not is_known(out[i]):
                out[i] = v.shape[i] if is_known(v.shape[i]) else out[i] if out[i] == v.shape[i] else None
    total = sum(v.shape[d] for v in xs) if all(is_known(v.shape[d]) for v in xs) else None
    out[d] = total
    return Tensor(tuple(out), xs[0].dtype)


def _cat_repair(layer, xs, d: int):
    """(remedy, fix, recovered output) for two tensors that cannot be concatenated along ``d``: a class token
    without ``.expand(batch, ...)``, or an odd-sized feature map (pad it with F.pad to its partner's size)."""
    differ = [i for i in range(len(xs[0].shape)) if len({v.shape[i] for v in xs}) > 1]
    channel_join = d == 1 and len(xs[0].shape) >= 3  # skip connections join channels; their maps may be off by a few
    batch_join = differ == [0] and layer.extra.get("in_model")  # axis 0 in a forward() is the batch: joining
    # along it would stack samples of two tensors -- never the repair of a join of per-sample features
    if len(differ) == 1 and differ[0] != d and all(is_known(v.shape[differ[0]]) for v in xs) and \
            not (channel_join and differ[0] >= 2) and not batch_join:
        i = differ[0]  # the inputs differ on one other axis only: that is the axis to concatenate along
        value = "-1" if i == len(xs[0].shape) - 1 and d != i else str(i)
        return (f"the inputs differ only on axis {i}: concatenate along it with `dim={value}`",
                SetArg("dim", value, "unsafe", title=f"concatenate along dim {value}"), _cat_output(xs, i))
    if len(xs) != 2:
        return None
    a, b = xs[0].shape, xs[1].shape
    plan = _repairs.expand_plan(a, b, {d})
    if plan is not None:
        index, axes = plan
        other = 1 - index
        sizes = [f"{{in{other}}}.shape[{i}]" if i in axes else "-1" for i in range(len(a))]
        fixed = [xs[other] if i == index else x for i, x in enumerate(xs)]
        # no literal fallback: `expand(4, -1, -1)` would pin the batch size; the other input must be a plain name
        fix = WrapInput(index, "{x}.expand(" + ", ".join(sizes) + ")",
                        title="expand the size-1 axes to the other input's sizes with `.expand(...)`")
        return remedies.expand_operand(axes), fix, _cat_output(fixed, d)
    # maps of (N, C, H, W) a few pixels apart; a rank-3 (N, C, L) map only when L differs by a few steps -- (N, T, D)
    # tokens whose last axis differs are features, never padded (a (N, D, T) patch tensor left untransposed)
    spatial = set(range(2, len(a))) if len(a) >= 4 else \
        {2} if len(a) == 3 and is_known(a[2]) and is_known(b[2]) and abs(a[2] - b[2]) <= 4 else set()
    # a skip connection joins maps of one model a few pixels apart; outside a model (a generated image joined with
    # label maps sized by hand) a size that does not match is the generator's, not something to pad over
    plan = _repairs.pad_plan(a, b, {d}, spatial) if spatial and layer.extra.get("in_model", True) else None
    if plan is not None:
        index, pads = plan
        flat = []
        for i in range(len(a) - 1, min(pads) - 1, -1):  # F.pad lists the last axis first
            flat.extend(pads.get(i, (0, 0)))
        fixed = [xs[1 - index] if i == index else x for i, x in enumerate(xs)]
        fix = WrapInput(index, "@torch.nn.functional.pad@({x}, [" + ", ".join(map(str, flat)) + "])",
                        title="pad the smaller input to the other's size with `F.pad`", per_shape=True)
        return remedies.pad_operand(), fix, _cat_output(fixed, d)
    return None


def _cat_output(xs, d: int) -> Tensor:
    out = list(xs[0].shape)
    out[d] = sum(v.shape[d] for v in xs) if all(is_known(v.shape[d]) for v in xs) else None
    return Tensor(tuple(out), xs[0].dtype)


@rule(FW, "stack", "dim=0", accepts_unknown=True)
def stack(layer, *xs: Tensor):
    if not xs:
        return Mismatch("invalid-argument", arg="tensors", detail="expected a non-empty list of tensors",
                        remedy=remedies.pass_a_tensor())
    if any(v.shape is None for v in xs):
        return UNKNOWN
    first = xs[0]
    for v in xs[1:]:
        if v.rank != first.rank or any(dim_ne(a, b) for a, b in zip(first.shape, v.shape)):
            return Mismatch("merge-shape-mismatch", shapes=" and ".join(str(t) for t in xs),
                            detail="stack expects each tensor to be equal size",
                            remedy=remedies.give_tensors_same_shape())
    d = axis(layer.arg("dim"), first.rank + 1, "dim", shape=first.shape)
    shape = tuple(a if is_known(a) or all(v.shape[i] == a for v in xs) else None
                  for i, a in enumerate(first.shape))
    return Tensor(shape[:d] + (len(xs),) + shape[d:], first.dtype)


def expand_core(layer, x: Tensor, sizes: tuple):
    if len(sizes) < x.rank:
        return Mismatch("rank-mismatch", arg="sizes", expected=f"at most {len(sizes)}", received=x.rank,
                        received_shape=x.shape, remedy=remedies.give_expand_enough_sizes())
    lead = len(sizes) - x.rank
    out = list(sizes[:lead])
    for i, d in enumerate(x.shape):
        s = sizes[lead + i]
        if s == -1:
            out.append(d)
        elif is_known(d) and d != 1 and is_known(s) and s != d:
            return Mismatch("incompatible-input-shape", arg="sizes", received_shape=x.shape,
                            detail=f"axis {i} of size {d} cannot be expanded to {s} (only size-1 axes expand)",
                            remedy=remedies.expand_only_size_one_axes())
        else:
            out.append(s)
    return Tensor(tuple(out), x.dtype)


@rule(FW, "expand", "*sizes")
def expand(layer, x: Tensor):
    return expand_core(layer, x, _shape_arg(layer, "sizes"))


@rule(FW, "repeat", "*sizes")
def repeat(layer, x: Tensor):
    sizes = _shape_arg(layer, "sizes")
    if len(sizes) < x.rank:
        return Mismatch("rank-mismatch", arg="sizes", expected=f"at most {len(sizes)}", received=x.rank,
                        received_shape=x.shape,
                        remedy=remedies.give_repeat_enough_dims())
    shape = (1,) * (len(sizes) - x.rank) + tuple(x.shape)
    return Tensor(tuple(d * s if is_known(d) and is_known(s) else None for d, s in zip(shape, sizes)), x.dtype)


_INTEGER_DTYPES = ("int64", "int32", "int16", "int8", "uint8", "long", "int")


def _tensor_indexed(x: Tensor, index: Tensor):
    """``x[idx]``: an integer tensor picks rows (``idx.shape + x.shape[1:]``); a boolean mask over the leading axes
    keeps an unknown number of them. Anything else (unknown dtype, a mask of another shape) is unknown."""
    if index.shape is None or x.shape is None or x.rank == 0:
        return UNKNOWN
    if index.dtype in _INTEGER_DTYPES:
        return Tensor(tuple(index.shape) + tuple(x.shape[1:]), x.dtype)
    if index.dtype == "bool" and 0 < index.rank <= x.rank and \
            all(is_known(a) and is_known(b) and a == b for a, b in zip(index.shape, x.shape)):
        return Tensor((None,) + tuple(x.shape[index.rank:]), x.dtype)
    return UNKNOWN


def _leading_indices(x: Tensor, idx, indices) -> object:
    """``logp[torch.arange(n), actions]``: integer tensors on the leading axes (full slices after them) pick one
    element per position of their broadcast shape -- (n,) here -- followed by the axes not indexed. Anything else
    (a mask among them, an index after a slice, shapes that may not broadcast) is unknown."""
    if not isinstance(idx, tuple) or x.shape is None:
        return UNKNOWN
    k = sum(1 for p in idx if p is TENSOR_INDEX)
    if k != len(indices) or any(p is not TENSOR_INDEX for p in idx[:k]) or k > x.rank or \
            any(not (isinstance(p, slice) and p == slice(None)) for p in idx[k:]):
        return UNKNOWN
    if any(i.shape is None or i.dtype not in _INTEGER_DTYPES for i in indices):
        return UNKNOWN
    shape, clash = broadcast_shapes([tuple(i.shape) for i in indices])
    if clash is not None:  # torch: "shape mismatch: indexing tensors could not be broadcast together"
        i, a, b = clash
        return Mismatch("merge-shape-mismatch", shapes=" and ".join(str(tuple(v.shape)) for v in indices),
                        detail=f"the index tensors pick {a} and {b} positions, and neither is 1, so they cannot "
                               "broadcast together",
                        remedy=remedies.index_tensors_of_one_length(), axis=i, dims=(a, b))
    if shape is None or any(not is_known(d) for d in shape):
        return UNKNOWN
    return Tensor(tuple(shape) + tuple(x.shape[k:]), x.dtype)


@rule(FW, ["getitem"], "index")
def getitem(layer, x: Tensor, *tensor_index):
    """Basic indexing: ints remove an axis (and must be in range), slices keep it (sized by Python's slice
    arithmetic), None adds one, Ellipsis fills the rest. A tensor as the whole index picks rows (integers) or
    masks (booleans); tensors among other indices give an unknown result."""
    if tensor_index:
        idx = layer.raw("index")
        if len(tensor_index) == 1 and isinstance(idx, tuple) and len(idx) == 1 and idx[0] is TENSOR_INDEX:
            return _tensor_indexed(x, tensor_index[0])
        return _leading_indices(x, idx, tensor_index)
    return basic_index(layer, x)


@rule(FW, "chunk", "chunks, dim=0")
def chunk(layer, x: Tensor):
    chunks = layer.arg("chunks")
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    n = x.shape[d]
    if not is_int(chunks) or chunks <= 0:
        return Mismatch("invalid-argument", arg="chunks", detail="chunk expects `chunks` to be greater than 0",
                        remedy=remedies.pass_positive_chunks())
    if not is_known(n):
        return UNKNOWN
    size = -(-n // chunks) if n else 0
    sizes = [size] * (n // size) + ([n % size] if size and n % size else []) if size else [0]
    return TensorTuple(tuple(Tensor(x.shape[:d] + (s,) + x.shape[d + 1:], x.dtype) for s in sizes))


@rule(FW, "split", "split_size_or_sections, dim=0")
def split(layer, x: Tensor):
    s = layer.arg("split_size_or_sections")
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    n = x.shape[d]
    if isinstance(s, (list, tuple)):
        if is_known(n) and all(is_int(v) for v in s) and sum(s) != n:
            return Mismatch("incompatible-input-shape", arg="split_size_or_sections", received_shape=x.shape,
                            detail=f"split sizes {list(s)} sum to {sum(s)}, but axis {d} has size {n}",
                            remedy=remedies.use_sizes_summing_to(n))
        sizes = list(s)
    elif is_int(s) and s > 0 and is_known(n):
        sizes = [s] * (n // s) + ([n % s] if n % s else [])
    else:
        return UNKNOWN
    return TensorTuple(tuple(Tensor(x.shape[:d] + (v,) + x.shape[d + 1:], x.dtype) for v in sizes))


@rule(FW, "unbind", "dim=0")
def unbind(layer, x: Tensor):
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    n = x.shape[d]
    if not is_known(n):
        return UNKNOWN
    return TensorTuple(tuple(Tensor(x.shape[:d] + x.shape[d + 1:], x.dtype) for _ in range(n)))


@rule(FW, "unflatten", "dim, sizes")
def unflatten(layer, x: Tensor):
    layer.args.setdefault("unflattened_size", layer.raw("sizes"))
    return unflatten_module(layer, x)


@rule(FW, ["flip", "roll"], "*args, **kwargs")
def along_axes(layer, x: Tensor):
    return x


@rule(FW, ["cumsum", "cumprod", "cummax", "cummin"], "dim, **kwargs")
def cumulative(layer, x: Tensor):
    """A running sum (product, max, min) along ``dim``, which must be an axis of x; the shape is kept."""
    axis(layer.arg("dim"), x.rank, kind=layer.kind, shape=x.shape)
    return TensorTuple((x, Tensor(x.shape, "int64"))) if layer.kind in ("cummax", "cummin") else x


@rule(FW, "argsort", "dim=-1, descending=False, **kwargs")
def argsort(layer, x: Tensor):
    axis(layer.arg("dim"), x.rank, kind=layer.kind, shape=x.shape)
    return Tensor(x.shape, "int64")


__all__ = ["reshape_core", "broadcast_shapes", "broadcast_all", "reduce_core"]
