"""Keras merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (element-wise with broadcasting),
Concatenate(axis) and Dot(axes, normalize).

Each input list element (or positional call tensor) arrives as a separate input. These are ports of
``Merge.build`` / ``compute_output_shape``, ``Concatenate.build`` and ``Dot.build`` in keras 3.15, including their
quirks (a Concatenate axis past the rank is only caught when the sizes are added up; Add broadcasts inputs of
different ranks from the right).
"""
from __future__ import annotations

import math
from typing import Optional

from ...core.dims import Dim, fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg, WrapInput
from .. import _repairs
from ._args import invalid, krule
from ._spec import free_batch_kept

ELEMENTWISE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")


def _shapes_text(xs) -> str:
    return "[" + ", ".join(fmt_shape(x.shape) for x in xs) + "]"


def _on_batch_axis(axis: int, xs) -> bool:
    """Concatenating symbolic batches (axis 0 unknown: a functional model's tensors) along axis 0 joins samples, not
    features. Keras builds it; fit() fails on the labels and predict() returns twice the rows."""
    return len(xs) >= 2 and all(x.shape is not None and len(x.shape) >= 2 and x.shape[0] is None for x in xs) and \
        axis in (0, -len(xs[0].shape))


def _merge_error(layer, xs, detail: str, remedy: str, arg: Optional[str] = None, repair=None,
                 dims: Optional[tuple] = None) -> Mismatch:
    """``repair``: (remedy, fix intent, recovered output) when the shapes point to one structural fix; ``dims``:
    the two sizes that differ (for the root-cause analysis: either may be the wrong one)."""
    extra = {"dims": dims} if dims is not None else {}
    if repair is not None:
        remedy, fix, recover = repair
        return Mismatch("merge-shape-mismatch", arg=arg, shapes=_shapes_text(xs), detail=detail, remedy=remedy,
                        fix=fix, recover=recover, **extra)
    return Mismatch("merge-shape-mismatch", arg=arg, shapes=_shapes_text(xs), detail=detail, remedy=remedy, **extra)


_CONV = {3: "Conv1D", 4: "Conv2D", 5: "Conv3D"}
_ZERO_PAD = {3: "ZeroPadding1D", 4: "ZeroPadding2D", 5: "ZeroPadding3D"}


def _spelled_inputs(layer, xs) -> bool:
    """Whether every input came from an expression of its own in the source (so a fix can rewrite one), outside a
    subclassed model's ``call()`` -- a layer created there would be a new, untrained one on every call."""
    spans = layer.extra.get("input_spans")
    return len(xs) == 2 and spans is not None and len(spans) == 2 and all(s is not None for s in spans) and \
        not layer.extra.get("in_call_method")


def _projection_repair(layer, xs):
    """A residual sum whose shortcut has fewer channels (or more pixels) than the main path: project the shortcut
    with a 1x1 convolution (strided when the main path was downsampled), channels-last."""
    r = len(xs[0].shape)
    if not _spelled_inputs(layer, xs) or r not in _CONV:
        return None
    plan = _repairs.projection_plan(xs[0].shape, xs[1].shape, r - 1, list(range(1, r - 1)))
    if plan is None:
        return None
    index, channels, stride = plan
    other = 1 - index
    strides = f", strides={stride}" if stride != 1 else ""
    conv = f"@keras.layers.{_CONV[r]}@"
    fix = WrapInput(index, conv + "({in%d}.shape[-1], 1%s)({x})" % (other, strides),
                    fallback=conv + f"({channels}, 1{strides})({{x}})",
                    title=f"project the shortcut with a 1x1 `{_CONV[r]}` to {channels} channels",
                    per_shape=stride != 1)
    return remedies.project_shortcut(channels, stride), fix, Tensor(xs[other].shape, xs[other].dtype)


