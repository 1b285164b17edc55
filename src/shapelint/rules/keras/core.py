"""Keras core layers: Dense, EinsumDense, Embedding, Masking, Lambda, Identity, Activation (and the activation
layers), the Dropout/noise family and Flatten.

Keras 3 builds a layer from its first input, so a Dense never sees "the wrong number of features" in a model built
from scratch; what does fail is a rank below the layer's InputSpec, and constructor arguments Keras rejects.
"""
from __future__ import annotations

import re

from ...core.dims import is_known, prod
from ...core.errors import Mismatch
from ...core.program import UNRESOLVED
from ...core.values import Ids, Tensor, TensorTuple
from ...diagnostics import remedies
from ._args import (check_activation, invalid, is_number, known, krule, non_negative, positive_int,
                    rate_in_unit_interval)
from ._spec import require_rank

DENSE_SIG = ("units, activation=None, use_bias=True, kernel_initializer='glorot_uniform', bias_initializer='zeros', "
             "kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, "
             "bias_constraint=None, lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs")


# width_arg: the argument that sets the last axis's width; keeps_mask: a Keras mask on the input passes on to the
# output (the layer sets supports_masking and leaves compute_mask as it is)
@krule("Dense", DENSE_SIG, width_arg="units", width_axis=-1, keeps_mask=True)
def dense(layer, x: Tensor) -> Tensor:
    try:
        units = positive_int(layer, "units", what="number of units")
    except Mismatch as m:
        if isinstance(x, Tensor) and x.shape:
            m.recover = Tensor(x.shape[:-1] + (None,), x.dtype)
        raise
    try:
        check_activation(layer)
    except Mismatch as m:
        if isinstance(x, Tensor) and x.shape and units is not UNRESOLVED:
            m.recover = Tensor(x.shape[:-1] + (int(units),), x.dtype)
        raise
    bad = require_rank(x, min_ndim=2, remedy=remedies.add_batch_axis())
    if bad:
        return bad
    if units is UNRESOLVED:
        return Tensor(x.shape[:-1] + (None,), x.dtype)
    units = int(units)  # Dense(True) is Dense(1)
    last = x.shape[-1]
    if is_known(last):
        layer.params = last * units + (units if layer.raw("use_bias") is not False else 0)
    if len(x.shape) > 2:
        layer.extra["applies_to_last_axis"] = True  # the silent-bug check reads this
    return Tensor(x.shape[:-1] + (units,), x.dtype)


# -- EinsumDense ----------------------------------------------------------------------------------------------
EINSUM_SIG = ("equation, output_shape, activation=None, bias_axes=None, kernel_initializer='glorot_uniform', "
              "bias_initializer='zeros', kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None, "
              "bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None, "
              "quantization_config=None, **kwargs")


@krule("EinsumDense", EINSUM_SIG)
def einsum_dense(layer, x: Tensor) -> Tensor:
    check_activation(layer)
    equation = layer.arg("equation")
    out_arg = layer.arg("output_shape")
    bias_axes = layer.arg("bias_axes")
    partial = (out_arg,) if isinstance(out_arg, int) else tuple(out_arg)
    # a None the user wrote in output_shape is marked, so a kernel dim taken from it is a definite error
    marked = tuple(_USER_NONE if d is None else d for d in partial)
    kernel, bias, full = analyze_einsum(equation, bias_axes, x.shape, marked)
    if _USER_NONE in kernel or (bias is not None and _USER_NONE in bias):
        raise invalid("output_shape", "a dimension the kernel or bias needs is None",
                      remedies.size_every_output_dimension())
    sizes = [prod(kernel)] + ([prod(bias)] if bias is not None else [])
    if all(is_known(s) for s in sizes):
        layer.params = sum(sizes)
    return Tensor(tuple(None if d == _USER_NONE else d for d in full), x.dtype)


_USER_NONE = "<None in output_shape>"


