"""Keras normalization layers: BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization,
RMSNormalization. All keep the input shape; what fails is an axis outside the input's rank, GroupNormalization's
groups not dividing the channels, and weights over an axis of unknown size (normalizing over the batch axis, whose
size a model built from ``keras.Input(shape=...)`` does not fix)."""
from __future__ import annotations

from ...core.dims import is_known, prod
from ...core.errors import Mismatch
from ...core.values import Tensor
from ...diagnostics import remedies
from ._args import invalid, known, krule

_BN_SIG = ("axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, beta_initializer='zeros', "
           "gamma_initializer='ones', moving_mean_initializer='zeros', moving_variance_initializer='ones', "
           "beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, renorm=False, "
           "renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs")
_LN_SIG = ("axis=-1, epsilon=0.001, center=True, scale=True, beta_initializer='zeros', gamma_initializer='ones', "
           "beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs")
_GN_SIG = ("groups=32, axis=-1, epsilon=0.001, center=True, scale=True, beta_initializer='zeros', "
           "gamma_initializer='ones', beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, "
           "gamma_constraint=None, **kwargs")


def _axis_dim(layer, x: Tensor, axis, arg: str = "axis"):
    """input_shape[axis] as build() reads it: out of range raises; the batch axis has no fixed size."""
    rank = len(x.shape)
    if not isinstance(axis, int) or not -rank <= axis < rank:
        raise Mismatch("axis-out-of-range", arg=arg, axis=axis, rank=rank, received_shape=x.shape,
                       remedy=remedies.pass_axis_from_one_or_last(rank - 1))
    d = x.shape[axis]
    if axis % rank == 0 and d is None:
        raise invalid(arg, "axis 0 is the batch axis, whose size is not fixed, so the layer cannot create its "
                      "weights", remedies.normalize_over_feature_axis())
    return d


@krule("BatchNormalization", _BN_SIG, keeps_shape=True, keeps_mask=True)
def batch_normalization(layer, x: Tensor) -> Tensor:
    axis = layer.arg("axis")
    if isinstance(axis, float):
        axis = int(axis)  # BatchNormalization stores int(axis)
    if known(layer.raw("synchronized")) and layer.raw("synchronized"):
        raise invalid("synchronized", "synchronized=True is only supported with the TensorFlow backend",
                      remedies.remove_synchronized())
    d = _axis_dim(layer, x, axis)
    if is_known(d):
        n = 2 + (1 if layer.raw("center") is not False else 0) + (1 if layer.raw("scale") is not False else 0)
        n += 3 if layer.raw("renorm") else 0
        layer.params = n * d
    return x


def _axes(layer, arg: str = "axis"):
    axis = layer.arg(arg)
    if isinstance(axis, (list, tuple)):
        return sorted(axis) if all(isinstance(a, int) for a in axis) else list(axis)
    if isinstance(axis, int):
        return [axis]
    raise invalid(arg, f"must be an int or a list/tuple of ints, got {axis!r}", remedies.pass_integer_axis())


@krule("LayerNormalization", _LN_SIG, keeps_shape=True, keeps_mask=True)
def layer_normalization(layer, x: Tensor) -> Tensor:
    dims = [_axis_dim(layer, x, a) for a in _axes(layer)]
    n = prod(dims)
    if is_known(n):
        layer.params = n * ((1 if layer.raw("scale") is not False else 0) +
                            (1 if layer.raw("center") is not False else 0))
    return x


@krule("RMSNormalization", "axis=-1, epsilon=1e-06, **kwargs", keeps_shape=True)
def rms_normalization(layer, x: Tensor) -> Tensor:
    dims = [_axis_dim(layer, x, a) for a in _axes(layer)]
    n = prod(dims)
    if is_known(n):
        layer.params = n
    return x


@krule("GroupNormalization", _GN_SIG, keeps_shape=True, keeps_mask=True)
def group_normalization(layer, x: Tensor) -> Tensor:
    groups = layer.arg("groups")
    if not isinstance(groups, int) or (groups <= 0 and groups != -1):
        raise invalid("groups", f"must be a positive integer (or -1 for instance normalization), got {groups!r}",
                      remedies.pass_positive_group_count())
    axis = layer.arg("axis")
    dim = _axis_dim(layer, x, axis)
    if not is_known(dim):
        return x
    g = dim if groups == -1 else groups
    if dim < g:
        return Mismatch("channel-count-mismatch", arg="groups", expected=f"at least {g}", received=dim,
                        remedy=remedies.use_at_most_groups(dim))
    if dim % g:
        divisors = [k for k in range(1, dim + 1) if dim % k == 0]
        return Mismatch("invalid-argument", arg="groups",
                        detail=f"{g} groups do not divide the {dim} channels of axis {axis}",
                        remedy=remedies.use_dividing_group_count(dim, ', '.join(map(str, divisors[-3:]))))
    layer.params = dim * ((1 if layer.raw("scale") is not False else 0) +
                          (1 if layer.raw("center") is not False else 0))
    return x


@krule("UnitNormalization", "axis=-1, **kwargs", keeps_shape=True, keeps_mask=True)
def unit_normalization(layer, x: Tensor) -> Tensor:
    rank = len(x.shape)
    for a in _axes(layer):
        if not isinstance(a, int) or not -rank <= a < rank:
            return Mismatch("axis-out-of-range", arg="axis", axis=a, rank=rank, received_shape=x.shape,
                            remedy=remedies.pass_axis_between(-rank, rank - 1))
    layer.params = 0
    return x


@krule("SpectralNormalization", "layer, power_iterations=1, **kwargs")
def spectral_normalization(layer, x: Tensor):
    """Wraps a layer with a kernel (Dense, Conv...) or embeddings; the output is the wrapped layer's."""
    from .recurrent import apply_inner, inner_layer  # deferred: the recurrent rules load only for a wrapped RNN
    p = layer.raw("power_iterations")
    if isinstance(p, (int, float)) and p <= 0:
        raise invalid("power_iterations", f"must be greater than zero, got {p!r}", remedies.pass_one_power_iteration())
    inner = inner_layer(layer)
    if inner is None:
        return Tensor(None)
    if inner.kind in _NO_KERNEL:
        raise invalid("layer", f"`{inner.kind}` has no `kernel` nor `embeddings` weight to normalize",
                      remedies.wrap_layer_with_kernel())
    out = apply_inner(inner, x)
    width = next((inner.raw(a) for a in ("units", "filters", "output_dim") if isinstance(inner.raw(a), int)), None)
    if inner.params is not None and width is not None:
        layer.params = inner.params + width  # plus the power-iteration vector u, shape (1, kernel_shape[-1])
    return out


# layers whose weights (if any) are not a `kernel` or `embeddings`
_NO_KERNEL = frozenset({
    "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "ActivityRegularization", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "PReLU",
    "Flatten", "Masking", "Identity", "Lambda", "BatchNormalization", "LayerNormalization", "GroupNormalization",
    "UnitNormalization", "RMSNormalization", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
    "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "Reshape", "Permute", "RepeatVector"})
