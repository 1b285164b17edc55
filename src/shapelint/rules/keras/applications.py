"""keras.applications models used as a layer (transfer learning): ``base = MobileNetV2(input_shape=(160, 160, 3),
include_top=False)`` then ``base(x)`` or ``Sequential([base, GlobalAveragePooling2D(), Dense(1)])``.

Only what was checked against real Keras 3.15.1 (weights=None, channels_last) is stated, everything else is unknown:
- ``include_top=True`` (the default): (batch, classes), ``classes`` defaulting to 1000;
- ``include_top=False`` with ``pooling='avg'`` / ``'max'``: (batch, C), C the last block's channels (table below);
- ``include_top=False`` without pooling: (batch, H/32, W/32, C) when H and W are multiples of 32 (every model in
  ``STRIDE_32``), else (batch, None, None, C) -- the rounding of other sizes differs from model to model.
The width multiplier ``alpha`` of MobileNet/MobileNetV2 changes C: then C is unknown.
Positional arguments bind differently per model, so the signature takes any arguments and reads keywords only;
the input size is checked by Keras when the model is built, not here (never an error from this rule).
"""
from __future__ import annotations

from ...core.dims import is_known
from ...core.registry import rule
from ...core.values import Tensor

CHANNELS = {  # feature channels of the last block, include_top=False (real Keras 3.15.1)
    "MobileNetV2": 1280, "MobileNet": 1024, "ResNet50": 2048, "ResNet101": 2048, "ResNet50V2": 2048,
    "VGG16": 512, "VGG19": 512, "EfficientNetB0": 1280, "EfficientNetB3": 1536, "DenseNet121": 1024,
    "Xception": 2048, "InceptionV3": 2048,
}
STRIDE_32 = {"MobileNetV2", "MobileNet", "ResNet50", "ResNet101", "ResNet50V2", "VGG16", "VGG19", "EfficientNetB0",
             "EfficientNetB3", "DenseNet121"}


def declared_input(layer):
    """The input an application model is built for: ``input_shape=(H, W, C)`` given as a keyword, else (None, None,
    None, 3) -- Keras 3's default for ``include_top=False`` (``include_top=True`` is built for 224x224x3 or the
    model's own size: not stated here); None when not known."""
    shape = _kw(layer, "input_shape", None)
    if isinstance(shape, (tuple, list)) and len(shape) == 3 and \
            all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in shape):
        return (None,) + tuple(shape)
    if shape is None and _kw(layer, "include_top", True) is False and not layer.args.get("args") and \
            "input_tensor" not in layer.given:
        return (None, None, None, 3)
    return None


def _kw(layer, name, default):
    return layer.args.get(name, default) if name in layer.given else default


@rule("keras", tuple(CHANNELS), "*args, **kwargs", accepts_unknown=True, application=True)  # a whole model
def application(layer, *xs):
    x = xs[0] if xs else Tensor(None)
    batch = x.shape[0] if isinstance(x, Tensor) and x.shape else None
    if layer.args.get("args"):  # positional arguments: their meaning differs per model
        return Tensor(None)
    include_top = _kw(layer, "include_top", True)
    if include_top is True:
        classes = _kw(layer, "classes", 1000)
        return Tensor((batch, classes)) if isinstance(classes, int) and not isinstance(classes, bool) \
            else Tensor(None)
    if include_top is not False:
        return Tensor(None)
    channels = CHANNELS[layer.kind] if "alpha" not in layer.given else None
    pooling = _kw(layer, "pooling", None)
    if pooling in ("avg", "max"):
        return Tensor((batch, channels))
    if pooling is not None or _kw(layer, "data_format", None) is not None:
        return Tensor(None)
    if not (isinstance(x, Tensor) and x.shape is not None and len(x.shape) == 4):
        return Tensor((batch, None, None, channels))
    spatial = []
    for d in x.shape[1:3]:
        ok = layer.kind in STRIDE_32 and is_known(d) and isinstance(d, int) and d % 32 == 0 and d > 0
        spatial.append(d // 32 if ok else None)
    return Tensor((batch,) + tuple(spatial) + (channels,))