def analyze_einsum(equation, bias_axes, input_shape, output_shape):
    """keras.src.layers.core.einsum_dense._analyze_einsum_string: (kernel_shape, bias_shape, full_output_shape).

    Equations look like ``ab,bc->ac``, ``...b,bc->...c`` or ``ab...,bc->ac...``; the kernel takes each of its dims
    from the output (when shared with it) or the input. Raises invalid-argument where Keras raises."""
    if not isinstance(equation, str):
        raise invalid("equation", f"must be a string, got {equation!r}", remedies.pass_einsum_equation())
    dot = re.sub(r"\.\.\.", "0", equation)
    m = re.match("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", dot)
    left = False
    if not m:
        m = re.match("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", dot)
        left = bool(m)
    if not m:
        m = re.match("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", dot)
    if not m:
        raise invalid("equation", f"{equation!r} is not of the form [X],[Y]->[Z], ...[X],[Y]->...[Z] or "
                      "[X]...,[Y]->[Z]...", remedies.write_equation_like_example())
    in_spec, w_spec, out_spec = m.group(1), m.group(2), m.group(3)
    rank = len(input_shape)
    elided = rank - len(in_spec)
    out = [input_shape[0]] + list(output_shape)
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        for i in range(rank - elided, rank):
            out.append(input_shape[i])
    if left:
        in_map = {d: (i + elided) - rank for i, d in enumerate(in_spec)}
        out_map = {d: i + elided for i, d in enumerate(out_spec)}
    else:
        in_map = {d: i for i, d in enumerate(in_spec)}
        out_map = {d: i for i, d in enumerate(out_spec)}

    def at(seq, i, what):
        if -len(seq) <= i < len(seq):
            return seq[i]
        raise Mismatch("incompatible-input-shape", arg="equation", received_shape=input_shape,
                       detail=f"the equation {equation!r} indexes {what} axis {i}, which does not exist",
                       remedy=remedies.match_equation_input_rank())

    for d in in_spec:
        i_dim = at(input_shape, in_map[d], "input")
        if d in out_map:
            o_dim = at(out, out_map[d], "output")
            if o_dim is not None and is_known(i_dim) and is_known(o_dim) and o_dim != i_dim:
                raise Mismatch("incompatible-input-shape", arg="output_shape", received_shape=input_shape,
                               detail=f"dimension '{d}' is {i_dim} in the input but {o_dim} in `output_shape`",
                               remedy=remedies.set_output_size(d, i_dim))
    for d in out_spec:
        if d not in in_spec and d not in w_spec:
            raise invalid("equation", f"output dimension '{d}' appears in neither the input nor the kernel",
                          remedies.use_known_letters_in_output())
    kernel = []
    for d in w_spec:
        if d in out_map:
            kernel.append(at(out, out_map[d], "output"))
        elif d in in_map:
            kernel.append(at(input_shape, in_map[d], "input"))
        else:
            raise invalid("equation", f"kernel dimension '{d}' appears in neither the input nor the output",
                          remedies.use_known_letters_in_kernel())
    bias = None
    if bias_axes is not None:
        n_left = elided if left else 0
        idx = {c: at(out, i + n_left, "output") for i, c in enumerate(out_spec)}
        for c in bias_axes:
            if c not in out_spec:
                raise invalid("bias_axes", f"'{c}' is not part of the output spec '{out_spec}'",
                              remedies.name_output_dims_in_bias_axes())
        first = min(out_spec.find(c) for c in bias_axes)
        bias = [idx[c] if c in bias_axes else 1 for c in out_spec[first:]]
        if not left:
            bias += [1] * max(elided, 0)
    return kernel, bias, out


# -- Embedding, Masking, Identity, Lambda --------------------------------------------------------------------
@krule("Embedding", "input_dim, output_dim, embeddings_initializer='uniform', embeddings_regularizer=None, "
      "embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, lora_alpha=None, "
      "quantization_config=None, **kwargs", makes_mask="ids")  # mask_zero=True: a mask of the ids != 0
