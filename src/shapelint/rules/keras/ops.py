"""keras.ops on symbolic tensors (what a custom layer's or a subclassed model's ``call()`` uses, and the tf.* ops of
tf.keras code mapped onto them by the front-end): ports of keras 3.15 ``keras/src/ops/numpy.py`` /
``nn.py`` / ``image.py`` ``compute_output_spec``.

Kinds are ``ops.<name>``; tensor arguments are the inputs (a list argument such as ``ops.concatenate([a, b])``
gives one input per tensor), the rest binds to the signature. NumPy semantics throughout: broadcasting from the
right (None broadcasts with a size), ``axis=None`` reduces everything, ``reshape`` takes one -1.
"""
from __future__ import annotations

from ...core.dims import broadcast_shapes, dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.program import UNRESOLVED
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import WrapInput
from .._indexing import basic_index
from ._reorder import warn_reorder
from ._spec import free_batch_kept

FW = "keras"


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _axis(layer, a, rank: int, arg: str = "axis") -> int:
    if not _int(a):
        raise Unresolved(arg)
    n = a + rank if a < 0 else a
    if not 0 <= n < rank:
        raise Mismatch("axis-out-of-range", arg=arg, axis=a, rank=rank, received_shape=None,
                       remedy=remedies.pass_axis_between(-rank, rank - 1) if rank else remedies.keep_feature_axis())
    return n


def _axes(layer, axis, rank: int) -> tuple:
    if axis is None:
        return tuple(range(rank))
    items = (axis,) if _int(axis) else tuple(axis) if isinstance(axis, (list, tuple)) else None
    if items is None:
        raise Unresolved("axis")
    return tuple(sorted({_axis(layer, a, rank) for a in items}))


def _broadcast(layer, xs, what: str = "inputs"):
    shapes = [tuple(x.shape) for x in xs]
    out, bad = broadcast_shapes(shapes)
    if out is None:
        axis, a, b = bad
        raise Mismatch("merge-shape-mismatch", shapes=", ".join(str(x) for x in xs),
                       detail=f"sizes {a} and {b} differ at axis {axis} and neither is 1, so they cannot broadcast",
                       remedy=remedies.make_broadcastable(), dims=(a, b))
    return out


# -- element-wise ------------------------------------------------------------------------------------------------
UNARY = ["relu", "relu6", "gelu", "silu", "swish", "sigmoid", "hard_sigmoid", "tanh", "exp", "log", "log1p",
         "sqrt", "rsqrt", "abs", "absolute", "square", "negative", "sign", "erf", "floor", "ceil", "round",
         "softplus", "softsign", "elu", "selu", "leaky_relu", "mish", "stop_gradient", "convert_to_tensor",
         "cos", "sin", "reciprocal", "logical_not", "isnan", "isfinite", "nan_to_num", "copy", "real",
         "clip", "cast", "flip", "cumsum", "cumprod", "sort", "argsort", "zeros_like", "ones_like", "full_like",
         "dropout", "log_sigmoid", "hard_swish", "celu", "glu_like_identity"]


@rule(FW, [f"ops.{n}" for n in UNARY], "*args, **kwargs")
def unary(layer, x: Tensor, *rest):
    dtype = None if layer.kind in ("ops.cast",) else x.dtype
    return Tensor(x.shape, dtype)


BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "maximum", "minimum", "power",
          "mod", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
          "logical_or", "logical_xor", "where", "arctan2", "hypot"]


@rule(FW, [f"ops.{n}" for n in BINARY if f"ops.{n}" not in ("ops.add", "ops.subtract", "ops.multiply",
                                                           "ops.divide")], "*args, **kwargs")
def binary(layer, *xs: Tensor):
    if not xs:
        return UNKNOWN
    return free_batch_kept(xs, Tensor(_broadcast(layer, xs), xs[0].dtype))


# -- shape ops ---------------------------------------------------------------------------------------------------
BATCH = "B"  # the batch size as ``ops.shape(x)[0]`` gives it (front-end): the same size whatever it is