def _flatten_repair(layer, xs):
    """A feature map concatenated with a (batch, features) vector (an image branch joined to a tabular one):
    flatten the feature map first."""
    if not _spelled_inputs(layer, xs) or sorted(len(x.shape) for x in xs)[0] != 2:
        return None
    index = 0 if len(xs[0].shape) > 2 else 1
    flat = xs[index].shape[1:]
    if len(xs[1 - index].shape) != 2 or not all(is_known(d) for d in flat):
        return None
    width = math.prod(flat)
    other = xs[1 - index].shape[1]
    out = Tensor((xs[0].shape[0], width + other if is_known(other) else None), xs[0].dtype)
    pool = f"GlobalAveragePooling{min(max(len(xs[index].shape) - 2, 1), 3)}D"
    return (f"flatten the feature map before joining it to the vector: `layers.Flatten()(x)` (or pool it with "
            f"`{pool}()`)",
            WrapInput(index, "@keras.layers.Flatten@()({x})", title="flatten the feature map first"), out)


def _axis_repair(xs, axis: int):
    """Inputs that differ on exactly one axis, which is not the one given: concatenate along that axis (an
    Inception block's branches joined with ``axis=1`` instead of the channels, ``-1``). Not when the channels are
    joined and a spatial axis differs: that is a skip connection a few pixels off (padding_repair's case)."""
    shapes = [tuple(x.shape) for x in xs]
    if len({len(sh) for sh in shapes}) != 1:
        return None
    r = len(shapes[0])
    differ = [i for i in range(1, r) if len({sh[i] for sh in shapes}) > 1]
    if len(differ) != 1 or not all(is_known(sh[differ[0]]) for sh in shapes):
        return None
    if axis in (-1, r - 1) and r >= 3 and differ[0] < r - 1:
        return None
    i = differ[0]
    value = "-1" if i == r - 1 else str(i)
    out = list(shapes[0])
    out[i] = sum(sh[i] for sh in shapes)
    return (f"the inputs differ only on axis {value}: concatenate along it with `axis={value}`",
            SetArg("axis", value, "unsafe", title=f"concatenate along axis {value}"), Tensor(tuple(out), xs[0].dtype))


def _padding_repair(layer, xs, axis: int):
    """Channels-last feature maps a few pixels apart (an odd-sized U-Net): zero-pad the smaller one."""
    r = len(xs[0].shape)
    if not _spelled_inputs(layer, xs) or r not in _ZERO_PAD or axis not in (-1, r - 1):
        return None
    plan = _repairs.pad_plan(xs[0].shape, xs[1].shape, {0, r - 1}, set(range(1, r - 1)))
    if plan is None:
        return None
    index, pads = plan
    per_axis = [pads.get(i, (0, 0)) for i in range(1, r - 1)]
    padding = str(per_axis[0]) if r == 3 else "(" + ", ".join(str(p) for p in per_axis) + ")"
    fix = WrapInput(index, f"@keras.layers.{_ZERO_PAD[r]}@({padding})({{x}})",
                    title=f"zero-pad the smaller input with `{_ZERO_PAD[r]}({padding})`", per_shape=True)
    padded = [xs[1 - index] if i == index else x for i, x in enumerate(xs)]
    out = list(padded[0].shape)
    out[-1] = padded[0].shape[-1] + padded[1].shape[-1] if all(is_known(x.shape[-1]) for x in padded) else None
    return remedies.pad_operand(), fix, Tensor(tuple(out), xs[0].dtype)


def _require_list(layer, xs, minimum: int = 1) -> None:
    """A merge layer must be called on a list of tensors. The front-end tells us whether the call passed one
    (``extra['list_input']``); without that information a single input is given the benefit of the doubt."""
    if len(xs) == 1 and layer.extra.get("list_input") is False:
        raise _merge_error(layer, xs, "a merge layer must be called on a list of tensors, not a single tensor",
                           f"call it on a list: `{layer.kind}()([a, b])`")