def embedding(layer, x: Tensor) -> Tensor:
    input_dim = positive_int(layer, "input_dim", allow_bool=False, what="vocabulary size")
    output_dim = positive_int(layer, "output_dim", allow_bool=False, what="embedding size")
    if input_dim is not UNRESOLVED and output_dim is not UNRESOLVED:
        layer.params = input_dim * output_dim
    out = Tensor(tuple(x.shape) + (output_dim if output_dim is not UNRESOLVED else None,), "float32")
    if isinstance(x, Ids) and input_dim is not UNRESOLVED and x.high > input_dim:
        raise Mismatch("id-out-of-range", arg="input_dim", low=x.low, high=x.high - 1, rows=input_dim, recover=out,
                       remedy=remedies.table_for_positions("input_dim", x.high))
    return out


@krule(["Masking"], "mask_value=0.0, **kwargs", weightless=True, keeps_shape=True,
       makes_mask="features")  # a mask of the steps whose features are not all mask_value
def masking(layer, x: Tensor) -> Tensor:
    return x


@krule(["Identity"], "**kwargs", accepts_unknown=True, accepts_tuple=True, weightless=True, keeps_mask=True)
def identity(layer, *xs):
    return xs[0] if len(xs) == 1 else TensorTuple(tuple(xs))


@krule("Lambda", "function, output_shape=None, mask=None, arguments=None, **kwargs", accepts_unknown=True,
      accepts_tuple=True, weightless=True)
def lambda_layer(layer, *xs):
    """With ``output_shape`` (a shape without the batch axis, or a list of them) Keras trusts it and never runs the
    function symbolically; without it Keras traces the function, which we cannot do: the output is unknown."""
    shape = layer.raw("output_shape")
    traced = layer.extra.get("traced_output")  # the front-end ran the function on the symbolic inputs
    if shape is None and isinstance(traced, (Tensor, TensorTuple)):
        if isinstance(traced, TensorTuple):
            return TensorTuple(tuple(Tensor(t.shape, t.dtype) for t in traced.items))
        return Tensor(traced.shape, traced.dtype)  # a new value: the traced one may be the input itself
    if shape is None or not known(shape) or callable(shape) or not isinstance(shape, (tuple, list)):
        if shape is None:
            layer.warn("unfollowed-code", detail="cannot check `Lambda`: Keras runs its function to find the output "
                       "shape, which shapelint does not do; the output shape is unknown (pass `output_shape=...` "
                       "to state it)")
        return Tensor(None)
    first = xs[0] if xs else Tensor(None)
    while isinstance(first, TensorTuple):
        first = first.items[0] if first.items else Tensor(None)
    batch = first.shape[0] if isinstance(first, Tensor) and first.shape else None

    def add_batch(s):
        if isinstance(s, (tuple, list)) and all(isinstance(d, int) or d is None for d in s):
            return Tensor((batch,) + tuple(s))
        if isinstance(s, (tuple, list)):
            return TensorTuple(tuple(add_batch(i) for i in s))
        return Tensor(None)

    return add_batch(shape)