@rule(FW, "ops.reshape", "newshape")
def reshape(layer, x: Tensor):
    """Keras' compute_reshape_output_shape: with every size known the counts must match; with the batch unknown a
    -1 takes the rest. Two things Keras only finds on data: a target that keeps the batch (``ops.shape(x)[0]``)
    but not one sample's values (an error for every batch size), and a -1 in the batch position whose rows do not
    divide one sample's values (rows straddle samples: reported as a silent bug)."""
    target = layer.raw("newshape")
    if _int(target):
        target = (target,)
    if not isinstance(target, (tuple, list)):
        raise Unresolved("newshape")
    keeps_batch = bool(target) and target[0] == BATCH and x.shape and x.shape[0] is None
    target = tuple(None if (v is UNRESOLVED or v is None or isinstance(v, str)) else v for v in target)
    if not all(v is None or _int(v) for v in target):
        raise Unresolved("newshape")
    if sum(1 for v in target if v == -1) > 1:
        raise Mismatch("invalid-argument", arg="newshape", detail="only one size may be -1",
                       remedy=remedies.one_inferred_size())
    rest = 1
    for v in target:
        if _int(v) and v != -1:
            rest *= v
    if keeps_batch and all(is_known(d) for d in x.shape[1:]) and None not in target[1:]:
        per = 1
        for d in x.shape[1:]:
            per *= d
        if (-1 in target and (rest == 0 or per % rest)) or (-1 not in target and per != rest):
            raise Mismatch("reshape-size-mismatch", arg="newshape", received_shape=x.shape, received=per,
                           target=("batch",) + tuple("-1" if v == -1 else v for v in target[1:]), expected=rest,
                           remedy=remedies.reshape_sizes_multiply(per))
        sample = tuple(per // rest if v == -1 else v for v in target[1:])
        warn_reorder(layer, x.shape[1:], sample, lambda perm: WrapInput(
            0, "@keras.ops.transpose@({x}, " + str((0,) + tuple(a + 1 for a in perm)) + ")",
            title="transpose the axes before the reshape"))
        if layer.extra.get("in_call_method"):
            # inside a layer's call() the backend runs on tensors of a real batch (torch: when the graph is built;
            # TensorFlow: in fit), where the -1 is one sample's values over the rest: the size the next op meets
            return Tensor((None,) + sample, x.dtype)
        # on KerasTensors Keras leaves the -1 unknown when the batch comes from the tensor's own shape
        return Tensor((None,) + tuple(None if v == -1 else v for v in target[1:]), x.dtype)
    if all(is_known(d) for d in x.shape) and None not in target:
        total = 1
        for d in x.shape:
            total *= d
        if -1 in target:
            if rest == 0 or total % rest:
                raise _reshape_mismatch(x, target, total)
            return Tensor(tuple(total // rest if v == -1 else v for v in target), x.dtype)
        if total != rest:
            raise _reshape_mismatch(x, target, total)
        return Tensor(target, x.dtype)
    if target and target[0] == -1 and x.shape and x.shape[0] is None and None not in target[1:] and \
            all(is_known(d) for d in x.shape[1:]) and len(target) > 1:
        per = 1
        for d in x.shape[1:]:
            per *= d
        if rest and per % rest:
            layer.warn("reshape-mixes-samples", variant="per_sample", received_shape=x.shape,
                       out_shape=(None,) + target[1:], per=per, row=rest,
                       remedy=remedies.keep_the_batch_axis(per, rest))
    return Tensor(tuple(None if v == -1 else v for v in target), x.dtype)


def _reshape_mismatch(x: Tensor, target, total) -> Mismatch:
    n = 1
    for v in target:
        n = n * v if _int(v) and v != -1 else n
    return Mismatch("reshape-size-mismatch", arg="newshape", received_shape=x.shape, received=total,
                    target=tuple("-1" if v == -1 else v for v in target), expected=n, per="",
                    remedy=remedies.reshape_sizes_multiply(total))


@rule(FW, "ops.transpose", "axes=None")
def transpose(layer, x: Tensor):
    axes = layer.arg("axes")
    r = len(x.shape)
    if axes is None:
        return Tensor(tuple(reversed(x.shape)), x.dtype)
    if not isinstance(axes, (list, tuple)) or not all(_int(a) for a in axes):
        raise Unresolved("axes")
    if len(axes) != r:
        raise Mismatch("invalid-argument", arg="axes", detail=f"axes {tuple(axes)} do not match a {r}-D tensor "
                       f"{x.shape}", remedy=remedies.list_every_axis_once(r))
    norm = [_axis(layer, a, r, "axes") for a in axes]
    if len(set(norm)) != r:
        raise Mismatch("invalid-argument", arg="axes", detail=f"axes {tuple(axes)} repeat an axis",
                       remedy=remedies.list_every_axis_once(r))
    return Tensor(tuple(x.shape[a] for a in norm), x.dtype)


@rule(FW, "ops.expand_dims", "axis")
def expand_dims(layer, x: Tensor):
    axis = layer.arg("axis")
    items = (axis,) if _int(axis) else tuple(axis) if isinstance(axis, (list, tuple)) else None
    if items is None or not all(_int(a) for a in items):
        raise Unresolved("axis")
    r = len(x.shape) + len(items)
    norm = sorted(_axis(layer, a, r) for a in items)
    out, it = [], iter(x.shape)
    for i in range(r):
        out.append(1 if i in norm else next(it))
    return Tensor(tuple(out), x.dtype)


@rule(FW, "ops.squeeze", "axis=None")
def squeeze(layer, x: Tensor):
    axis = layer.arg("axis")
    r = len(x.shape)
    if axis is None:
        if any(d is None for d in x.shape):
            return Tensor(tuple(d for d in x.shape if d != 1), x.dtype)
        return Tensor(tuple(d for d in x.shape if d != 1), x.dtype)
    axes = _axes(layer, axis, r)
    for a in axes:
        if is_known(x.shape[a]) and x.shape[a] != 1:
            raise Mismatch("invalid-argument", arg="axis", detail=f"cannot squeeze axis {a} of size {x.shape[a]}",
                           remedy=remedies.squeeze_size_one_axis())
    return Tensor(tuple(d for i, d in enumerate(x.shape) if i not in axes), x.dtype)


@rule(FW, ["ops.concatenate"], "axis=0", joins="axis")
def concatenate(layer, *xs: Tensor):
    if not xs:
        return UNKNOWN
    r = len(xs[0].shape)
    if any(len(x.shape) != r for x in xs):
        raise Mismatch("merge-shape-mismatch", shapes=", ".join(str(x) for x in xs),
                       detail="the inputs have different numbers of dimensions",
                       remedy=remedies.reshape_inputs_same_rank())
    a = _axis(layer, layer.arg("axis"), r)
    out = list(xs[0].shape)
    for x in xs[1:]:
        for i, (p, q) in enumerate(zip(out, x.shape)):
            if i == a:
                continue
            if is_known(p) and is_known(q) and p != q:
                raise Mismatch("merge-shape-mismatch", arg="axis", shapes=", ".join(str(t) for t in xs),
                               detail=f"sizes {p} and {q} differ at axis {i}, which is not the concatenation axis "
                                      f"{a}", remedy=remedies.make_sizes_equal_except(a))
            out[i] = p if is_known(p) else q
    sizes = [x.shape[a] for x in xs]
    out[a] = sum(sizes) if all(is_known(s) for s in sizes) else None
    return Tensor(tuple(out), xs[0].dtype)


@rule(FW, "ops.stack", "axis=0")
def stack(layer, *xs: Tensor):
    if not xs:
        return UNKNOWN
    first = xs[0].shape
    for x in xs[1:]:
        if len(x.shape) != len(first) or any(dim_ne(p, q) for p, q in zip(first, x.shape)):
            raise Mismatch("merge-shape-mismatch", shapes=", ".join(str(t) for t in xs),
                           detail="stacked tensors must all have the same shape",
                           remedy=remedies.give_stacked_same_shape())
    r = len(first) + 1
    a = _axis(layer, layer.arg("axis"), r)
    shape = tuple(next((x.shape[i] for x in xs if is_known(x.shape[i])), first[i]) for i in range(len(first)))
    return Tensor(shape[:a] + (len(xs),) + shape[a:], xs[0].dtype)


@rule(FW, "ops.matmul", "transpose_a=False, transpose_b=False")
def matmul(layer, a: Tensor, b: Tensor = None):
    """NumPy matmul: 1-D operands get a temporary axis; the last axis of a meets the second-to-last of b; the batch
    axes broadcast. ``transpose_a`` / ``transpose_b``: tf.matmul's flags (the last two axes swapped first)."""
    if b is None:
        return UNKNOWN
    sa, sb = list(a.shape), list(b.shape)
    if not sa or not sb:
        raise Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=a.shape if not sa else
                       b.shape, layout="", remedy=remedies.reshape_to_expected_rank())
    if layer.raw("transpose_a") is True and len(sa) >= 2:
        sa[-1], sa[-2] = sa[-2], sa[-1]
    if layer.raw("transpose_b") is True and len(sb) >= 2:
        sb[-1], sb[-2] = sb[-2], sb[-1]
    va, vb = len(sa) == 1, len(sb) == 1
    if va:
        sa = [1] + sa
    if vb:
        sb = sb + [1]
    if dim_ne(sa[-1], sb[-2]):
        raise Mismatch("matmul-shape-mismatch", left_shape=tuple(a.shape), right_shape=tuple(b.shape),
                       left_inner=sa[-1], right_inner=sb[-2], remedy=remedies.match_matmul_inner_axes())
    batch = _broadcast(layer, [Tensor(tuple(sa[:-2])), Tensor(tuple(sb[:-2]))])
    out = list(batch) + ([] if va else [sa[-2]]) + ([] if vb else [sb[-1]])
    return Tensor(tuple(out), a.dtype)


@rule(FW, "ops.dot", "")
def dot(layer, a: Tensor, b: Tensor = None):
    """numpy.dot: N-D x M-D contracts a's last axis with b's second-to-last (its last if 1-D)."""
    if b is None:
        return UNKNOWN
    if not a.shape or not b.shape:
        return Tensor(a.shape or b.shape, a.dtype)
    kb = b.shape[-2] if len(b.shape) >= 2 else b.shape[0]
    if dim_ne(a.shape[-1], kb):
        raise Mismatch("matmul-shape-mismatch", left_shape=a.shape, right_shape=b.shape, left_inner=a.shape[-1],
                       right_inner=kb, remedy=remedies.match_matmul_inner_axes())
    rest_b = b.shape[:-2] + b.shape[-1:] if len(b.shape) >= 2 else ()
    return Tensor(a.shape[:-1] + rest_b, a.dtype)


@rule(FW, "ops.einsum", "equation, *rest")
def einsum(layer, *xs: Tensor):
    from ..torch.tensor_ops import einsum as numpy_einsum  # the same subscript rules (NumPy's)
    return numpy_einsum(layer, *xs)


_REDUCE = ["mean", "sum", "max", "min", "prod", "std", "var", "any", "all", "logsumexp", "amax", "amin", "average",
           "median", "nansum", "nanmean"]


@rule(FW, [f"ops.{n}" for n in _REDUCE], "axis=None, keepdims=False, **kwargs")
def reduce(layer, x: Tensor):
    axes = _axes(layer, layer.arg("axis"), len(x.shape))
    keep = layer.raw("keepdims") is True
    out = tuple((1 if i in axes else d) for i, d in enumerate(x.shape)) if keep else \
        tuple(d for i, d in enumerate(x.shape) if i not in axes)
    dtype = "bool" if layer.kind in ("ops.any", "ops.all") else x.dtype
    return Tensor(out, dtype)


@rule(FW, ["ops.argmax", "ops.argmin"], "axis=None, keepdims=False")
def argreduce(layer, x: Tensor):
    axis = layer.arg("axis")
    if axis is None:
        return Tensor((1,) * len(x.shape) if layer.raw("keepdims") is True else (), "int32")
    a = _axis(layer, axis, len(x.shape))
    keep = layer.raw("keepdims") is True
    return Tensor(tuple((1 if i == a else d) for i, d in enumerate(x.shape)) if keep else
                  tuple(d for i, d in enumerate(x.shape) if i != a), "int32")


@rule(FW, ["ops.softmax", "ops.log_softmax"], "axis=-1")
def softmax(layer, x: Tensor):
    axis = layer.arg("axis")
    if axis is not None and x.shape:
        _axes(layer, axis, len(x.shape))
    return x


@rule(FW, "ops.normalize", "axis=-1, order=2, epsilon=None")
def normalize(layer, x: Tensor):
    _axes(layer, layer.arg("axis"), len(x.shape))
    return x


@rule(FW, "ops.split", "indices_or_sections, axis=0, sizes=False")
def split(layer, x: Tensor):
    """keras.ops.split: an int divides the axis into equal parts (it must divide it), a list gives split points;
    ``sizes=True`` (the front-end's tf.split) reads a list as the part sizes."""
    s = layer.arg("indices_or_sections")
    a = _axis(layer, layer.arg("axis"), len(x.shape))
    n = x.shape[a]
    if _int(s):
        if s <= 0:
            raise Mismatch("invalid-argument", arg="indices_or_sections",
                           detail=f"the number of parts must be positive, got {s}",
                           remedy=remedies.pass_positive_chunks())
        if is_known(n) and n % s:
            raise Mismatch("incompatible-input-shape", arg="indices_or_sections", received_shape=x.shape,
                           detail=f"axis {a} of size {n} does not split into {s} equal parts",
                           remedy=remedies.use_sizes_summing_to(n))
        parts = [n // s if is_known(n) else None] * s
    elif isinstance(s, (list, tuple)) and all(_int(v) for v in s):
        if layer.raw("sizes") is True:
            if is_known(n) and -1 not in s and sum(s) != n:
                raise Mismatch("incompatible-input-shape", arg="indices_or_sections", received_shape=x.shape,
                               detail=f"split sizes {list(s)} sum to {sum(s)}, but axis {a} has size {n}",
                               remedy=remedies.use_sizes_summing_to(n))
            parts = [v if v != -1 else (n - (sum(s) + 1) if is_known(n) else None) for v in s]
        else:
            if not is_known(n):
                parts = [None] * (len(s) + 1)
            else:
                bounds = [0] + [min(max(i + n if i < 0 else i, 0), n) for i in s] + [n]
                parts = [max(0, q - p) for p, q in zip(bounds, bounds[1:])]
    else:
        raise Unresolved("indices_or_sections")
    return TensorTuple(tuple(Tensor(x.shape[:a] + (p,) + x.shape[a + 1:], x.dtype) for p in parts))


@rule(FW, "ops.tile", "repeats")
def tile(layer, x: Tensor):
    reps = layer.arg("repeats")
    reps = (reps,) if _int(reps) else tuple(reps) if isinstance(reps, (list, tuple)) else None
    if reps is None or not all(_int(r) or r is None for r in reps):
        raise Unresolved("repeats")
    shape = (1,) * max(0, len(reps) - len(x.shape)) + tuple(x.shape)
    reps = (1,) * (len(shape) - len(reps)) + reps
    return Tensor(tuple(d * r if is_known(d) and _int(r) else None for d, r in zip(shape, reps)), x.dtype)


@rule(FW, "ops.repeat", "repeats, axis=None")
def repeat(layer, x: Tensor):
    r, axis = layer.arg("repeats"), layer.arg("axis")
    if not _int(r):
        raise Unresolved("repeats")
    if axis is None:
        n = 1
        for d in x.shape:
            n = n * d if is_known(d) and is_known(n) else None
        return Tensor((n * r if is_known(n) else None,), x.dtype)
    a = _axis(layer, axis, len(x.shape))
    d = x.shape[a]
    return Tensor(x.shape[:a] + (d * r if is_known(d) else None,) + x.shape[a + 1:], x.dtype)


@rule(FW, "ops.pad", "pad_width, mode='constant', constant_values=None")
def pad(layer, x: Tensor):
    pw = layer.arg("pad_width")
    r = len(x.shape)
    if _int(pw):
        pw = [(pw, pw)] * r
    if not isinstance(pw, (list, tuple)) or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in pw):
        raise Unresolved("pad_width")
    if len(pw) == 1:
        pw = list(pw) * r
    if len(pw) != r:
        raise Mismatch("invalid-argument", arg="pad_width", detail=f"{len(pw)} (before, after) pairs for a {r}-D "
                       f"tensor {x.shape}", remedy=remedies.pad_pair_per_axis(r))
    return Tensor(tuple(d + p + q if is_known(d) and _int(p) and _int(q) else None for d, (p, q) in zip(x.shape, pw)),
                  x.dtype)


@rule(FW, "ops.take", "indices=None, axis=None")
def take(layer, x: Tensor, indices: Tensor = None):
    idx = indices.shape if indices is not None and indices.shape is not None else None
    if idx is None:
        raw = layer.raw("indices")
        idx = () if _int(raw) else (len(raw),) if isinstance(raw, (list, tuple)) else None
    if idx is None:
        return UNKNOWN
    axis = layer.arg("axis")
    if axis is None:
        return Tensor(tuple(idx), x.dtype)
    a = _axis(layer, axis, len(x.shape))
    return Tensor(x.shape[:a] + tuple(idx) + x.shape[a + 1:], x.dtype)


@rule(FW, "ops.one_hot", "num_classes, axis=-1, dtype=None, sparse=False")
def one_hot(layer, x: Tensor):
    n = layer.arg("num_classes")
    if not _int(n):
        raise Unresolved("num_classes")
    axis = layer.arg("axis")
    shape = list(x.shape)
    a = _axis(layer, axis, len(shape) + 1)
    shape.insert(a, n)
    return Tensor(tuple(shape), "float32")


@rule(FW, "ops.top_k", "k, sorted=True")
def top_k(layer, x: Tensor):
    k = layer.arg("k")
    if not _int(k):
        raise Unresolved("k")
    if not x.shape:
        raise Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=x.shape, layout="",
                       remedy=remedies.reshape_to_expected_rank())
    n = x.shape[-1]
    if is_known(n) and k > n:
        raise Mismatch("incompatible-input-shape", arg="k", received_shape=x.shape,
                       detail=f"k={k} is larger than the last axis ({n})", remedy=remedies.pick_smaller_k())
    out = Tensor(x.shape[:-1] + (k,), x.dtype)
    return TensorTuple((out, Tensor(out.shape, "int32")))


@rule(FW, "ops.broadcast_to", "shape")
def broadcast_to(layer, x: Tensor):
    shape = layer.arg("shape")
    if not isinstance(shape, (list, tuple)):
        raise Unresolved("shape")
    target = tuple(None if v is UNRESOLVED else v for v in shape)
    out, bad = broadcast_shapes([tuple(x.shape), target])
    if out is None or len(out) != len(target) or any(dim_ne(a, b) for a, b in zip(out, target)):
        raise Mismatch("merge-shape-mismatch", arg="shape", shapes=f"{x} and {tuple(target)}",
                       detail="the tensor does not broadcast to the target shape",
                       remedy=remedies.make_broadcastable())
    return Tensor(target, x.dtype)


@rule(FW, "ops.moments", "axes, keepdims=False, synchronized=False")
def moments(layer, x: Tensor):
    axes = _axes(layer, layer.arg("axes"), len(x.shape))
    keep = layer.raw("keepdims") is True
    out = tuple((1 if i in axes else d) for i, d in enumerate(x.shape)) if keep else \
        tuple(d for i, d in enumerate(x.shape) if i not in axes)
    return TensorTuple((Tensor(out, x.dtype), Tensor(out, x.dtype)))


@rule(FW, ["ops.tril", "ops.triu"], "k=0")
def tri(layer, x: Tensor):
    if len(x.shape) < 2:
        raise Mismatch("rank-mismatch", expected="at least 2", received=len(x.shape), received_shape=x.shape,
                       layout="", remedy=remedies.reshape_to_expected_rank())
    return x


@rule(FW, "ops.image.extract_patches", "size, strides=None, dilation_rate=1, padding='valid', data_format=None")
def extract_patches(layer, x: Tensor):
    """(B, H, W, C) images -> (B, H', W', ph * pw * C): one flattened patch per position (a ViT's patch embedding)."""
    size = layer.arg("size")
    ph, pw = (size, size) if _int(size) else tuple(size) if isinstance(size, (list, tuple)) and len(size) == 2 \
        else (None, None)
    strides = layer.arg("strides")
    sh, sw = (ph, pw) if strides is None else (strides, strides) if _int(strides) else \
        tuple(strides) if isinstance(strides, (list, tuple)) and len(strides) == 2 else (None, None)
    if len(x.shape) not in (3, 4):
        raise Mismatch("rank-mismatch", expected="3- or 4", received=len(x.shape), received_shape=x.shape,
                       layout=" (batch, height, width, channels)", remedy=remedies.reshape_to_expected_rank())
    lead = x.shape[:-3]
    h, w, c = x.shape[-3:]
    padding = layer.raw("padding")

    def out(n, p, s):
        if not (is_known(n) and _int(p) and _int(s)):
            return None
        if padding == "same":
            return -(-n // s)
        return max(0, (n - p) // s + 1)
    depth = ph * pw * c if _int(ph) and _int(pw) and is_known(c) else None
    return Tensor(lead + (out(h, ph, sh), out(w, pw, sw), depth), x.dtype)


@rule(FW, "ops.image.resize", "size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False, "
                           "pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None")
def image_resize(layer, x: Tensor):
    size = layer.arg("size")
    if not (isinstance(size, (list, tuple)) and len(size) == 2):
        raise Unresolved("size")
    if len(x.shape) not in (3, 4):
        raise Mismatch("rank-mismatch", expected="3- or 4", received=len(x.shape), received_shape=x.shape,
                       layout=" (batch, height, width, channels)", remedy=remedies.reshape_to_expected_rank())
    return Tensor(x.shape[:-3] + tuple(size) + x.shape[-1:], x.dtype)


@rule(FW, "getitem", "index")
def getitem(layer, x: Tensor):
    """``x[:, 0]`` on a Keras tensor (in ``call()`` or a ``Lambda``): numpy's basic indexing."""
    return basic_index(layer, x)
