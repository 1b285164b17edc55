"""Keras recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D and the Bidirectional / TimeDistributed wrappers.

Keras 3 checks an RNN's input against ``InputSpec(ndim=3)`` before building it, so the classic stacked-LSTM mistake
(the first LSTM without ``return_sequences=True`` hands a 2-D ``(batch, units)`` tensor to the next one) fails with
"expected ndim=3, found ndim=2". Output shapes follow ``RNN.compute_output_shape``.
"""
from __future__ import annotations

from ...core.dims import fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.formulas import conv_out_keras
from ...core.program import UNRESOLVED, Layer
from ...core.registry import lookup
from ...core.values import Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import InsertBefore, SetArg
from ._args import check_activation, invalid, is_number, known, krule, rate_in_unit_interval
from ._spec import FW, require_rank
from .core import check_data_format

RNN_KINDS = ("SimpleRNN", "LSTM", "GRU")
RECURRENT_PRODUCERS = RNN_KINDS + ("Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN")

_TAIL = ("return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False")
_INIT = ("kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros'")
_REG = ("kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, "
        "kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0")

SIGNATURES = {
    "SimpleRNN": f"units, activation='tanh', use_bias=True, {_INIT}, {_REG}, {_TAIL}, seed=None, **kwargs",
    "LSTM": (f"units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, {_INIT}, "
             f"unit_forget_bias=True, {_REG}, seed=None, {_TAIL}, use_cudnn='auto', **kwargs"),
    "GRU": (f"units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, {_INIT}, {_REG}, seed=None, "
            f"{_TAIL}, reset_after=True, use_cudnn='auto', **kwargs"),
}
_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
_STATES = {"SimpleRNN": 1, "LSTM": 2, "GRU": 1}


def stacked_rnn_hint(layer: Layer, x: Tensor):
    """(remedy, fix) for a recurrent layer that receives a 2-D tensor: when that tensor is the last-step output of
    a previous recurrent layer, the fix is ``return_sequences=True`` on that layer."""
    producer = layer.extra.get("producer_kind")
    if x.rank == 2 and producer in RECURRENT_PRODUCERS:
        inner = layer.extra.get("producer_args", {}).get("layer") if producer == "Bidirectional" else None
        where = (f"the `{inner.kind}` inside the previous `Bidirectional`" if isinstance(inner, Layer)
                 else f"the previous recurrent layer (`{producer}`)")
        remedy = (f"pass return_sequences=True to {where} so it outputs the whole sequence (batch, steps, units) "
                  "instead of only its last step")
        wrapped = producer == "Bidirectional"  # the edit belongs to the wrapped layer's call
        fix = SetArg("return_sequences", "True", applicability="unsafe",
                     target="producer.layer" if wrapped else "producer",
                     title="set `return_sequences=True` on the previous recurrent layer")
        return remedy, fix
    if x.rank == 2 and is_known(x.shape[1]) and producer in (None, "InputLayer"):  # the data has no time axis
        steps = x.shape[1]
        return (f"feed a 3-D tensor (batch, timesteps, features): to read the {steps} values as {steps} time steps "
                f"of one feature, reshape them with `Reshape(({steps}, 1))` first (or reshape the data to "
                f"(samples, {steps}, 1) and declare that input shape)"), \
            InsertBefore(f"Reshape(({steps}, 1))", title=f"insert `Reshape(({steps}, 1))` so each value is a time step")
    return ("feed a 3-D tensor (batch, timesteps, features); reshape the input or add a time axis "
            "(e.g. with Reshape or RepeatVector)"), None


def _units(layer):
    """RNN cells: ``if units <= 0: raise``; a non-integer fails when the weights are created."""
    units = layer.raw("units")
    if not known(units):
        return UNRESOLVED
    if is_number(units) and units <= 0:
        raise invalid("units", f"must be a positive integer, got {units!r}", remedies.pass_positive_units())
    forget_bias = (layer.kind == "LSTM" and layer.raw("use_bias") is not False
                   and layer.raw("unit_forget_bias") is not False)
    if not isinstance(units, int) or (isinstance(units, bool) and forget_bias):
        # LSTM(True) fails creating its unit-forget-gate bias (ones((True,))); otherwise True builds as 1 unit
        raise invalid("units", f"must be an integer, got {units!r}", remedies.pass_positive_integer_units())
    return int(units) if isinstance(units, bool) else units  # keeps where the number was written (provenance)


