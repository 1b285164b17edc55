"""Constructor-argument validation shared by the Keras rules, mirroring the checks Keras 3 makes in ``__init__``.

Every check reads the raw argument and stays silent when the value is not known statically: only a value Keras
would definitely reject raises a Mismatch (invalid-argument). Each helper names the Keras check it mirrors.
"""
from __future__ import annotations

from typing import Any

from ...core.errors import Mismatch
from ...core.program import UNRESOLVED
from ...diagnostics import remedies
from ...core.registry import Signature, rule
from ...core.values import Tensor, UNKNOWN

# keras.activations.ALL_OBJECTS_DICT (3.15): the string identifiers activations.get() accepts.
ACTIVATIONS = frozenset({
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid",
    "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh", "tanh_shrink", "threshold"})


def known(value: Any) -> bool:
    """True when a value is fully known (no UNRESOLVED anywhere inside)."""
    if value is UNRESOLVED:
        return False
    if isinstance(value, (list, tuple)):
        return all(known(v) for v in value)
    if isinstance(value, dict):
        return all(known(v) for v in value.values())
    return True


def is_int(value: Any) -> bool:
    """isinstance(value, int) as Keras writes it (bools count as ints unless a check excludes them)."""
    return isinstance(value, int)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float))


def invalid(arg: str, detail: str, remedy: str) -> Mismatch:
    return Mismatch("invalid-argument", arg=arg, detail=detail, remedy=remedy)


def check_activation(layer, arg: str = "activation") -> None:
    """activations.get(identifier): a string must name a registered activation."""
    value = layer.raw(arg)
    if isinstance(value, str) and value not in ACTIVATIONS:
        raise invalid(arg, f"unknown activation {value!r}",
                      remedies.use_keras_activation_name())


def positive_int(layer, arg: str, *, allow_bool: bool = True, what: str = "") -> Any:
    """``not isinstance(v, int) or v <= 0`` raises (Dense units, MultiHeadAttention num_heads...).
    Returns the value (or UNRESOLVED)."""
    value = layer.raw(arg)
    if not known(value):
        return UNRESOLVED
    bad = not isinstance(value, int) or value <= 0 or (not allow_bool and isinstance(value, bool))
    if bad:
        raise invalid(arg, f"must be a positive integer, got {value!r}",
                      remedies.pass_positive_integer(what or 'for `' + arg + '`'))
    return value


def rate_in_unit_interval(layer, arg: str = "rate") -> None:
    """Dropout family: ``not 0 <= rate <= 1`` raises."""
    value = layer.raw(arg)
    if is_number(value) and not 0 <= value <= 1:
        raise invalid(arg, f"must be between 0 and 1, got {value!r}", remedies.pass_between_0_and_1(arg))


def non_negative(layer, arg: str, *, none_ok: bool = False) -> None:
    value = layer.raw(arg)
    if value is None and not none_ok:
        raise invalid(arg, "must be a non-negative number, got None", remedies.pass_non_negative(arg))
    if is_number(value) and value < 0:
        raise invalid(arg, f"must be non-negative, got {value!r}", remedies.pass_non_negative(arg))


# -- registration --------------------------------------------------------------------------------------------
class _ShapeNeeded(Exception):
    """Raised by a placeholder input when a rule needs the shape of an input whose rank is unknown."""


class _UnknownInput:
    """Stands in for an input of unknown rank: argument checks (which Keras runs in ``__init__``, before it sees any
    input) still run; the first use of the shape stops the rule with an unknown output."""
    dtype = None

    def __getattr__(self, name):
        raise _ShapeNeeded(name)


# keras.layers.Layer.__init__ accepts these keyword arguments beyond a layer's own; anything else raises
# "Unrecognized keyword arguments passed to <Layer>" (batch_input_shape and batch_size included, in Keras 3).
BASE_KWARGS = frozenset({"activity_regularizer", "trainable", "dtype", "autocast", "name", "input_dim", "input_shape"})
# extra keyword arguments some layers pop before calling Layer.__init__
EXTRA_KWARGS = {"LSTM": {"implementation"}, "GRU": {"implementation"}, "LeakyReLU": {"alpha"},
                "Embedding": {"input_length"}, "LayerNormalization": {"rms_scaling"}}
IMAGE_LAYER_KWARGS = frozenset({"bounding_box_format"})


def check_kwargs(layer, params) -> None:
    """Layer.__init__: keyword arguments that neither the layer nor the base Layer accept raise."""
    extra = set(layer.given) - set(params) - BASE_KWARGS - EXTRA_KWARGS.get(layer.kind, set())
    extra -= IMAGE_LAYER_KWARGS  # accepted by every image preprocessing layer; harmless to skip elsewhere
    if extra:
        names = ", ".join(f"`{n}`" for n in sorted(extra))
        hint = ""
        if extra & {"batch_input_shape", "batch_size"}:
            hint = "; in Keras 3 declare the input with keras.Input(shape=..., batch_size=...) instead"
        raise Mismatch("invalid-argument", arg=sorted(extra)[0],
                       detail=f"`{layer.kind}` does not accept the keyword argument(s) {names}",
                       remedy=remedies.remove_arguments(names, hint))


def krule(kinds, signature: str = "**kwargs", **meta):
    """Register a Keras rule that still validates constructor arguments when an input's rank is unknown, and
    rejects keyword arguments the Keras layer does not accept."""

    sig = Signature.parse(signature)
    params = set(sig.defaults)
    weightless = meta.pop("weightless", False)  # the layer has no weights: count_params() is 0
    keeps_shape = meta.pop("keeps_shape", False)  # output shape == input shape: recover with the input

    def deco(fn):
        def checked(layer, *inputs):
            try:
                if sig.var_kwargs:
                    check_kwargs(layer, params)
                out = fn(layer, *inputs)
            except Mismatch as m:
                out = m
            if isinstance(out, Mismatch):
                if keeps_shape and out.recover is None and inputs and isinstance(inputs[0], Tensor) \
                        and inputs[0].shape is not None:
                    out.recover = inputs[0]  # one mistake, one diagnostic: later layers see the shape the fix gives
                raise out
            if weightless:
                layer.params = 0
            return out

        if meta.pop("accepts_unknown", False):  # the rule handles unknown inputs itself
            rule("keras", kinds, signature, accepts_unknown=True, **meta)(checked)
            return fn

        def run(layer, *inputs):
            if not any(isinstance(v, Tensor) and v.shape is None for v in inputs):
                return checked(layer, *inputs)
            try:
                checked(layer, *[_UnknownInput() if isinstance(v, Tensor) and v.shape is None else v for v in inputs])
            except (_ShapeNeeded, AttributeError, TypeError, IndexError):
                pass
            return UNKNOWN

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        run.shape_rule = fn
        rule("keras", kinds, signature, accepts_unknown=True, **meta)(run)
        return fn

    return deco
