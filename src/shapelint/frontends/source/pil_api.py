"""PIL images in data code: ``Image.open(path).convert("RGB").resize((W, H))`` then ``np.asarray(img)``. What a
script's images look like when they reach the model is decided here: ``size`` is (width, height) -- the reverse of
an array's (height, width) -- and ``np.asarray`` gives (H, W, 3) for an RGB image, (H, W) for a grayscale one, with
no channel axis. An image of unknown mode or size keeps those axes unknown; nothing is guessed."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from ...core.names import image_side
from ...core.program import UNRESOLVED
from . import api
from . import data_api  # noqa: F401  (numpy.array's handler is registered first, then wrapped below)
from .data_api import _int, make
from .objects import TensorVal

# channels of each mode's array: None means a 2-D (H, W) array
_CHANNELS = {"RGB": 3, "RGBA": 4, "RGBX": 4, "CMYK": 4, "YCbCr": 3, "LAB": 3, "HSV": 3, "LA": 2, "PA": 2,
             "L": None, "1": None, "P": None, "I": None, "F": None, "I;16": None}
_DTYPES = {"F": "float32", "I": "int32", "1": "bool", "I;16": "uint16"}


@dataclass(frozen=True)
class SizeAsHeightWidth:
    """A size PIL reads as (width, height) written as (height, width) by its names; ``width`` and ``height`` are
    what PIL makes of it."""
    span: object
    width: object
    height: object


class PILImage:
    """A PIL image: ``width``, ``height`` (None when not known) and ``mode`` (None when not known)."""

    def __init__(self, width, height, mode: Optional[str], origin=None, note: Optional[str] = None):
        self.width, self.height, self.mode = width, height, mode
        self.origin, self.note = origin, note

    def like(self, ev, node, width=None, height=None, mode=None, keep_size: bool = True) -> "PILImage":
        w = width if width is not None else (self.width if keep_size else None)
        h = height if height is not None else (self.height if keep_size else None)
        return PILImage(w, h, mode if mode is not None else self.mode, ev.span(node), ev.text(node))

    def array_shape(self) -> Optional[tuple]:
        if self.mode not in _CHANNELS:
            return None
        c = _CHANNELS[self.mode]
        return (self.height, self.width) if c is None else (self.height, self.width, c)


def _size_pair(v) -> tuple:
    if isinstance(v, (tuple, list)) and len(v) == 2:
        return tuple(x if _int(x) else None for x in v)
    return None, None


@api.handles("PIL.Image.open")
def image_open(ev, call):
    return PILImage(None, None, None, ev.span(call.node), ev.text(call.node))


@api.handles("PIL.Image.new")
def image_new(ev, call):
    mode = call.get(0, "mode")
    w, h = _size_pair(call.get(1, "size"))
    return PILImage(w, h, mode if isinstance(mode, str) else None, ev.span(call.node), ev.text(call.node))


@api.handles("PIL.Image.fromarray")
def image_fromarray(ev, call):
    arr, mode = call.get(0, "obj"), call.get(1, "mode")
    shape = tuple(arr.shape) if isinstance(arr, TensorVal) and arr.shape is not None else None
    if shape is None or len(shape) not in (2, 3):
        return PILImage(None, None, mode if isinstance(mode, str) else None, ev.span(call.node), ev.text(call.node))
    h, w = shape[0], shape[1]
    if not isinstance(mode, str):
        mode = "L" if len(shape) == 2 else {3: "RGB", 4: "RGBA"}.get(shape[2]) if _int(shape[2]) else None
    return PILImage(w if _int(w) else None, h if _int(h) else None, mode, ev.span(call.node), ev.text(call.node))


@api.method(PILImage, "convert")
def convert(ev, img: PILImage, call):
    mode = call.get(0, "mode")
    if isinstance(mode, str):
        return img.like(ev, call.node, mode=mode)
    return PILImage(img.width, img.height, None, ev.span(call.node), ev.text(call.node))


@api.method(PILImage, "resize")
def resize(ev, img: PILImage, call):
    w, h = _size_pair(call.get(0, "size"))
    node = call.node_of(0, "size")
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 2 and \
            [image_side(e) for e in node.elts] == ["height", "width"]:
        # `resize((IMG_H, IMG_W))`: the names give (height, width), PIL reads (width, height) -- the image comes out
        # transposed; a mismatch of those two sizes downstream is blamed here (rootcause/causes/library.py)
        ev.state.size_as_height_width.append(SizeAsHeightWidth(ev.span(node), w, h))
    return PILImage(w, h, img.mode, ev.span(call.node), ev.text(call.node))


@api.method(PILImage, "copy", "filter", "point")
def same_image(ev, img: PILImage, call):
    return img.like(ev, call.node)


@api.method(PILImage, "rotate")
def rotate(ev, img: PILImage, call):
    expand = call.get(2, "expand", False)  # rotate(angle, resample, expand, ...)
    return img.like(ev, call.node) if expand is False else img.like(ev, call.node, keep_size=False)


@api.method(PILImage, "crop")
def crop(ev, img: PILImage, call):
    box = call.get(0, "box")
    if isinstance(box, (tuple, list)) and len(box) == 4 and all(_int(v) for v in box):
        left, top, right, bottom = box
        return PILImage(right - left, bottom - top, img.mode, ev.span(call.node), ev.text(call.node))
    return img.like(ev, call.node, keep_size=False)


@api.method(PILImage, "thumbnail")
def thumbnail(ev, img: PILImage, call):  # in place, to at most the size given: the size is no longer known
    img.width = img.height = None
    return None


@api.attribute(PILImage, "size")
def a_size(ev, img: PILImage, node):
    return (img.width if img.width is not None else UNRESOLVED, img.height if img.height is not None else UNRESOLVED)


@api.attribute(PILImage, "width")
def a_width(ev, img: PILImage, node):
    return img.width if img.width is not None else UNRESOLVED


@api.attribute(PILImage, "height")
def a_height(ev, img: PILImage, node):
    return img.height if img.height is not None else UNRESOLVED


@api.attribute(PILImage, "mode")
def a_mode(ev, img: PILImage, node):
    return img.mode if img.mode is not None else UNRESOLVED


_NUMPY_ARRAY = ("numpy.array", "numpy.asarray", "numpy.asanyarray")
_previous = {name: api.find_handler(name)[0] for name in _NUMPY_ARRAY}


def _array_of_image(name: str):
    @api.takes_numbers  # as the handler it hands other values to (a list of numbers: data_api.array)
    def handler(ev, call):
        img = call.args[0] if call.args else None
        if not isinstance(img, PILImage):
            return _previous[name](ev, call)
        shape = img.array_shape()
        if shape is None:
            return UNRESOLVED
        dtype = data_api.dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else \
            data_api.dtype_name(call.args[1]) if len(call.args) > 1 else _DTYPES.get(img.mode, "uint8")
        return make(shape, "numpy", dtype, ev, call.node, meta={"pil_mode": img.mode})
    return handler


for _name in _NUMPY_ARRAY:
    api.handles(_name)(_array_of_image(_name))