def _rnn_core(layer: Layer, x: Tensor):
    """Shared checks of SimpleRNN / LSTM / GRU."""
    try:
        units = _units(layer)
    except Mismatch as m:  # continue as if `units` were fixed: the output has an unknown number of units
        if isinstance(x, Tensor) and x.rank == 3:
            m.recover = _rnn_output(layer, x.shape, UNRESOLVED)
        raise
    check_activation(layer)
    if layer.kind != "SimpleRNN":
        check_activation(layer, "recurrent_activation")
        cudnn = layer.raw("use_cudnn")
        if known(cudnn) and cudnn not in ("auto", True, False):
            raise invalid("use_cudnn", f"must be 'auto', True or False, got {cudnn!r}", remedies.pass_use_cudnn_auto())
    remedy, fix = stacked_rnn_hint(layer, x)
    bad = require_rank(x, ndim=3, layout="(batch, timesteps, features)", remedy=remedy, fix=fix)
    if bad:
        if x.rank == 2 and layer.extra.get("producer_kind") in RECURRENT_PRODUCERS:
            # continue as if the producer returned sequences: (batch, ?, features)
            bad.recover = _rnn_output(layer, (x.shape[0], None, x.shape[-1]), units)
        elif isinstance(fix, InsertBefore):  # continue as if the values were reshaped into time steps
            bad.recover = _rnn_output(layer, (x.shape[0], x.shape[1], 1), units)
        raise bad
    _check_stateful(layer, x)
    _check_initial_state(layer, x, units)
    feat = x.shape[-1]
    if units is not UNRESOLVED and is_known(feat):
        g = _GATES[layer.kind]
        bias = 0
        if layer.raw("use_bias") is not False:
            bias = g * units * (2 if layer.kind == "GRU" and layer.raw("reset_after") is not False else 1)
        layer.params = g * units * (feat + units) + bias
    return _rnn_output(layer, x.shape, units)


def _check_initial_state(layer: Layer, x: Tensor, units) -> None:
    """``initial_state=[h, c]``: each state is (batch, units) -- the cell multiplies it by its (units, gates * units)
    recurrent kernel, so a wider state (a bidirectional encoder's concatenated directions) fails at the first step
    (Keras raises when the model runs, not when the graph is built)."""
    states = layer.call_kwargs.get("initial_state")
    if states is None:
        return
    items = list(states.items) if isinstance(states, TensorTuple) else list(states) \
        if isinstance(states, (list, tuple)) else [states]
    _check_state_count_and_rank(layer, x, units, items, listed=isinstance(states, (list, tuple, TensorTuple)))
    if not isinstance(units, int):
        return
    for s in items:
        shape = getattr(s, "shape", None)
        if shape is None or len(shape) != 2 or not isinstance(shape[-1], int) or shape[-1] == units:
            continue
        raise Mismatch("incompatible-input-shape", arg="units", expected=units, received=shape[-1],
                       received_shape=tuple(shape), detail=f"each initial state must be (batch, {units}), the layer's "
                       f"units, but one is {fmt_shape(tuple(shape))}",
                       remedy=remedies.state_width_is_units(units, shape[-1]),
                       fix=SetArg("units", str(shape[-1]), "unsafe", title=f"give the layer {shape[-1]} units"),
                       recover=_rnn_output(layer, x.shape, units))


def _check_state_count_and_rank(layer: Layer, x: Tensor, units, items: list, listed: bool) -> None:
    """The cell reads ``states[0]`` (and an LSTM ``states[1]``) as (batch, units) matrices: a 3-D tensor among them
    -- an encoder's whole ``[sequences, state...]`` output passed on, its sequence first -- fails inside the cell, and
    so does an LSTM given one state or a SimpleRNN given more than one (keras 3.15: LSTMCell indexes ``states[1]``;
    SimpleRNN unflattens its one state). A GRU or an LSTM ignores states beyond those it reads."""
    need = _STATES[layer.kind]
    shapes = [getattr(s, "shape", None) for s in items]
    recover = _rnn_output(layer, x.shape, units)
    for i, shape in enumerate(shapes[:need]):
        if shape is not None and len(shape) != 2:
            raise Mismatch("incompatible-input-shape", variant="initial-state", arg="initial_state",
                           received_shape=tuple(shape), state_is_sequence=len(shape) == 3, state_index=i,
                           detail=f"initial state {i} is {fmt_shape(tuple(shape))}, but each state is one (batch, "
                                  f"units) matrix", remedy=remedies.state_is_a_sequence(i, len(shape)),
                           recover=recover)
    if not listed or not all(getattr(s, "shape", None) is not None for s in items):
        return  # how many states there are is known only when each of them is
    if len(items) < need or (layer.kind == "SimpleRNN" and len(items) > need):
        raise Mismatch("incompatible-input-shape", variant="initial-state", arg="initial_state",
                       state_count=len(items),
                       detail=f"`{layer.kind}` takes {need} initial state{'s' if need > 1 else ''}, but is given "
                              f"{len(items)}", remedy=remedies.state_count(layer.kind, need), recover=recover)


