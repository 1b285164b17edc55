"""Keras preprocessing and augmentation layers: Rescaling, Normalization, Resizing, CenterCrop, RandomCrop and the
shape-preserving random augmentations (RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomContrast,
RandomBrightness, ...).

Most keep the shape and accept any rank when a model is built (the image-rank check happens only on real data);
what fails is a factor outside the layer's range and an unknown fill mode or interpolation. Resizing / RandomCrop /
CenterCrop port ``compute_output_shape`` literally: on a tensor that is not a batch of images, Keras overwrites
whatever axes sit at the height/width positions (even the batch axis) -- we report the same shape.
"""
from __future__ import annotations

from ...core.dims import is_known, prod
from ...core.errors import Mismatch
from ...core.values import Tensor
from ...diagnostics import remedies
from ._args import invalid, is_number, known, krule
from .core import check_data_format

_FILL_MODES = ("reflect", "wrap", "constant", "nearest")
_INTERPOLATIONS = ("nearest", "bilinear")


def _channels_first(layer) -> bool:
    df = layer.raw("data_format")
    return isinstance(df, str) and df.lower() == "channels_first"


def _check_size(layer, arg: str):
    """The output size becomes a KerasTensor dim: a negative or non-integer size fails there."""
    v = layer.raw(arg)
    if not known(v):
        return None
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise invalid(arg, f"must be an integer, got {v!r}", remedies.pass_integer_arg(arg))
    if v < 0:
        raise invalid(arg, f"must not be negative, got {v!r}", remedies.pass_non_negative(arg))
    return v


# -- value layers --------------------------------------------------------------------------------------------
@krule("Rescaling", "scale, offset=0.0, **kwargs", weightless=True, keeps_shape=True, keeps_mask=True)
def rescaling(layer, x: Tensor) -> Tensor:
    return x


@krule("Normalization", "axis=-1, mean=None, variance=None, invert=False, **kwargs", keeps_shape=True, keeps_mask=True)
def normalization(layer, x: Tensor) -> Tensor:
    axis = layer.arg("axis")
    axes = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    mean, var = layer.arg("mean"), layer.arg("variance")
    if (mean is None) != (var is None):
        raise invalid("mean" if var is None else "variance", "`mean` and `variance` must be set together",
                      remedies.pass_mean_and_variance_or_neither())
    m_shape = _nested_shape(mean) if mean is not None else ()
    if mean is not None:
        if m_shape is None or _nested_shape(var) is None:
            return x  # not plain nested numbers: cannot check
        if m_shape != _nested_shape(var):
            raise invalid("variance", f"`mean` has shape {m_shape} but `variance` has shape {_nested_shape(var)}",
                          remedies.give_mean_variance_same_shape())
        if len(m_shape) > len(axes):
            raise invalid("mean", f"`mean` has rank {len(m_shape)} but only {len(axes)} axes are kept",
                          remedies.pass_mean_per_kept_axis())
    rank = len(x.shape)
    for a in axes:
        if not isinstance(a, int) or not -rank <= a < rank:
            return Mismatch("axis-out-of-range", arg="axis", axis=a, rank=rank, received_shape=x.shape,
                            remedy=remedies.pass_axis_between(-rank, rank - 1))
    keep = sorted(a % rank for a in axes)
    for d in keep:
        if x.shape[d] is None and d == 0:
            raise invalid("axis", "axis 0 is the batch axis, whose size is not fixed",
                          remedies.keep_feature_axis())
    adapted = layer.extra.get("adapted_shape")  # `adapt(data)` learned statistics for the data's kept sizes
    if mean is None and adapted is not None and len(adapted) == rank:
        for d in keep:
            size, want = adapted[d], x.shape[d]
            if is_known(size) and is_known(want) and size != want:
                return Mismatch("feature-count-mismatch", variant="adapted", expected=size, received=want,
                                remedy=remedies.adapt_on_what_the_layer_reads(size, want))
    if mean is not None and m_shape:
        for i in range(1, len(m_shape) + 1):
            size, want = m_shape[-i], x.shape[keep[-i]]
            if size != 1 and is_known(want) and size != want:
                return Mismatch("feature-count-mismatch", arg="mean", expected=size, received=want)
    if mean is not None:
        layer.params = 0
    else:  # adapt() state: mean and variance over the kept axes, and a count
        n = prod(x.shape[d] for d in keep)
        if is_known(n):
            layer.params = 2 * n + 1
    return x