def _broadcast_pair(shape1, shape2, layer, xs):
    """Merge._compute_elemwise_op_output_shape: right-aligned broadcasting of the non-batch shapes."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif is_known(i) and is_known(j):
            if i != j:
                raise _merge_error(layer, xs, f"sizes {i} and {j} cannot be broadcast together",
                                   remedies.match_merge_inputs(len(xs[0].shape) >= 4),
                                   repair=_projection_repair(layer, xs) if layer.kind == "Add" else None,
                                   dims=(i, j))
            out.append(i)
        else:
            out.append(i if i == j else None)
    return tuple(out)


def _batch(layer, xs) -> Dim:
    sizes = {x.shape[0] for x in xs if is_known(x.shape[0])}
    if len(sizes) > 1:
        raise _merge_error(layer, xs, f"the batch sizes differ ({', '.join(str(s) for s in sorted(sizes))})",
                           "merge tensors with the same batch size")
    return sizes.pop() if sizes else None


@krule(ELEMENTWISE, "**kwargs", weightless=True)
def elementwise(layer, *xs: Tensor) -> Tensor:
    _require_list(layer, xs)
    if layer.kind == "Subtract" and len(xs) != 2:
        raise _merge_error(layer, xs, f"Subtract takes exactly 2 inputs, got {len(xs)}",
                           "subtract exactly two tensors: `Subtract()([a, b])`")
    batch = _batch(layer, xs)
    out = tuple(xs[0].shape[1:])
    for x in xs[1:]:
        out = _broadcast_pair(out, tuple(x.shape[1:]), layer, xs)
    return Tensor((batch,) + tuple(out), xs[0].dtype)


def _index_ok(seq, i) -> bool:
    return -len(seq) <= i < len(seq)


@krule("Concatenate", "axis=-1, **kwargs", weightless=True, joins="axis")  # joins: the axis argument
def concatenate(layer, *xs: Tensor) -> Tensor:
    axis = layer.arg("axis")
    _require_list(layer, xs)
    if not isinstance(axis, int):
        raise invalid("axis", f"must be an integer, got {axis!r}", remedies.pass_integer_axis())
    if _on_batch_axis(axis, xs):  # Keras builds it (the symbolic batch stays None): a warning, not an error
        layer.warn("concat-along-batch", shapes=_shapes_text(xs), count=len(xs),
                   remedy="concatenate the features of each sample: `axis=-1`",
                   fix=SetArg("axis", "-1", "unsafe", title="concatenate along the features (axis=-1)"))
    # Concatenate.build: drop the concat axis (Python indexing, skipped when axis >= rank), compare the rest
    reduced = []
    for x in xs:
        s = list(x.shape)
        if len(s) > axis:
            if not _index_ok(s, axis):
                raise Mismatch("axis-out-of-range", arg="axis", axis=axis, rank=len(s), received_shape=x.shape,
                               remedy=remedies.pass_axis_between(-len(s), len(s) - 1))
            del s[axis]
        reduced.append(s)
    ranks = {len(s) for s in reduced}
    if len(ranks) > 1:
        raise _merge_error(layer, xs, "the inputs have different ranks",
                           "concatenate tensors of the same rank (flatten or reshape one of them first)", arg="axis",
                           repair=_flatten_repair(layer, xs))
    for pos in range(len(reduced[0])):
        sizes = {s[pos] for s in reduced if is_known(s[pos])}
        if len(sizes) > 1:
            raise _merge_error(layer, xs, f"all axes except the concatenation axis ({axis}) must match",
                               "make the other axes equal, or concatenate along the axis where they differ",
                               arg="axis", repair=_padding_repair(layer, xs, axis) or _axis_repair(xs, axis))
    # Concatenate.compute_output_shape: add the sizes along `axis`
    out = list(xs[0].shape)
    for x in xs[1:]:
        if not _index_ok(out, axis) or not _index_ok(x.shape, axis):
            raise Mismatch("axis-out-of-range", arg="axis", axis=axis, rank=len(x.shape), received_shape=x.shape,
                           remedy=remedies.pass_axis_between(-len(x.shape), len(x.shape) - 1))
        a, b = out[axis], x.shape[axis]
        if not is_known(a) or not is_known(b):
            out[axis] = None
            break
        out[axis] = a + b
    return Tensor(tuple(out), xs[0].dtype)


@krule("Dot", "axes, normalize=False, **kwargs", weightless=True)
def dot(layer, *xs: Tensor) -> Tensor:
    axes = layer.arg("axes")
    if not isinstance(axes, int):
        if not isinstance(axes, (list, tuple)):
            raise invalid("axes", f"must be an int or a list of two ints, got {axes!r}",
                          remedies.pass_axes_int_or_pair())
        if len(axes) != 2:
            raise invalid("axes", f"must contain two elements, got {axes!r}", remedies.pass_axes_pair())
        if not all(isinstance(a, int) for a in axes):
            raise invalid("axes", f"elements must be integers, got {axes!r}", remedies.pass_integer_axes())
    if len(xs) != 2:
        raise _merge_error(layer, xs, f"Dot takes exactly 2 inputs, got {len(xs)}",
                           "call Dot on a list of two tensors: `Dot(axes)([a, b])`")
    s1, s2 = list(xs[0].shape), list(xs[1].shape)
    if isinstance(axes, int):
        ax = [axes % len(s1), axes % len(s2)] if axes < 0 else [axes, axes]
    else:
        ax = list(axes)
    for s, a, x in ((s1, ax[0], xs[0]), (s2, ax[1], xs[1])):
        if not _index_ok(s, a):
            raise Mismatch("axis-out-of-range", arg="axes", axis=a, rank=len(s), received_shape=x.shape,
                           remedy=remedies.pass_axis_from_one(len(s) - 1))
    d1, d2 = s1[ax[0]], s2[ax[1]]
    b1, b2 = ax[0] % len(s1) == 0, ax[1] % len(s2) == 0
    if b1 != b2:  # one axis is the batch axis: its None never equals a feature size
        batch, other = (d1, d2) if b1 else (d2, d1)
        if batch is None and is_known(other):
            raise invalid("axes", f"axis {ax[0] if b1 else ax[1]} of the {'first' if b1 else 'second'} input is "
                          f"the batch axis (size None), which cannot pair with size {other}",
                          remedies.take_dot_over_feature_axes())
    if is_known(d1) and is_known(d2) and d1 != d2:
        raise _merge_error(layer, xs, f"axis {ax[0]} of the first input has size {d1} but axis {ax[1]} of the "
                           f"second has size {d2}", "choose `axes` whose sizes match in both inputs", arg="axes")
    s1.pop(ax[0])
    s2.pop(ax[1])
    if not s2:
        raise Mismatch("axis-out-of-range", arg="axes", axis=ax[1], rank=len(xs[1].shape),
                       received_shape=xs[1].shape, remedy=remedies.keep_batch_axis_out_of_dot())
    s2.pop(0)
    out = s1 + s2
    if len(out) == 1:
        out.append(1)
    return Tensor(tuple(out), xs[0].dtype)


__all__ = ["ELEMENTWISE"]


OPERATORS = ("ops.add", "ops.subtract", "ops.multiply", "ops.divide")  # `a + b` etc. on Keras symbolic tensors


@krule(OPERATORS, "**kwargs", weightless=True)
def operator(layer, a: Tensor, b: Tensor) -> Tensor:
    """Python operators on KerasTensors: keras.ops.add & co., ops/operation_utils.py broadcast_shapes -- full
    right-aligned broadcasting, batch axis included; None against a size gives the size."""
    s1, s2 = list(a.shape), list(b.shape)
    s1 = [1] * (len(s2) - len(s1)) + s1
    s2 = [1] * (len(s1) - len(s2)) + s2
    out = []
    for i, j in zip(s1, s2):
        if is_known(i) and i == 1:
            out.append(j)
        elif not is_known(i):
            out.append(None if (is_known(j) and j == 1) or not is_known(j) else j)
        elif not is_known(j) or j == 1 or j == i:
            out.append(i)
        else:
            raise _merge_error(layer, (a, b), f"sizes {i} and {j} cannot be broadcast together",
                               "make the operands' shapes equal (or 1) in every axis",
                               repair=_projection_repair(layer, (a, b)) if layer.kind == "ops.add" else None,
                               dims=(i, j))
    return free_batch_kept((a, b), Tensor(tuple(out), a.dtype))