def _check_stateful(layer: Layer, x: Tensor) -> None:
    """RNN.build: ``stateful=True`` needs a static batch size (keras.Input(batch_size=...))."""
    if layer.raw("stateful") is True and x.shape[0] is None:
        raise Mismatch("incompatible-input-shape", arg="stateful", received_shape=x.shape,
                       detail="a stateful RNN needs a fixed batch size, but the batch axis is None",
                       remedy=remedies.declare_batch_size())


def _rnn_output(layer: Layer, shape: tuple, units):
    """RNN.compute_output_shape: (batch, [steps,] units), plus one (batch, units) per state with return_state."""
    u = units if units is not UNRESOLVED else None
    batch, steps = shape[0], shape[1]
    seq = layer.raw("return_sequences")
    st = layer.raw("return_state")
    if not known(seq) or not known(st):
        return Tensor(None)
    out = Tensor((batch, steps, u)) if seq else Tensor((batch, u))
    if st:
        return TensorTuple((out,) + tuple(Tensor((batch, u)) for _ in range(_STATES[layer.kind])))
    return out


for _kind in RNN_KINDS:
    # the steps' mask passes on when every step is returned (RNN.compute_mask)
    krule(_kind, SIGNATURES[_kind], recurrent=True, keeps_mask="sequences")(_rnn_core)


# -- ConvLSTM ------------------------------------------------------------------------------------------------
_CONV_LSTM_SIG = ("filters, kernel_size, strides=1, padding='valid', data_format=None, dilation_rate=1, "
                  "activation='tanh', recurrent_activation='sigmoid', use_bias=True, " + _INIT +
                  ", unit_forget_bias=True, " + _REG + ", seed=None, return_sequences=False, return_state=False, "
                  "go_backwards=False, stateful=False, **kwargs")


def standardize_tuple(layer: Layer, arg: str, n: int, allow_zero: bool = False):
    """keras.src.utils.argument_validation.standardize_tuple: an int or n ints, each > 0 (>= 0 with allow_zero)."""
    value = layer.arg(arg)
    if isinstance(value, int):
        values = (value,) * n
    elif isinstance(value, (list, tuple)) and len(value) == n and all(isinstance(v, int) for v in value):
        values = tuple(value)
    else:
        raise invalid(arg, f"must be an int or a tuple of {n} integers, got {value!r}",
                      remedies.pass_int_or_tuple(arg, n))
    if any(v < 0 or (v == 0 and not allow_zero) for v in values):
        raise invalid(arg, f"values must be {'>= 0' if allow_zero else '> 0'}, got {value!r}",
                      remedies.pass_positive_values(arg))
    return values