def _nested_shape(v):
    """np.shape of nested lists of numbers; None when it is not a regular nested list."""
    if is_number(v) and not isinstance(v, bool):
        return ()
    if isinstance(v, (list, tuple)):
        shapes = [_nested_shape(i) for i in v]
        if any(s is None for s in shapes) or len(set(shapes)) > 1:
            return None
        return (len(v),) + (shapes[0] if shapes else ())
    return None


# -- resizing and cropping -----------------------------------------------------------------------------------
def _assign(shape: list, idx: int, value, x: Tensor, layer):
    if not -len(shape) <= idx < len(shape):
        raise Mismatch("rank-mismatch", expected="at least 3", received=len(x.shape), received_shape=x.shape,
                       layout=" (batch, height, width, channels)",
                       remedy=remedies.feed_image_batch())
    shape[idx] = value


@krule("Resizing", "height, width, interpolation='bilinear', crop_to_aspect_ratio=False, "
      "pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, antialias=False, data_format=None, **kwargs",
      weightless=True)
def resizing(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    h, w = _check_size(layer, "height"), _check_size(layer, "width")
    shape = list(x.shape)
    first = _channels_first(layer)
    if len(shape) == 4:
        hi, wi = (2, 3) if first else (1, 2)
    else:  # Keras treats any other rank as one unbatched image
        hi, wi = (1, 2) if first else (0, 1)
    _assign(shape, hi, h, x, layer)
    _assign(shape, wi, w, x, layer)
    return Tensor(tuple(shape), x.dtype)


@krule("CenterCrop", "height, width, data_format=None, **kwargs", weightless=True)
def center_crop(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    h, w = _check_size(layer, "height"), _check_size(layer, "width")
    if len(x.shape) not in (3, 4):
        return Mismatch("rank-mismatch", expected="3- or 4", received=len(x.shape), received_shape=x.shape,
                        layout=" (batch, height, width, channels)",
                        remedy=remedies.feed_image_batch())
    shape = list(x.shape)
    first = _channels_first(layer)
    if len(shape) == 4:
        hi, wi = (2, 3) if first else (1, 2)
    else:
        hi, wi = (1, 2) if first else (0, 1)
    shape[hi], shape[wi] = h, w
    return Tensor(tuple(shape), x.dtype)


@krule("RandomCrop", "height, width, seed=None, data_format=None, name=None, **kwargs", weightless=True)
def random_crop(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    h, w = _check_size(layer, "height"), _check_size(layer, "width")
    hi, wi = (-2, -1) if _channels_first(layer) else (-3, -2)
    shape = list(x.shape)
    _assign(shape, hi, h, x, layer)
    _assign(shape, wi, w, x, layer)
    return Tensor(tuple(shape), x.dtype)


# -- shape-preserving augmentations --------------------------------------------------------------------------
def _base_factor(layer, arg: str, lo: float, hi: float) -> None:
    """BaseImagePreprocessingLayer._set_factor: a number in [lo, hi], or a pair that overlaps [lo, hi]."""
    f = layer.raw(arg)
    if not known(f) or f is None:
        return
    ok = True
    if isinstance(f, (list, tuple)):
        ok = len(f) == 2 and all(is_number(v) for v in f) and not (f[0] > hi or f[1] < lo)
    elif is_number(f):
        ok = lo <= f <= hi
    else:
        ok = False
    if not ok:
        raise invalid(arg, f"must be a number (or a pair) in the range [{lo}, {hi}], got {f!r}",
                      remedies.pass_value_between(arg, lo, hi))


def _zoom_factor(layer, arg: str, lower_open: bool) -> None:
    """RandomZoom / RandomTranslation._set_factor: each number in (-1, 1] (zoom) or [-1, 1] (translation)."""
    f = layer.raw(arg)
    if not known(f):
        return
    values = list(f) if isinstance(f, (list, tuple)) else [f]
    if isinstance(f, (list, tuple)) and len(f) != 2:
        values = None
    bad = values is None or not all(is_number(v) for v in values) or any(
        v > 1.0 or (v <= -1.0 if lower_open else v < -1.0) for v in values)
    if bad:
        raise invalid(arg, f"must be a number (or a pair) in the range {'(-1, 1]' if lower_open else '[-1, 1]'}, "
                      f"got {f!r}", remedies.pass_between_minus_1_and_1(arg))


def _fill_and_interpolation(layer) -> None:
    fm, it = layer.raw("fill_mode"), layer.raw("interpolation")
    if known(fm) and fm not in _FILL_MODES:
        raise invalid("fill_mode", f"unknown fill mode {fm!r}", remedies.use_one_of(_FILL_MODES))
    if known(it) and it not in _INTERPOLATIONS:
        raise invalid("interpolation", f"unknown interpolation {it!r}", remedies.use_bilinear_or_nearest())


def _value_range(layer) -> None:
    v = layer.raw("value_range")
    if known(v) and (not isinstance(v, (list, tuple)) or len(v) != 2):
        raise invalid("value_range", f"must be a pair (low, high), got {v!r}", remedies.pass_value_range_0_255())


@krule("RandomFlip", "mode='horizontal_and_vertical', seed=None, data_format=None, **kwargs", weightless=True,
       keeps_shape=True)
def random_flip(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    return x


@krule("RandomRotation", "factor, fill_mode='reflect', interpolation='bilinear', seed=None, fill_value=0.0, "
      "data_format=None, **kwargs", weightless=True, keeps_shape=True)
def random_rotation(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    _base_factor(layer, "factor", -1, 1)
    _fill_and_interpolation(layer)
    return x


@krule("RandomZoom", "height_factor, width_factor=None, fill_mode='reflect', interpolation='bilinear', "
      "seed=None, fill_value=0.0, data_format=None, **kwargs", weightless=True, keeps_shape=True)
def random_zoom(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    _zoom_factor(layer, "height_factor", True)
    if layer.raw("width_factor") is not None:
        _zoom_factor(layer, "width_factor", True)
    _fill_and_interpolation(layer)
    return x


@krule("RandomTranslation", "height_factor, width_factor, fill_mode='reflect', interpolation='bilinear', "
      "seed=None, fill_value=0.0, data_format=None, **kwargs", weightless=True, keeps_shape=True)
def random_translation(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    _zoom_factor(layer, "height_factor", False)
    _zoom_factor(layer, "width_factor", False)
    _fill_and_interpolation(layer)
    return x


@krule("RandomContrast", "factor, value_range=(0, 255), seed=None, **kwargs", weightless=True, keeps_shape=True)
def random_contrast(layer, x: Tensor) -> Tensor:
    _base_factor(layer, "factor", 0, 1)
    return x


@krule("RandomBrightness", "factor, value_range=(0, 255), seed=None, **kwargs", weightless=True, keeps_shape=True)
def random_brightness(layer, x: Tensor) -> Tensor:
    _base_factor(layer, "factor", -1, 1)
    _value_range(layer)
    return x


@krule(["RandomGrayscale"], "factor=0.5, data_format=None, seed=None, **kwargs", weightless=True, keeps_shape=True)
def random_grayscale(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    f = layer.raw("factor")
    if is_number(f) and not 0 <= f <= 1:
        raise invalid("factor", f"must be between 0 and 1, got {f!r}", remedies.pass_factor_between_0_and_1())
    return x


@krule(["AutoContrast"], "value_range=(0, 255), **kwargs", weightless=True, keeps_shape=True)
def auto_contrast(layer, x: Tensor) -> Tensor:
    _value_range(layer)
    return x


# -- colour and other shape-preserving augmentations (factor checks as BaseImagePreprocessingLayer._set_factor) ---
_FACTOR_BOUNDS = {"RandomHue": (0, 1), "RandomSaturation": (-1, 1), "RandomSharpness": (0, 1),
                  "RandomInvert": (0, 1), "RandomPosterization": (1, 8), "RandomColorDegeneration": (-1, 1),
                  "CutMix": (0, 1), "RandAugment": (0, 1), "AugMix": (0, 1)}
_WITH_VALUE_RANGE = ("RandomSaturation", "RandomSharpness", "RandomPosterization", "RandomColorDegeneration",
                     "Equalization")


@krule("RandomHue", "factor, value_range=(0, 255), data_format=None, seed=None, **kwargs", weightless=True,
       keeps_shape=True)
@krule(["RandomSaturation", "RandomSharpness", "RandomPosterization", "RandomColorDegeneration"],
       "factor, value_range=(0, 255), data_format=None, seed=None, **kwargs", weightless=True, keeps_shape=True)
@krule("RandomInvert", "factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs", weightless=True,
       keeps_shape=True)
@krule("CutMix", "factor=1.0, seed=None, data_format=None, **kwargs", weightless=True, keeps_shape=True)
@krule("MixUp", "alpha=0.2, data_format=None, seed=None, **kwargs", weightless=True, keeps_shape=True)
@krule("RandAugment", "value_range=(0, 255), num_ops=2, factor=0.5, interpolation='bilinear', seed=None, "
       "data_format=None, **kwargs", weightless=True, keeps_shape=True)
@krule("AugMix", "value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True, "
       "interpolation='bilinear', seed=None, data_format=None, **kwargs", weightless=True, keeps_shape=True)
@krule("Equalization", "value_range=(0, 255), bins=256, data_format=None, **kwargs", weightless=True,
       keeps_shape=True)
def colour_augmentation(layer, x: Tensor) -> Tensor:
    check_data_format(layer)
    bounds = _FACTOR_BOUNDS.get(layer.kind)
    if bounds:
        _base_factor(layer, "factor", *bounds)
    if layer.kind in _WITH_VALUE_RANGE:
        _value_range(layer)
    if layer.kind == "RandomColorDegeneration":  # its compute_output_shape checks for RGB images
        if len(x.shape) not in (3, 4):
            return Mismatch("rank-mismatch", expected="3- or 4", received=len(x.shape), received_shape=x.shape,
                            layout=" (batch, height, width, 3)", remedy=remedies.feed_rgb_image_batch())
        ch = x.shape[-3] if _channels_first(layer) else x.shape[-1]
        if is_known(ch) and ch != 3:
            return Mismatch("channel-count-mismatch", expected=3, received=ch, arg="data_format")
    return x


@krule("RandomShear", "x_factor=0.0, y_factor=0.0, interpolation='bilinear', fill_mode='reflect', fill_value=0.0, "
       "data_format=None, seed=None, **kwargs", weightless=True, keeps_shape=True)
@krule("RandomPerspective", "factor=1.0, scale=1.0, interpolation='bilinear', fill_value=0.0, seed=None, "
       "data_format=None, **kwargs", weightless=True, keeps_shape=True)
@krule("RandomElasticTransform", "factor=1.0, scale=1.0, interpolation='bilinear', fill_mode='reflect', "
       "fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs", weightless=True,
       keeps_shape=True)
@krule(["RandomErasing"], "factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None, "
       "data_format=None, **kwargs", weightless=True, keeps_shape=True)
@krule(["RandomGaussianBlur"], "factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None, "
       "seed=None, **kwargs", weightless=True, keeps_shape=True)
@krule(["Solarization"], "addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs",
       weightless=True, keeps_shape=True)
@krule(["RandomColorJitter"], "value_range=(0, 255), brightness_factor=None, contrast_factor=None, "
       "saturation_factor=None, hue_factor=None, seed=None, data_format=None, **kwargs", weightless=True,
       keeps_shape=True)
def geometric_augmentation(layer, x: Tensor) -> Tensor:
    """Shape-preserving; only the data format and the interpolation are checked (their factor rules vary)."""
    check_data_format(layer)
    it = layer.raw("interpolation")
    if it is not None and known(it) and it not in _INTERPOLATIONS:
        raise invalid("interpolation", f"unknown interpolation {it!r}", remedies.use_bilinear_or_nearest())
    return x


@krule("CategoryEncoding", "num_tokens=None, output_mode='multi_hot', sparse=False, **kwargs", weightless=True)
def category_encoding(layer, x: Tensor) -> Tensor:
    """CategoryEncoding.compute_output_shape: the last axis becomes num_tokens (one_hot adds an axis unless the last
    axis is 1)."""
    mode = layer.raw("output_mode")
    mode = "multi_hot" if mode == "binary" else mode
    if known(mode) and mode not in ("count", "one_hot", "multi_hot"):
        raise invalid("output_mode", f"unknown output mode {mode!r}", remedies.use_valid_category_output_mode())
    n = layer.raw("num_tokens")
    if n is None:
        raise invalid("num_tokens", "num_tokens must be set", remedies.pass_category_count_as_num_tokens())
    if is_number(n) and n < 1:
        raise invalid("num_tokens", f"must be >= 1, got {n!r}", remedies.pass_positive_num_tokens())
    if not known(n) or not known(mode):
        return Tensor(None)
    shape = tuple(x.shape)
    if mode == "one_hot" and (shape[-1] != 1 or len(shape) == 1):
        return Tensor(shape + (n,), "float32")
    return Tensor(shape[:-1] + (n,), "float32")


@krule("Discretization", "bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode='int', sparse=False, "
       "dtype=None, name=None", weightless=True)
def discretization(layer, x: Tensor) -> Tensor:
    """Discretization.compute_output_shape (ported as is: multi_hot/count drop axis 1, not the last axis)."""
    mode, bins, bounds = layer.raw("output_mode"), layer.raw("num_bins"), layer.raw("bin_boundaries")
    if known(mode) and mode not in ("int", "one_hot", "multi_hot", "count"):
        raise invalid("output_mode", f"unknown output mode {mode!r}", remedies.use_valid_lookup_output_mode())
    if layer.raw("sparse") is True and mode == "int":
        raise invalid("sparse", "sparse=True needs output_mode 'one_hot', 'multi_hot' or 'count'",
                      remedies.remove_sparse())
    if is_number(bins) and bins < 0:
        raise invalid("num_bins", f"must be >= 0, got {bins!r}", remedies.pass_non_negative_num_bins())
    if bins is not None and bounds is not None and known(bins) and known(bounds):
        raise invalid("num_bins", "set either `num_bins` or `bin_boundaries`, not both", remedies.remove_one_of_them())
    if bins is None and bounds is None:
        raise invalid("num_bins", "set either `num_bins` or `bin_boundaries`",
                      remedies.pass_num_bins_or_boundaries())
    if not known(mode):
        return Tensor(None)
    shape = tuple(x.shape)
    if mode == "int":
        return Tensor(shape, "int64")
    depth = len(bounds) + 1 if isinstance(bounds, (list, tuple)) else bins if isinstance(bins, int) else None
    if mode == "one_hot":
        if shape and shape[-1] == 1 and len(shape) > 1:
            return Tensor(shape[:-1] + (depth,))
        return Tensor(shape + (depth,))
    if len(shape) >= 2:
        return Tensor((shape[0],) + shape[2:] + (depth,))
    return Tensor((depth,))