# -- activations ---------------------------------------------------------------------------------------------
@krule(["Activation"], "activation, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def activation(layer, x: Tensor) -> Tensor:
    check_activation(layer)
    return x


@krule("ReLU", "max_value=None, negative_slope=0.0, threshold=0.0, **kwargs", weightless=True, keeps_shape=True,
       keeps_mask=True)
def relu(layer, x: Tensor) -> Tensor:
    non_negative(layer, "max_value", none_ok=True)
    non_negative(layer, "negative_slope")
    non_negative(layer, "threshold")
    return x


@krule("LeakyReLU", "negative_slope=0.3, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def leaky_relu(layer, x: Tensor) -> Tensor:
    non_negative(layer, "negative_slope")
    return x


@krule(["ELU"], "alpha=1.0, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def elu(layer, x: Tensor) -> Tensor:
    return x


@krule(["Softmax"], "axis=-1, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def softmax(layer, x: Tensor) -> Tensor:
    return x  # Keras 3 does not check `axis` when building symbolically


@krule("PReLU", "alpha_initializer='Zeros', alpha_regularizer=None, alpha_constraint=None, shared_axes=None, "
      "**kwargs", keeps_shape=True, keeps_mask=True)
def prelu(layer, x: Tensor) -> Tensor:
    shared = layer.arg("shared_axes")
    param_shape = list(x.shape[1:])
    if shared is not None:
        axes = list(shared) if isinstance(shared, (list, tuple)) else [shared]
        for i in axes:
            if not isinstance(i, int) or not -len(param_shape) <= i - 1 < len(param_shape):
                return Mismatch("axis-out-of-range", arg="shared_axes", axis=i, rank=len(x.shape),
                                received_shape=x.shape, remedy=remedies.name_existing_shared_axes())
            param_shape[i - 1] = 1
    n = prod(param_shape)
    if is_known(n):
        layer.params = n
    return x


# -- dropout and noise ---------------------------------------------------------------------------------------
@krule(["Dropout", "AlphaDropout"], "rate, noise_shape=None, seed=None, **kwargs", weightless=True, keeps_shape=True,
       keeps_mask=True)
def dropout(layer, x: Tensor) -> Tensor:
    rate_in_unit_interval(layer)
    _check_noise_shape(layer)
    return x


def _check_noise_shape(layer) -> None:
    """Dropout._validate_noise_shape: None, or a sequence of positive ints / None (not a string)."""
    ns = layer.raw("noise_shape")
    if ns is None or not known(ns) or layer.kind != "Dropout":
        return
    if isinstance(ns, str) or not isinstance(ns, (list, tuple)):
        raise invalid("noise_shape", f"expected a tuple of integers, got {ns!r}", remedies.pass_noise_shape_tuple())
    for d in ns:
        if d is not None and (not isinstance(d, int) or d <= 0):
            raise invalid("noise_shape", f"every entry must be a positive integer or None, got {d!r}",
                          remedies.pass_positive_noise_shape())


@krule("SpatialDropout1D", "rate, seed=None, name=None, dtype=None", weightless=True, keeps_shape=True)
def spatial_dropout1d(layer, x: Tensor) -> Tensor:
    rate_in_unit_interval(layer)
    bad = require_rank(x, ndim=3, layout="(batch, steps, channels)")
    return bad or x


@krule(["SpatialDropout2D", "SpatialDropout3D"], "rate, data_format=None, seed=None, name=None, dtype=None",
       weightless=True, keeps_shape=True)
def spatial_dropout(layer, x: Tensor) -> Tensor:
    rate_in_unit_interval(layer)
    check_data_format(layer)
    bad = require_rank(x, ndim=4 if layer.kind == "SpatialDropout2D" else 5)
    return bad or x


@krule("GaussianDropout", "rate, seed=None, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def gaussian_dropout(layer, x: Tensor) -> Tensor:
    rate_in_unit_interval(layer)
    return x


@krule("GaussianNoise", "stddev, seed=None, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def gaussian_noise(layer, x: Tensor) -> Tensor:
    rate_in_unit_interval(layer, "stddev")  # Keras 3.15 requires 0 <= stddev <= 1
    return x


@krule("ActivityRegularization", "l1=0.0, l2=0.0, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def activity_regularization(layer, x: Tensor) -> Tensor:
    for arg in ("l1", "l2"):
        v = layer.raw(arg)
        if is_number(v) and v < 0:
            raise invalid(arg, f"must be a non-negative float, got {v!r}", remedies.pass_non_negative(arg))
    return x


# -- Flatten -------------------------------------------------------------------------------------------------
def check_data_format(layer, arg: str = "data_format") -> None:
    """backend.standardize_data_format: None, 'channels_last' or 'channels_first' (any case)."""
    v = layer.raw(arg)
    if isinstance(v, str) and v.lower() not in ("channels_last", "channels_first"):
        raise invalid(arg, f"must be 'channels_last' or 'channels_first', got {v!r}",
                      remedies.pass_channels_last_or_first())


@krule("Flatten", "data_format=None, **kwargs", weightless=True)
def flatten(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    rest = x.shape[1:]
    if not rest:
        return Tensor((x.shape[0], 1), x.dtype)
    return Tensor((x.shape[0], prod(rest) if all(is_known(d) for d in rest) else None), x.dtype)


__all__ = ["analyze_einsum", "check_data_format"]