@krule(["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"], _CONV_LSTM_SIG, recurrent=True)
def conv_lstm(layer: Layer, x: Tensor):
    n = int(layer.kind[-2])
    filters = layer.arg("filters")
    kernel = standardize_tuple(layer, "kernel_size", n)
    strides = standardize_tuple(layer, "strides", n, allow_zero=True)
    padding = layer.arg("padding")
    if isinstance(padding, str):
        padding = padding.lower()
        if padding not in ("valid", "same"):
            raise invalid("padding", f"must be 'valid' or 'same', got {layer.raw('padding')!r}",
                          remedies.pass_padding_valid_or_same())
    check_data_format(layer)
    df = layer.raw("data_format")
    channels_first = isinstance(df, str) and df.lower() == "channels_first"
    dilation = standardize_tuple(layer, "dilation_rate", n)
    if max(strides) > 1 and max(dilation) > 1:
        raise invalid("strides", "strides > 1 cannot be combined with dilation_rate > 1",
                      remedies.use_strides_or_dilation_rate_1())
    check_activation(layer)
    check_activation(layer, "recurrent_activation")
    remedy, fix = stacked_rnn_hint(layer, x)
    bad = require_rank(x, ndim=n + 3, remedy=remedy if fix else
                       remedies.feed_sequence_of_rank(n + 3, n))
    if bad:
        return bad
    if not isinstance(padding, str):
        raise invalid("padding", f"must be 'valid' or 'same', got {padding!r}", remedies.pass_padding_valid_or_same())
    if not isinstance(filters, int) or isinstance(filters, bool):
        raise invalid("filters", f"must be an integer, got {filters!r}", remedies.pass_positive_filters())
    if any(s == 0 for s in strides):
        return Tensor(None)  # numpy divides by zero in Keras; the outcome is not a clean shape
    spatial = x.shape[3:] if channels_first else x.shape[2:-1]
    channels = x.shape[2] if channels_first else x.shape[-1]
    out_spatial = []
    for size, k, s, d in zip(spatial, kernel, strides, dilation):
        o = conv_out_keras(size, k, s, padding, d)
        if is_known(o) and o <= 0 and padding == "valid":
            return Mismatch("non-positive-output-size", arg="kernel_size", received_shape=x.shape,
                            detail=f"a spatial size of {size} with kernel {k} (dilation {d}, stride {s}) "
                                   f"leaves {o}", remedy=remedies.use_same_padding_or_smaller_kernel())
        out_spatial.append(o)
    if filters < 0:
        return Tensor(None)
    if is_known(channels):
        k = 1
        for v in kernel:
            k *= v
        bias = 4 * filters if layer.raw("use_bias") is not False else 0
        layer.params = k * channels * 4 * filters + k * filters * 4 * filters + bias
    state = (filters, *out_spatial) if channels_first else (*out_spatial, filters)
    batch, steps = x.shape[0], x.shape[1]
    seq, st = layer.raw("return_sequences"), layer.raw("return_state")
    if not known(seq) or not known(st):
        return Tensor(None)
    out = Tensor((batch, steps) + tuple(state)) if seq else Tensor((batch,) + tuple(state))
    if st:
        return TensorTuple((out, Tensor((batch,) + tuple(state)), Tensor((batch,) + tuple(state))))
    return out


# -- wrappers ------------------------------------------------------------------------------------------------
def inner_layer(layer: Layer, arg: str = "layer"):
    """The wrapped layer: a Layer, None when unknown; a known non-layer value is invalid (Keras raises)."""
    inner = layer.raw(arg)
    if isinstance(inner, Layer):
        return inner
    literal = isinstance(inner, (int, float, str, list, tuple)) or (inner is None and arg == "layer")
    if not literal or not known(inner):
        return None  # unknown, or something we cannot see into (a user-defined layer, a config dict...)
    raise invalid(arg, f"must be a Keras layer instance, got {inner!r}", remedies.pass_layer_instance(arg))


def apply_inner(inner: Layer, x):
    """Run the wrapped layer's rule on ``x``; returns a Value or raises the inner layer's Mismatch."""
    problems = inner.extra.get("bind_problems")
    if problems:
        raise Mismatch("invalid-argument", arg="layer", detail=f"`{inner.kind}`: " + "; ".join(problems),
                       remedy=remedies.check_arguments(inner.kind))
    r = lookup(inner.framework, inner.kind)
    if r is None:
        return Tensor(None)
    if isinstance(x, Tensor) and x.shape is None and not r.accepts_unknown:
        return Tensor(None)
    out = r.fn(inner, x)
    if isinstance(out, Mismatch):
        raise out
    return out if out is not None else Tensor(None)


_BIDI_MODES = ("sum", "mul", "ave", "concat", None)
_RECURRENT_ATTRS = ("stateful", "return_sequences", "return_state")


@krule("Bidirectional", "layer, merge_mode='concat', weights=None, backward_layer=None, **kwargs",
       recurrent=True, keeps_mask="sequences")  # it wraps a recurrent layer and reads the steps as it does
def bidirectional(layer: Layer, x: Tensor):
    fwd = inner_layer(layer)
    bwd = inner_layer(layer, "backward_layer")
    mode = layer.raw("merge_mode")
    if known(mode) and mode not in _BIDI_MODES:
        raise invalid("merge_mode", f"must be one of 'sum', 'mul', 'ave', 'concat' or None, got {mode!r}",
                      remedies.pass_valid_merge_mode())
    if fwd is None:
        return Tensor(None)
    if fwd.kind not in RNN_KINDS + ("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"):
        if lookup(FW, fwd.kind) is not None:
            raise invalid("layer", f"`{fwd.kind}` is not a recurrent layer (it has no `go_backwards`)",
                          remedies.wrap_recurrent_layer())
        return Tensor(None)
    if bwd is None and fwd.raw("go_backwards") is True:
        # the backward copy is the forward layer with go_backwards=True: both would run backwards
        raise invalid("layer", "the wrapped layer has go_backwards=True, so the forward and backward copies "
                      "would both run backwards", remedies.remove_go_backwards())
    if bwd is not None:
        for a in ("go_backwards",) + _RECURRENT_ATTRS:
            fv, bv = fwd.raw(a), bwd.raw(a)
            if not known(fv) or not known(bv):
                continue
            if (a == "go_backwards") == (bool(fv) != bool(bv)):
                continue
            if a == "go_backwards":
                raise invalid("backward_layer", "forward and backward layers need different `go_backwards`",
                              remedies.give_backward_layer_go_backwards())
            raise invalid("backward_layer", f"forward and backward layers differ in `{a}`",
                          remedies.give_backward_layer_same(a))
    try:
        out = apply_inner(fwd, x)
    except Mismatch as m:
        if m.code == "rank-mismatch":
            m.facts["kind"] = f"Bidirectional({fwd.kind})"
        raise
    if bwd is not None:
        apply_inner(bwd, x)
    if fwd.params is not None and (bwd is None or bwd.params is not None):
        layer.params = fwd.params + (bwd.params if bwd is not None else fwd.params)
    if not known(mode):
        return Tensor(None)
    states = ()
    if isinstance(out, TensorTuple):
        out, states = out.items[0], tuple(out.items[1:])
    if out.shape is None:
        return Tensor(None)
    if mode == "concat":
        last = out.shape[-1]
        out = Tensor(out.shape[:-1] + (last * 2 if is_known(last) else None,))
    if mode is None:
        items = (out, out) + states + states
        return TensorTuple(items)
    if states:
        return TensorTuple((out,) + states + states)
    return out


@krule("TimeDistributed", "layer, **kwargs", keeps_mask=True)
def time_distributed(layer: Layer, x: Tensor):
    inner = inner_layer(layer)
    if x.rank < 3:
        remedy, fix = stacked_rnn_hint(layer, x)  # after an RNN that returns its last step only
        if not isinstance(fix, SetArg):
            remedy, fix = "feed TimeDistributed a tensor with a time axis: (batch, time, features...)", None
        return Mismatch("rank-mismatch", expected="at least 3", received=x.rank, received_shape=x.shape,
                        layout=" (batch, time, ...)", remedy=remedy, fix=fix)
    if inner is None:
        return Tensor(None)
    child = Tensor((x.shape[0],) + tuple(x.shape[2:]), x.dtype)
    out = _time_step(inner, child)
    layer.params = inner.params
    if not isinstance(out, Tensor) or out.shape is None or len(out.shape) < 1:
        return Tensor(None)
    return Tensor((out.shape[0], x.shape[1]) + tuple(out.shape[1:]), out.dtype)


def _time_step(inner: Layer, child: Tensor):
    """TimeDistributed builds the inner layer and asks its compute_output_shape directly, skipping the inner
    layer's InputSpec: a SpatialDropout keeps any shape, and an RNN reads (batch, steps, ..., features) without
    the ndim=3 check (but a 2-D step leaves its kernel without a feature size, which fails)."""
    if inner.kind.startswith("SpatialDropout"):
        rate_in_unit_interval(inner)
        inner.params = 0
        return child
    if inner.kind in RNN_KINDS and child.rank is not None and child.rank != 3:
        if child.rank < 3:
            raise Mismatch("rank-mismatch", expected="at least 4", received=child.rank + 1,
                           received_shape=(child.shape[0], None) + tuple(child.shape[1:]),
                           layout=" (batch, time, steps, features)",
                           remedy=remedies.feed_sequence_per_time_step(inner.kind))
        child = Tensor((child.shape[0], child.shape[1], child.shape[-1]), child.dtype)
    try:
        return apply_inner(inner, child)
    except Mismatch as m:
        # a convolution's output-shape formula needs the right rank too; other layers' rank contracts are their
        # InputSpec, which TimeDistributed never checks (e.g. GlobalAveragePooling2D accepts any rank there)
        if m.code == "rank-mismatch" and not inner.kind.startswith("Conv"):
            return Tensor(None)
        raise
