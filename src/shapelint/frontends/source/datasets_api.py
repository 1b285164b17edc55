"""Datasets and loaders: the data a script trains on, with the real shapes and dtypes of the common sources.

* ``keras.datasets.{mnist, fashion_mnist, cifar10, cifar100, imdb, reuters, boston_housing,
  california_housing}.load_data()``
* torchvision datasets (MNIST, FashionMNIST, KMNIST, CIFAR10/100, SVHN, STL10, ImageFolder) with the common
  transforms (ToTensor, Resize, CenterCrop, RandomCrop, Grayscale, Normalize, ...) and ``TensorDataset``,
  ``random_split``, user ``Dataset`` subclasses (their ``__getitem__`` is followed) and ``DataLoader`` batches
  (``for x, y in loader:`` runs the loop body once, on a sample batch; what it accumulates is unknown after)
* ``sklearn.model_selection.train_test_split``, ``tf.data.Dataset.from_tensor_slices(...).batch(n)``, and pandas
  frames where the column count is knowable.

Shapes that cannot be known (a CSV's rows, an ImageFolder's image size before any Resize) stay unknown.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from typing import Any, Optional

from ...core import provenance
from ...core.dims import is_known
from ...core.program import Span, UNRESOLVED
from ...checks.report import emit, first_time, shape_text, span_text
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import parse_expression
from ...diagnostics.model import Edit, Fix
from . import api
from .data_api import DataVal, _int, dtype_name, kind_dtype, make
from .evaluator import Generated, Repeated, RowList
from .objects import Instance, Number, Opaque, TensorVal, UserFunction
from .pil_api import PILImage

# -- keras.datasets ----------------------------------------------------------------------------------------------
# name: (x_train shape, y_train shape, x_test shape, y_test shape, x dtype, y dtype, number of classes)
_KERAS_DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), "uint8", "uint8", 10),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), "uint8", "uint8", 10),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), "uint8", "uint8", 10),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), "uint8", "int64", 100),
    "imdb": ((25000,), (25000,), (25000,), (25000,), "object", "int64", 2),
    "reuters": ((8982,), (8982,), (2246,), (2246,), "object", "int64", 46),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,), "float64", "float64", None),
    "california_housing": ((16512, 8), (16512,), (4128, 8), (4128,), "float64", "float64", None),
}


@api.handles_prefix("keras.datasets.")
def keras_dataset(ev, call, rest: str):
    parts = rest.split(".")
    if len(parts) != 2 or parts[1] != "load_data" or parts[0] not in _KERAS_DATASETS:
        return UNRESOLVED
    name = parts[0]
    xtr, ytr, xte, yte, xdt, ydt, classes = _KERAS_DATASETS[name]
    if name == "cifar100" and call.kwargs.get("label_mode") == "coarse":
        classes = 20
    elif name == "cifar100" and call.kwargs.get("label_mode") not in (None, "fine"):
        classes = None
    if name in ("imdb", "reuters", "boston_housing", "california_housing") and (call.args or call.kwargs):
        # test_split / num_words / maxlen change sizes or the vocabulary; keep ranks, drop the counts
        if any(k in call.kwargs for k in ("test_split", "maxlen")) or call.args:
            xtr, ytr, xte, yte = ((None,) + xtr[1:], (None,), (None,) + xte[1:], (None,))
    if name == "california_housing" and call.kwargs.get("version") == "small":
        xtr, ytr, xte, yte = (480, 8), (480,), (120, 8), (120,)
    note = f"keras.datasets.{name}.load_data()"
    meta_y = {"num_classes": classes, "int_range": (0, classes)} if classes else {}
    kind = "tokens" if name in ("imdb", "reuters") else None

    def val(shape, dtype, meta):
        v = make(shape, "numpy", dtype, ev, call.node, note=note, meta=dict(meta))
        if kind:
            v.meta["sequences"] = True  # lists of word ids of varying length
            v = make(shape, "numpy", None, ev, call.node, note=note, meta=dict(v.meta))
        return v
    train = (val(xtr, xdt, {}), make(ytr, "numpy", ydt, ev, call.node, note=note, meta=meta_y))
    test = (val(xte, xdt, {}), make(yte, "numpy", ydt, ev, call.node, note=note, meta=meta_y))
    return (train, test)


# -- torchvision transforms ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class Transform:
    """A torchvision transform, as a function on the (channels, height, width, is_tensor, dtype) of an image."""
    kind: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)  # Compose
    made_at: Any = None  # Compose: the span of its call, where a missing step would be written; Normalize: its call
    stats_at: tuple = ()  # Normalize: the spans of its mean and std arguments

    def apply(self, img: Optional[dict]) -> Optional[dict]:
        if img is None:
            return None
        k = self.kind
        img = dict(img)
        a0 = self.args[0] if self.args else self.kwargs.get("size")
        if k == "Compose":
            for s in self.steps:
                img = s.apply(img) if isinstance(s, Transform) else None
                if img is None:
                    return None
            return img
        if k in ("ToTensor", "PILToTensor", "ToImage"):
            if img.get("tensor"):
                return img
            img["tensor"] = True
            img["dtype"] = "float32" if k == "ToTensor" else "uint8"
            return img
        if k == "Normalize":
            means = self.args[0] if self.args else self.kwargs.get("mean")
            c = img.get("c")
            if img.get("tensor") and isinstance(means, (tuple, list)) and _int(c) and len(means) not in (1, c) and \
                    not img.get("planes_first"):  # (a channels-first array read as (H, W, C): reported there)
                img["normalize_mismatch"] = (self, (c, img.get("h"), img.get("w")), len(means))  # sub_ in place
            return img
        if k in ("RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation", "ColorJitter",
                 "RandomAffine", "GaussianBlur", "RandomErasing", "RandomApply", "AutoAugment", "RandAugment",
                 "TrivialAugmentWide", "RandomAutocontrast", "RandomEqualize", "RandomInvert", "RandomPosterize",
                 "RandomSolarize", "RandomAdjustSharpness", "RandomPerspective", "RandomGrayscale"):
            return img
        if k in ("ConvertImageDtype", "ToDtype"):
            d = dtype_name(a0 if self.args else self.kwargs.get("dtype"))
            img["dtype"] = d
            return img
        if k == "Grayscale":
            n = self.args[0] if self.args else self.kwargs.get("num_output_channels", 1)
            img["c"] = n if _int(n) else None
            return img
        if k in ("CenterCrop", "RandomCrop", "RandomResizedCrop", "Resize", "FiveCrop", "TenCrop"):
            if k in ("FiveCrop", "TenCrop"):
                return None
            size = a0
            if isinstance(size, (list, tuple)) and len(size) == 1:
                size = size[0]
                if k == "Resize":
                    size = ("short", size)
            if _int(size):
                if k == "Resize":
                    h, w = img.get("h"), img.get("w")
                    if is_known(h) and is_known(w):
                        if h <= w:
                            img["h"], img["w"] = size, int(size * w / h) if h != w else size
                        else:
                            img["h"], img["w"] = int(size * h / w), size
                        if self.kwargs.get("max_size") is not None:
                            return None
                    else:
                        img["h"] = img["w"] = None
                    return img
                img["h"] = img["w"] = size
                return img
            if isinstance(size, tuple) and size and size[0] == "short":
                img["h"] = img["w"] = None
                return img
            if isinstance(size, (list, tuple)) and len(size) == 2 and all(_int(s) for s in size):
                img["h"], img["w"] = size
                return img
            return None
        if k == "Pad":
            p = a0 if self.args else self.kwargs.get("padding")
            if _int(p) and is_known(img.get("h")) and is_known(img.get("w")):
                img["h"] += 2 * p
                img["w"] += 2 * p
                return img
            return None
        return None  # Lambda and anything else: unknown


_TRANSFORMS = {"Compose", "ToTensor", "PILToTensor", "ToImage", "Normalize", "Resize", "CenterCrop", "RandomCrop",
               "RandomResizedCrop", "Grayscale", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation",
               "ColorJitter", "RandomAffine", "GaussianBlur", "RandomErasing", "ConvertImageDtype", "ToDtype",
               "Pad", "Lambda", "AutoAugment", "RandAugment", "TrivialAugmentWide", "RandomApply", "FiveCrop",
               "TenCrop", "RandomGrayscale", "RandomAutocontrast", "RandomEqualize", "RandomInvert",
               "RandomPosterize", "RandomSolarize", "RandomAdjustSharpness", "RandomPerspective"}


@api.handles_prefix("torchvision.transforms.")
def tv_transform(ev, call, rest: str):
    name = rest.split(".")[-1]
    if name not in _TRANSFORMS:
        return UNRESOLVED
    if name == "Compose":
        steps = call.args[0] if call.args else call.kwargs.get("transforms")
        if not isinstance(steps, (list, tuple)):
            return Transform("Lambda")
        return Transform("Compose", steps=list(steps), made_at=ev.span(call.node))
    if name == "Normalize":
        nodes = [call.node_of(0, "mean"), call.node_of(1, "std")]
        return Transform(name, tuple(call.args), dict(call.kwargs), made_at=ev.span(call.node),
                         stats_at=tuple(ev.span(n) for n in nodes) if None not in nodes else ())
    return Transform(name, tuple(call.args), dict(call.kwargs))


@api.method(Transform, "__call__")
def transform_call(ev, t: Transform, call):
    """A transform applied to one image outside a dataset -- ``preprocess(Image.open(path))`` before predicting --
    gives that image as the transform makes it: (C, H, W) after ``ToTensor``, with no batch axis."""
    img = _image_facts(call.args[0] if call.args else call.kwargs.get("img"))
    if img is not None and img.get("planes_first") and _reads_array_first(t):
        _planes_into_totensor(ev, call.args[0] if call.args else call.kwargs.get("img"), call)
    out = t.apply(img) if img is not None else None
    if out is not None and out.get("normalize_mismatch"):
        _normalize_mismatch(ev, *out["normalize_mismatch"])
    if out is None or not out.get("tensor"):
        return UNRESOLVED
    # a picture made a tensor here: its first axis is the picture's channels (not a batch), and the Compose is where
    # a step it lacks (a Grayscale for a one-channel model) would go
    meta = {"one_image": t.made_at} if not img.get("tensor") and t.made_at is not None else None
    made = make((out.get("c"), out.get("h"), out.get("w")), "torch", out.get("dtype"), ev, call.node,
                note=ev.text(call.node), meta=meta)
    if meta:  # torch ops on it keep its tensor, not its meta: the root-cause analysis finds it by the tensor
        ev.state.one_images[id(made.value)] = OneImage(made.value, t.made_at, img.get("c"))
    return made


def _reads_array_first(t: Transform) -> bool:
    """Whether ``t`` starts by turning a NumPy array into a tensor (``ToTensor`` / ``ToImage``), which reads it as
    (H, W, C)."""
    first = t.steps[0] if t.kind == "Compose" and t.steps else t
    return isinstance(first, Transform) and first.kind in ("ToTensor", "ToImage")


def _planes_into_totensor(ev, x, call) -> None:
    """A (C, H, W) NumPy image -- raw CIFAR rows reshaped to (N, 3, 32, 32) -- given to ``ToTensor``, which reads
    arrays as (H, W, C) and makes a (32, 3, 32) tensor of it: a Normalize of three channels, or the first conv,
    fails after it. Reported where the array got its layout (the reshape), fixed there by moving the planes last."""
    if ev.uncertain or not isinstance(x, TensorVal):
        return
    at = x.shaped_at or x.origin
    if at is None or not first_time(ev, ("planes_first", at)):
        return
    fix = None
    text = span_text(ev, at)  # (a one-line span's text, else None)
    made = getattr(parse_expression(text), "body", None) if text else None
    if isinstance(made, ast.Call) and getattr(made.func, "attr", None) == "reshape":
        sizes = made.args[0].elts if len(made.args) == 1 and isinstance(made.args[0], ast.Tuple) else made.args
        order = {4: "(0, 2, 3, 1)", 3: "(1, 2, 0)"}.get(len(sizes))
        if order is not None:
            fix = Fix("unsafe", remedies.planes_last(order),
                      [Edit(Span(at.end_line, at.end_column, at.end_line, at.end_column), f".transpose{order}")])
    emit(ev, "channels-last-input", at, remedies.planes_first_label(tuple(x.shape)), variant="planes-first",
         secondary=[(ev.span(call.node), remedies.totensor_reads_hwc_label())], kind="ToTensor", expected=x.shape[0],
         received_shape=shape_text(tuple(x.shape)),
         remedy=fix.title if fix is not None else remedies.planes_last("(1, 2, 0)"), fix=fix, severity="error")


def _normalize_mismatch(ev, t: Transform, shape: tuple, given: int) -> None:
    """``Normalize(IMAGENET_MEAN, IMAGENET_STD)`` on a one-channel image: torch subtracts the (3, 1, 1) means in
    place from the (1, H, W) image, whose shape cannot take the broadcast ("output with shape [1, 28, 28] doesn't
    match the broadcast shape [3, 28, 28]"). Reported at the Normalize; the fix gives one mean and std per channel
    the image has -- for a grey image from three-channel statistics, their average."""
    if ev.uncertain or t.made_at is None or not first_time(ev, ("normalize_stats", t.made_at)):
        return
    stats = [t.args[0] if t.args else t.kwargs.get("mean"), t.args[1] if len(t.args) > 1 else t.kwargs.get("std")]
    channels = shape[0]
    fix = None
    if channels == 1 and len(t.stats_at) == 2 and all(
            isinstance(v, (tuple, list)) and v and all(isinstance(x, (int, float)) for x in v) for v in stats):
        texts = [f"({sum(v) / len(v):.3f},)" for v in stats]
        title = remedies.grey_statistics(*texts)
        fix = Fix("unsafe", title, [Edit(span, text) for span, text in zip(t.stats_at, texts)])
    emit(ev, "incompatible-input-shape", t.made_at, remedies.normalize_stats_label(given, channels),
         kind="Normalize", received_shape=shape_text(shape),
         detail=remedies.normalize_stats_detail(given, channels),
         remedy=fix.title if fix is not None else remedies.normalize_per_channel(channels), fix=fix,
         severity="error")


@dataclass(frozen=True)
class OneImage:
    """A picture a transform made a (C, H, W) tensor: ``channels`` of the picture (None when not known) and the
    span of the ``Compose`` that did it."""
    value: Any
    compose: Any
    channels: Any


def _image_facts(x) -> Optional[dict]:
    """The (channels, height, width, is_tensor, dtype) a transform reads of ``x``: a PIL image (by its mode and
    size), a numpy image (H, W) or (H, W, C), or a tensor (C, H, W); None for anything else."""
    if isinstance(x, PILImage):
        shape = x.array_shape()
        if shape is None:
            return {"c": None, "h": x.height, "w": x.width, "tensor": False, "dtype": None}
        return {"c": 1 if len(shape) == 2 else shape[2], "h": shape[0], "w": shape[1], "tensor": False, "dtype": None}
    shape = getattr(x, "shape", None)
    if not isinstance(x, TensorVal) or shape is None:
        return None
    if x.lib == "torch" and len(shape) == 3:
        return {"c": shape[0], "h": shape[1], "w": shape[2], "tensor": True, "dtype": x.value.dtype}
    if x.lib == "numpy" and len(shape) in (2, 3):
        return {"c": 1 if len(shape) == 2 else shape[2], "h": shape[0], "w": shape[1], "tensor": False,
                "dtype": x.value.dtype, "planes_first": _planes_first(shape)}
    return None


def _planes_first(shape: tuple) -> bool:
    """A NumPy image stored (C, H, W) -- 1, 3 or 4 colour planes first, a picture of more than 4 rows and columns
    after: transforms read arrays as (H, W, C), which would make it a picture of C rows."""
    return len(shape) == 3 and all(_int(d) for d in shape) and shape[0] in (1, 3, 4) and shape[1] > 4 and \
        shape[2] > 4


# -- torch datasets ---------------------------------------------------------------------------------------------
@dataclass(eq=False)
class TorchDataset:
    """A map-style dataset: its length and what ``ds[i]`` returns (a value or a tuple of values)."""
    item: Any  # TensorVal / int-ish marker / tuple of them / UNRESOLVED
    length: Any = UNRESOLVED
    note: str = ""
    node: Any = None
    source: Any = None  # the user Dataset object a split or subset was made from (its attributes hold the data)


@dataclass(frozen=True)
class Scalar:
    """A Python number in a dataset item (a class label): collated into an int64 / float64 vector."""
    dtype: str
    num_classes: Optional[int] = None


# name: (channels, height, width, train length, test length, classes)
_TV_DATASETS = {
    "MNIST": (1, 28, 28, 60000, 10000, 10), "FashionMNIST": (1, 28, 28, 60000, 10000, 10),
    "KMNIST": (1, 28, 28, 60000, 10000, 10), "QMNIST": (1, 28, 28, 60000, 60000, 10),
    "CIFAR10": (3, 32, 32, 50000, 10000, 10), "CIFAR100": (3, 32, 32, 50000, 10000, 100),
    "SVHN": (3, 32, 32, 73257, 26032, 10), "STL10": (3, 96, 96, 5000, 8000, 10),
    "ImageFolder": (3, None, None, None, None, None), "DatasetFolder": (None, None, None, None, None, None),
}


def _image_value(ev, call, img: Optional[dict], note: str):
    if img is None or not img.get("tensor"):
        return UNRESOLVED  # a PIL image: no tensor shape until ToTensor
    return make((img.get("c"), img.get("h"), img.get("w")), "torch", img.get("dtype"), ev, call.node, note=note)


@api.handles_prefix("torchvision.datasets.")
def tv_dataset(ev, call, rest: str):
    name = rest.split(".")[-1]
    spec = _TV_DATASETS.get(name)
    if spec is None:
        return TorchDataset(UNRESOLVED, note=name, node=call.node)
    c, h, w, n_train, n_test, classes = spec
    train = call.kwargs.get("train", True)
    if name == "SVHN" or name == "STL10":
        split = call.kwargs.get("split", call.args[1] if len(call.args) > 1 else "train")
        length = n_train if split == "train" else (n_test if split == "test" else UNRESOLVED)
    else:
        length = n_train if train is True else (n_test if train is False else UNRESOLVED)
    t = call.kwargs.get("transform")
    img = {"c": c, "h": h, "w": w, "tensor": False, "dtype": None}
    if t is None:
        img = None  # a PIL image: no tensor shape
    elif isinstance(t, Transform):
        img = t.apply(img)
    else:
        img = None
    note = f"torchvision.datasets.{name}"
    x = _image_value(ev, call, img, note)
    label = Scalar("int64", classes)
    if call.kwargs.get("target_transform") is not None:
        label = UNRESOLVED
    return TorchDataset((x, label), length if length is not None else UNRESOLVED, note, call.node)


@api.handles("torch.utils.data.TensorDataset")
def tensor_dataset(ev, call):
    items = []
    length = UNRESOLVED
    for a in call.args:
        if isinstance(a, TensorVal) and a.shape:
            items.append(make(tuple(a.shape[1:]), a.lib if a.lib == "torch" else "torch", a.value.dtype, like=a))
            if is_known(a.shape[0]):
                length = a.shape[0]
        else:
            items.append(UNRESOLVED)
    if len(call.args) == 2 and all(isinstance(a, TensorVal) for a in call.args):  # (features, labels), paired
        ev.state.paired_data.append(tuple(call.args))  # checks/data_input: a label column
    return TorchDataset(tuple(items), length, "TensorDataset", call.node)


@api.handles("torch.utils.data.random_split")
def random_split(ev, call):
    ds = call.args[0] if call.args else call.kwargs.get("dataset")
    sizes = call.get(1, "lengths", None)
    ds = _as_dataset(ev, ds, call)
    if ds is None or not isinstance(sizes, (list, tuple)):
        return UNRESOLVED
    return [TorchDataset(ds.item, s if _int(s) else UNRESOLVED, ds.note, ds.node, ds.source) for s in sizes]


@api.handles("torch.utils.data.Subset")
def subset(ev, call):
    ds = _as_dataset(ev, call.args[0] if call.args else call.kwargs.get("dataset"), call)
    if ds is None:
        return UNRESOLVED
    return TorchDataset(ds.item, UNRESOLVED, ds.note, ds.node, ds.source)


def _as_dataset(ev, ds, call) -> Optional[TorchDataset]:
    """A dataset to split: a known one, or a user ``Dataset`` subclass read through its ``__getitem__``."""
    if isinstance(ds, TorchDataset):
        return ds
    if isinstance(ds, Instance):
        item, n = _item_of(ev, ds)
        if item is not UNRESOLVED:
            return TorchDataset(item, n, ds.cls.node.name, call.node, ds)
    return None


@api.method(TorchDataset, "__len__")
def ds_len(ev, ds: TorchDataset):
    return ds.length


@api.method(TorchDataset, "__getitem__")
def ds_getitem(ev, ds: TorchDataset, slice_node, scope):
    return _materialize(ds.item)


def _materialize(item):
    if isinstance(item, tuple):
        return tuple(_materialize(i) for i in item)
    if isinstance(item, Scalar):
        return UNRESOLVED
    return item


def _user_dataset_item(ev, inst: Instance):
    """Follow ``__getitem__(0)`` of a user Dataset subclass."""
    m = inst.cls.find_method("__getitem__")
    if m is None:
        return UNRESOLVED
    try:
        return ev.call_function(m, [inst, 0], {})
    except Exception:
        return UNRESOLVED


# -- DataLoader -------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Loader:
    batch: Any  # what one batch is (a value or a tuple/list/dict of values), UNRESOLVED if unknown
    length: Any = UNRESOLVED
    node: Any = None
    collate_failure: Any = None  # the default collate fails on these items: reported when the loader is iterated


def collate(item, b):
    """torch's default_collate of ``b`` items like ``item``."""
    if isinstance(item, tuple):
        return tuple(collate(i, b) for i in item)
    if isinstance(item, list):
        return [collate(i, b) for i in item]
    if isinstance(item, dict):
        return {k: collate(v, b) for k, v in item.items()}
    if isinstance(item, Scalar):
        meta = {"num_classes": item.num_classes, "int_range": (0, item.num_classes)} if item.num_classes else {}
        return DataVal(_t((b,), item.dtype), lib="torch", meta=meta)
    if isinstance(item, bool):
        return DataVal(_t((b,), "bool"), lib="torch")
    if _int(item):
        return DataVal(_t((b,), "int64"), lib="torch")
    if isinstance(item, float):
        return DataVal(_t((b,), "float64"), lib="torch")
    if isinstance(item, Number):
        return DataVal(_t((b,), kind_dtype(item.kind, "numpy")), lib="torch")
    if isinstance(item, TensorVal) and item.shape is not None:
        out = make((b,) + tuple(item.shape), "torch", item.value.dtype, like=item)
        if _int(b):
            out.meta["loader_batch"] = b  # axis 0 is the batch: the batch_first check relies on it
        return out
    return UNRESOLVED


def _t(shape, dtype):
    return Tensor(tuple(shape), dtype)


def _item_of(ev, ds):
    if isinstance(ds, TorchDataset):
        return ds.item, ds.length
    if isinstance(ds, Instance):
        n = UNRESOLVED
        m = ds.cls.find_method("__len__")
        if m is not None:
            try:
                n = ev.call_function(m, [ds], {})
            except Exception:
                n = UNRESOLVED
        return _scalarize(_user_dataset_item(ev, ds)), n if _int(n) else UNRESOLVED
    if isinstance(ds, TensorVal) and ds.shape:
        return make(tuple(ds.shape[1:]), "torch", ds.value.dtype, like=ds), ds.shape[0]
    if isinstance(ds, RowList):  # a list of samples built by a comprehension: one item stands for all of them
        return _scalarize(ds.item), ds.count
    if isinstance(ds, list) and ds:  # a list of (x, y) samples: the first stands for the others
        return _scalarize(ds[0]), len(ds)
    return UNRESOLVED, UNRESOLVED


def _scalarize(v):
    if isinstance(v, tuple):
        return tuple(_scalarize(i) for i in v)
    if isinstance(v, list):
        return [_scalarize(i) for i in v]
    if _int(v):
        return Scalar("int64")
    if isinstance(v, float):
        return Scalar("float64")
    if isinstance(v, Number):  # `int(self.labels[i])`: a label whose value is not known here
        return Scalar(kind_dtype(v.kind, "numpy"))  # default_collate makes float64 of floats, as numpy does
    return v


@api.handles("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")
def data_loader(ev, call):
    ds = call.args[0] if call.args else call.kwargs.get("dataset")
    b = call.get(1, "batch_size", 1)
    collate_fn = call.kwargs.get("collate_fn")
    if call.kwargs.get("batch_sampler") is not None or (collate_fn is not None and not isinstance(collate_fn,
                                                                                                   UserFunction)):
        return Loader(UNRESOLVED, UNRESOLVED, call.node)
    item, n = _item_of(ev, ds)
    if item is UNRESOLVED:
        return Loader(UNRESOLVED, UNRESOLVED, call.node)
    if isinstance(collate_fn, UserFunction):
        return Loader(_user_collate(ev, collate_fn, item, b), UNRESOLVED, call.node)
    pending = _check_items_stack(ev, ds, item, call) if b is not None and (not _int(b) or b > 1) and \
        isinstance(ds, Instance) else None
    if b is None:
        return Loader(_materialize(item), n, call.node)
    if not _int(b):
        b = None
    length = math.ceil(n / b) if (_int(n) and _int(b) and b > 0) else UNRESOLVED
    if _int(n) and _int(b) and n < b:
        b = n
    if pending is not None:
        return Loader(UNRESOLVED, length, call.node, pending)
    batch = collate(item, b)
    if _int(n) and _int(b) and b > 0 and n % b and not call.kwargs.get("drop_last"):
        for v in _leaves(batch):  # the last batch is smaller: a size written for the full batch fails on it
            if isinstance(v[1], TensorVal):
                v[1].meta["loader_last_batch"] = n % b
                v[1].meta["loader_call"] = call.node  # where `drop_last=True` would go
    return Loader(batch, length, call.node)


@api.handles("torch.utils.data.default_collate", "torch.utils.data.dataloader.default_collate",
             "torch.utils.data._utils.collate.default_collate")
def default_collate(ev, call):
    """``default_collate(batch)`` on a list of items (inside a user collate_fn): each field stacked; unknown when the
    items' shapes differ or are not known."""
    batch = call.get(0, "batch", UNRESOLVED)
    if not isinstance(batch, (list, tuple)) or not batch:
        return UNRESOLVED
    first = dict(_leaves(batch[0]))
    for item in batch[1:]:
        other = dict(_leaves(item))
        if other.keys() != first.keys() or any(
                isinstance(v, TensorVal) and (not isinstance(other[k], TensorVal) or other[k].shape != v.shape)
                for k, v in first.items()):
            return UNRESOLVED
    return collate(_scalarize(batch[0]), len(batch))


def _as_sample(v):
    """An item as one of many samples: its tensors marked (a collate_fn padding them cannot know the longest)."""
    if isinstance(v, tuple):
        return tuple(_as_sample(i) for i in v)
    if isinstance(v, list):
        return [_as_sample(i) for i in v]
    if isinstance(v, dict):
        return {k: _as_sample(x) for k, x in v.items()}
    if isinstance(v, Scalar):
        return UNRESOLVED
    if isinstance(v, TensorVal):
        return make(v.shape, v.lib, v.value.dtype, like=v, meta={"loader_sample": True})
    return v


def _user_collate(ev, fn, item, b):
    """A user ``collate_fn`` followed on a batch of ``b`` samples like the dataset's first item (at most 8 of them
    when the batch size is unknown or large: the function sees a list, never its exact length)."""
    # the real batch size when it is small enough to follow (a size that moves with the batch: the fix contract
    # changes it to see that no fix depends on it), else a stand-in
    count = b if _int(b) and 0 < b <= 64 else _STAND_IN
    try:
        batch = ev.call_function(fn, [[_as_sample(item) for _ in range(count)]], {})
    except Exception:
        return UNRESOLVED
    return _unsampled(batch, b if _int(b) else None, count)


_STAND_IN = 7  # samples given to a collate_fn when the batch is large or unknown: a size rarely found on another axis


def _unsampled(v, b, count):
    """The collated batch as the loader yields it: the axis the function filled with our ``count`` samples is the
    batch size (unknown when the batch size is) -- axis 0 for a stack, another for ``torch.stack(xs, dim=1)``
    (``meta["batch_axis"]`` says which when there is no doubt)."""
    if isinstance(v, tuple):
        return tuple(_unsampled(i, b, count) for i in v)
    if isinstance(v, list):
        return [_unsampled(i, b, count) for i in v]
    if isinstance(v, dict):
        return {k: _unsampled(x, b, count) for k, x in v.items()}
    if isinstance(v, TensorVal) and v.shape is not None:
        shape = list(v.shape)
        filled = [i for i, d in enumerate(shape) if d == count]
        axis = filled[0] if len(filled) == 1 else 0 if shape and shape[0] == count else None
        meta = {k: x for k, x in v.meta.items() if k != "loader_sample"}
        sample = v.meta.get("cat_of_samples")
        # torch.cat of the samples: their first axis holds the batch too -- unless the samples differ in length on
        # that axis (a graph's nodes, a document's tokens): joining them end to end, with an index of where each
        # starts, is how such samples are batched (GNN collate functions), and the first axis is not a batch
        if axis is None and sample is not None and shape and isinstance(shape[0], int):
            meta["batch_folded"] = sample
        if axis is not None:
            if b != count:
                shape[axis] = b
            meta["batch_axis"] = axis
        return make(tuple(shape), v.lib, v.value.dtype, like=v, meta=meta)
    return v if isinstance(v, TensorVal) else UNRESOLVED


def _leaves(v, path=()):
    if isinstance(v, (tuple, list)):
        for i, x in enumerate(v):
            yield from _leaves(x, path + (i,))
    elif isinstance(v, dict):
        for k, x in v.items():
            yield from _leaves(x, path + (k,))
    else:
        yield path, v


def _check_items_stack(ev, ds: Instance, first, call) -> None:
    """The default collate stacks each field of the items: items whose sizes differ (variable-length labels or
    token lists) fail with "stack expects each tensor to be equal size". The first two items are compared when
    both can be worked out (a dataset over literal data)."""
    m = ds.cls.find_method("__getitem__")
    if m is None or ev.uncertain:
        return
    try:
        second = _scalarize(ev.call_function(m, [ds, 1], {}))
    except Exception:
        return
    a, b = dict(_leaves(first)), dict(_leaves(second))
    for path, x in a.items():
        y = b.get(path)
        if not (isinstance(x, TensorVal) and isinstance(y, TensorVal)) or x.shape is None or y.shape is None:
            continue
        if len(x.shape) == len(y.shape) and all(is_known(p) and is_known(q) for p, q in zip(x.shape, y.shape)) \
                and x.shape != y.shape:
            field = "the item" if path == () else f"field {path[0] if len(path) == 1 else path} of the items"
            return (call.node, m.node, field, x.shape, y.shape)
    return None


def _report_collate_failure(ev, loader: Loader, node) -> None:
    made, getitem, field, first, second = loader.collate_failure
    loader.collate_failure = None
    if ev.uncertain:
        return
    emit(ev, "collate-size-mismatch", Span.of(made), "stacks the items with the default collate",
         secondary=[(Span.of(getitem), "items made here"), (Span.of(node) if node is not None else None,
                                                             "the first batch is collated here")],
         detail=f"{field} is {shape_text(first)} in item 0 but {shape_text(second)} in item 1, and torch.stack "
                "needs equal sizes", remedy=remedies.collate_with_padding())


@api.method(Loader, "__iter__")
def loader_iter(ev, loader: Loader, node):
    if loader.collate_failure is not None:
        _report_collate_failure(ev, loader, node)
    if loader.batch is UNRESOLVED:
        return None
    return Repeated([loader.batch])


@api.method(Loader, "__len__")
def loader_len(ev, loader: Loader):
    return loader.length


@api.attribute(Loader, "dataset")
def loader_dataset(ev, loader, node):
    return UNRESOLVED


# user Dataset subclasses are Instances; DataLoader handles them above. A dataset indexed directly keeps working
# through the evaluator's own method calls.


# -- sklearn ----------------------------------------------------------------------------------------------------
@api.handles("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split")
def train_test_split(ev, call):
    arrays = list(call.args)
    if not arrays:
        return UNRESOLVED
    test_size = call.kwargs.get("test_size")
    train_size = call.kwargs.get("train_size")
    out = []
    for a in arrays:
        if isinstance(a, (Frame, Series)):  # a DataFrame (or a column) is split into two of the same kind
            n_train, n_test = _split_sizes(a.rows, test_size, train_size) if _int(a.rows) else (None, None)
            out.extend(_rows_of(a, n, call.node) for n in (n_train, n_test))
            continue
        if not isinstance(a, TensorVal) or not a.shape:
            out.extend([UNRESOLVED, UNRESOLVED])
            continue
        n = a.shape[0]
        n_train, n_test = _split_sizes(n, test_size, train_size)
        out.append(make((n_train,) + tuple(a.shape[1:]), a.lib, a.value.dtype, like=a))
        out.append(make((n_test,) + tuple(a.shape[1:]), a.lib, a.value.dtype, like=a))
    return out


def _rows_of(a, rows, node):
    """A frame (or series) like ``a`` with ``rows`` of its rows (unknown: None), its columns kept."""
    if isinstance(a, Frame):
        return Frame(rows, a.columns, a.ncols, node, a.base)
    return Series(rows, node, a.column, a.base)


def _split_sizes(n, test_size, train_size):
    """sklearn's _validate_shuffle_split: n_test = ceil(test_size * n), n_train = floor(train_size * n)."""
    if not is_known(n):
        return None, None
    if test_size is None and train_size is None:
        test_size = 0.25
    try:
        if isinstance(test_size, float):
            n_test = math.ceil(test_size * n)
        elif _int(test_size):
            n_test = test_size
        else:
            n_test = None
        if isinstance(train_size, float):
            n_train = math.floor(train_size * n)
        elif _int(train_size):
            n_train = train_size
        else:
            n_train = None
    except Exception:
        return None, None
    if n_train is None and n_test is not None:
        n_train = n - n_test
    if n_test is None and n_train is not None:
        n_test = n - n_train
    if test_size is not UNRESOLVED and n_test is None:
        return None, None
    return n_train, n_test


# -- tf.data: tfdata_api.py ------------------------------------------------------------------------------------
from .tfdata_api import TFDataset, features_and_labels  # noqa: E402


def first_batch(value):
    """(x, y) of one batch when ``value`` is a dataset, loader or Python generator fed to ``fit`` (Keras takes each
    element of a dataset as a batch; a mis-batched one that was reported is left alone), else None."""
    el = None
    if isinstance(value, TFDataset):
        if value.reported or value.element is UNRESOLVED:
            return None
        parts = features_and_labels(value)
        # features: one tensor, or one per input by name (a multi-input model's dict)
        return (parts[0], parts[1]) if parts is not None and (isinstance(parts[0], TensorVal) or isinstance(
            parts[0], dict) and parts[0] and all(isinstance(v, TensorVal) for v in parts[0].values())) else None
    elif isinstance(value, Loader):
        el = value.batch
    elif isinstance(value, Generated) and value.samples:
        el = value.samples[0]  # a Python generator fed to fit(): each value it yields is one batch
        if isinstance(el, list):
            el = tuple(el)
    if isinstance(el, tuple) and len(el) >= 2:
        return el[0], el[1]
    if isinstance(el, TensorVal):
        return el, None
    return None


# -- pandas -----------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Frame:
    """A pandas DataFrame: rows (often unknown) and column names when known (or just the count)."""
    rows: Any = None
    columns: Optional[list] = None
    ncols: Optional[int] = None
    node: Any = None
    base: Any = None  # the frame these columns were selected or dropped from (for a label column left in)
    counted_by: Optional[str] = None  # the list the columns were selected with (``df[TARGETS]``): what counts them

    def count(self):
        return len(self.columns) if self.columns is not None else self.ncols


@api.handles("pandas.read_csv", "pandas.read_excel", "pandas.read_parquet", "pandas.read_json", "pandas.read_table")
def read_frame(ev, call):
    names = call.kwargs.get("names")
    usecols = call.kwargs.get("usecols")
    cols = None
    if isinstance(usecols, (list, tuple)) and all(isinstance(c, str) for c in usecols):
        cols = list(usecols)
    elif isinstance(names, (list, tuple)) and all(isinstance(c, str) for c in names):
        cols = list(names)
    return Frame(None, cols, None, call.node)


@api.handles("pandas.DataFrame")
def data_frame(ev, call):
    data = call.args[0] if call.args else call.kwargs.get("data")
    columns = call.get(2, "columns", None) if len(call.args) > 2 or "columns" in call.kwargs else None
    if isinstance(data, dict) and all(isinstance(k, str) for k in data):
        n = None
        for v in data.values():
            if isinstance(v, TensorVal) and v.shape:
                n = v.shape[0]
            elif isinstance(v, (list, tuple)):
                n = len(v)
        return Frame(n, list(data.keys()), None, call.node)
    if isinstance(data, TensorVal) and data.shape is not None and len(data.shape) == 2:
        cols = list(columns) if isinstance(columns, (list, tuple)) and all(isinstance(c, str) for c in columns) \
            else None
        return Frame(data.shape[0], cols, data.shape[1] if cols is None else None, call.node)
    return Frame(None, None, None, call.node)


@api.handles("pandas.get_dummies")
def get_dummies(ev, call):
    """One column per category: as many rows as given, a column count that is the data's (unknown here)."""
    data = call.get(0, "data")
    rows = data.rows if isinstance(data, (Frame, Series)) else \
        data.shape[0] if isinstance(data, TensorVal) and data.shape else None
    return Frame(rows, None, None, call.node)


def _frame_array(ev, f: Frame, node=None, dtype=None):
    n = f.count()
    if f.counted_by is not None and _int(n):  # `df[TARGETS].values`: as many columns as `len(TARGETS)`
        n = provenance.computed(n, "len", (), None, f.counted_by)
    return make((f.rows if is_known(f.rows) else None, n if _int(n) else None), "numpy", dtype, ev,
                node if node is not None else f.node)


def _frame_values(ev, f: Frame, node, dtype=None):
    out = _frame_array(ev, f, node, dtype)
    if isinstance(out, TensorVal) and f.columns is not None:
        out.meta["frame_columns"] = (f.base or f, tuple(f.columns), ev.span(node))  # which columns, of which
        # frame, taken where
    return out


@api.attribute(Frame, "values")
def frame_values(ev, f: Frame, node):
    return _frame_values(ev, f, node)


@api.method(Frame, "to_numpy")
def frame_to_numpy(ev, f: Frame, call):
    return _frame_values(ev, f, call.node, dtype_name(call.get(0, "dtype", None)))  # `to_numpy(dtype=np.int64)`


@api.method(Frame, "__array__")
def frame_array(ev, f: Frame, node, dtype=None):
    """``np.array(df, dtype="float32")``: the frame's values, as ``to_numpy`` gives them."""
    return _frame_values(ev, f, node, dtype)


@api.attribute(Frame, "shape")
def frame_shape(ev, f: Frame, node):
    n = f.count()
    return (f.rows if _int(f.rows) else UNRESOLVED, n if _int(n) else UNRESOLVED)


_RELABELS = (".columns =", "inplace=True", ".set_index(", ".rename(", ".reset_index(", ".insert(", ".pop(")


@api.attribute(Frame, "columns")
def frame_columns(ev, f: Frame, node):
    """The column names, when every one is known: iterated (``[c for c in df.columns if ...]``) and counted. Not
    where the file relabels or reshapes a frame in ways not followed here (``set_index(..., inplace=True)``,
    ``df.columns = ...``): the list kept could be stale, and a stale count is worse than none."""
    if f.columns is None or any(mark in ev.source for mark in _RELABELS):
        return UNRESOLVED
    return list(f.columns)


@api.handles("pandas.date_range")
def date_range(ev, call):
    """``pd.date_range(start, periods=n, freq=...)``: an index of n timestamps (a length only when ``periods`` is
    given; counting the steps between two dates is not done here)."""
    n = call.kwargs.get("periods")
    return make((n,), "numpy", "datetime64", ev, call.node) if _int(n) and n >= 0 else UNRESOLVED


@api.method(Frame, "__len__")
def frame_len(ev, f: Frame):
    return f.rows if _int(f.rows) else UNRESOLVED


@api.method(Frame, "__getitem__")
def frame_getitem(ev, f: Frame, slice_node, scope):
    key = ev.eval(slice_node, scope)
    if isinstance(key, str):
        return Series(f.rows, slice_node, key, f.base or f)
    if isinstance(key, list) and all(isinstance(k, str) for k in key):
        counted = f"len({slice_node.id})" if isinstance(slice_node, ast.Name) else None
        return Frame(f.rows, list(key), None, slice_node, f.base or f, counted)
    return UNRESOLVED


def _add_columns(f: Frame, keys) -> None:
    """``df["target"] = ...``: a new column (an existing one is replaced); keys not known make the count unknown."""
    keys = [keys] if isinstance(keys, str) else keys
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys) or f.columns is None:
        f.columns, f.ncols = None, None
        return
    f.columns = list(f.columns) + [k for k in keys if k not in f.columns]


@api.method(Frame, "__setitem__")
def frame_setitem(ev, f: Frame, key, value, stmt):
    _add_columns(f, key)


@api.method(Frame, "__delitem__")
def frame_delitem(ev, f: Frame, key, stmt):
    if isinstance(key, str) and f.columns is not None and key in f.columns:
        f.columns = [c for c in f.columns if c != key]
    else:
        f.columns, f.ncols = None, None


@api.method(Frame, "pop")
def frame_pop(ev, f: Frame, call):
    frame_delitem(ev, f, call.get(0, "item"), call.node)
    return Series(f.rows, call.node)


@api.method(Frame, "insert")
def frame_insert(ev, f: Frame, call):
    _add_columns(f, call.get(1, "column"))
    return None


@api.method(Frame, "assign")
def frame_assign(ev, f: Frame, call):
    out = Frame(f.rows, list(f.columns) if f.columns is not None else None, f.ncols, call.node)
    _add_columns(out, list(call.kwargs) if not call.starred else None)
    return out


@api.method(Frame, "drop")
def frame_drop(ev, f: Frame, call):
    if call.kwargs.get("inplace") is True:  # `df.drop(columns=..., inplace=True)`: the frame itself changes
        dropped = frame_drop(ev, f, api.Call(call.node, call.args, {k: v for k, v in call.kwargs.items()
                                                                  if k != "inplace"}, call.arg_nodes,
                                             call.kw_nodes, call.callee_text, call.starred))
        f.rows, f.columns, f.ncols = dropped.rows, dropped.columns, dropped.ncols
        return None
    cols = call.kwargs.get("columns")
    if cols is None and (call.kwargs.get("axis") in (1, "columns")):
        cols = call.args[0] if call.args else call.kwargs.get("labels")
    if cols is None:
        return Frame(None if call.kwargs.get("index") is not None or call.args else f.rows, f.columns, f.ncols,
                     f.node) if cols is not None else Frame(None, f.columns, f.ncols, f.node)
    if isinstance(cols, str):
        cols = [cols]
    if not isinstance(cols, (list, tuple)) or not all(isinstance(c, str) for c in cols):
        return Frame(f.rows, None, None, f.node)
    if f.columns is not None:
        if not all(c in f.columns for c in cols):
            return Frame(f.rows, None, None, f.node)
        return Frame(f.rows, [c for c in f.columns if c not in cols], None, f.node, f.base or f)
    return Frame(f.rows, None, None, f.node)


@api.method(Frame, "dropna", "fillna", "sample", "head", "tail", "copy", "astype", "reset_index")
def frame_same(ev, f: Frame, call):
    name = call.callee_text.rsplit(".", 1)[-1]
    if call.kwargs.get("inplace") is True:  # changed in place: its rows (dropna) may no longer be known
        f.rows = f.rows if name in ("fillna", "astype", "reset_index") else None
        return None
    rows = f.rows if name in ("fillna", "copy", "astype", "reset_index") else None
    return Frame(rows, f.columns, f.ncols, f.node)


@dataclass(eq=False)
class FrameILoc:
    """``df.iloc``: positional selection of rows and columns."""
    frame: Frame


@api.attribute(Frame, "iloc")
def frame_iloc(ev, f: Frame, node):
    return FrameILoc(f)


@api.method(FrameILoc, "__getitem__")
def iloc_getitem(ev, loc: FrameILoc, slice_node, scope):
    """``df.iloc[:split]``, ``df.iloc[:, :-1]``, ``df.iloc[:, -1]``, ``df.iloc[:, [0, 2]]``: a Frame of the rows and
    columns selected (a Series for one column taken by an int). Rows selected by a slice whose bounds are not known
    are an unknown count; a row taken by an int (a Series of one row) is not followed."""
    f = loc.frame
    parts = slice_node.elts if isinstance(slice_node, ast.Tuple) else [slice_node]
    if len(parts) not in (1, 2) or any(isinstance(p, ast.Starred) for p in parts):
        return UNRESOLVED
    rows_node = parts[0]
    if not isinstance(rows_node, ast.Slice):
        return UNRESOLVED  # one row, a list of rows or a mask: not followed
    rows = _sliced_count(f.rows, ev.eval(rows_node, scope))
    if len(parts) == 1:
        return Frame(rows, f.columns, f.ncols, slice_node, f.base or f)
    cols = ev.eval(parts[1], scope)
    names = f.columns if f.columns is not None else \
        [None] * f.ncols if _int(f.ncols) else None
    if _int(cols) and names is not None and -len(names) <= cols < len(names):
        return Series(rows, slice_node, names[cols], f.base or f) if names[cols] is not None else \
            Series(rows, slice_node)
    if isinstance(cols, slice) and names is not None and all(b is None or _int(b) for b in
                                                              (cols.start, cols.stop, cols.step)):
        picked = names[cols]
        return Frame(rows, picked if f.columns is not None else None, None if f.columns is not None else len(picked),
                     slice_node, f.base or f)
    if isinstance(cols, list) and names is not None and all(_int(c) and -len(names) <= c < len(names) for c in cols):
        picked = [names[c] for c in cols]
        return Frame(rows, picked if f.columns is not None else None, None if f.columns is not None else len(picked),
                     slice_node, f.base or f)
    return Frame(rows, None, None, slice_node, f.base or f) if isinstance(cols, (slice, list)) else UNRESOLVED


def _sliced_count(n, key):
    """How many rows ``key`` (a slice) selects of ``n``, or None."""
    if not _int(n) or not isinstance(key, slice) or not all(b is None or _int(b) for b in
                                                            (key.start, key.stop, key.step)):
        return None
    return len(range(*key.indices(n)))


@dataclass(eq=False)
class Series:
    rows: Any = None
    node: Any = None
    column: Optional[str] = None
    base: Any = None  # the frame it is a column of


def _series_values(ev, s: Series, node):
    meta = {"frame_column": (s.base, s.column)} if s.column is not None and s.base is not None else None
    return make((s.rows if _int(s.rows) else None,), "numpy", None, ev, node, meta=meta)


@api.attribute(Series, "values")
def series_values(ev, s: Series, node):
    return _series_values(ev, s, node)


@api.method(Series, "to_numpy")
def series_to_numpy(ev, s: Series, call):
    return _series_values(ev, s, call.node)


@api.handles("pandas.Series")
def data_series(ev, call):
    """``pd.Series(values, index=days)``: one value per row of ``values`` (a 1-D array or a list)."""
    data = call.args[0] if call.args else call.kwargs.get("data")
    if isinstance(data, TensorVal) and data.shape is not None and len(data.shape) == 1:
        return Series(data.shape[0] if is_known(data.shape[0]) else None, call.node)
    if isinstance(data, (list, tuple)):
        return Series(len(data), call.node)
    return UNRESOLVED


@api.method(Series, "__binop__")
def series_binop(ev, op_type, left, right, node):
    """``(s - s.mean()) / s.std()``, ``s * 2``: element-wise, the same rows (a number we cannot follow -- a mean -- is
    a number all the same). With another Series pandas aligns the two indexes: the rows are kept only for columns of
    one frame."""
    other = right if isinstance(left, Series) else left
    mine = left if isinstance(left, Series) else right
    if isinstance(other, Series):
        # pandas aligns two series on their index: the rows are known only for columns of one frame
        same_index = other is mine or other.base is not None and other.base is mine.base
        return Series(mine.rows if same_index else None, node)
    if not (other is UNRESOLVED or isinstance(other, (int, float)) and not isinstance(other, bool)):
        return UNRESOLVED
    return Series(mine.rows, node)


@api.method(Frame, "mean", "std", "var", "min", "max", "median", "sum")
def frame_column_stats(ev, f: Frame, call):
    """``df.mean()``: one value per column (a Series indexed by the columns); another axis is not followed."""
    if call.args or any(k not in ("numeric_only", "skipna") for k in call.kwargs):
        return UNRESOLVED
    return Series(f.count(), call.node, None, f)


@api.method(Frame, "__binop__")
def frame_binop(ev, op_type, left, right, node):
    """``(df - df.mean()) / df.std()``, ``df * 2``: element-wise, the same rows and columns. A Series of the frame's
    own column statistics is aligned on the columns; another frame only when it has the same columns (pandas aligns
    both indexes: anything else may add rows or columns)."""
    mine = left if isinstance(left, Frame) else right
    other = right if mine is left else left
    if isinstance(other, Series):  # column statistics of this frame, or of one with the same columns
        stats_of = other.base if other.column is None and isinstance(other.base, Frame) else None
        ok = stats_of is mine or stats_of is not None and mine.columns is not None and stats_of.columns == mine.columns
    elif isinstance(other, Frame):
        ok = mine.columns is not None and other.columns == mine.columns and other.rows == mine.rows
    else:
        ok = isinstance(other, (int, float)) and not isinstance(other, bool)
    return Frame(mine.rows, mine.columns, mine.ncols, node, mine.base) if ok else UNRESOLVED


@dataclass(eq=False)
class SeriesILoc:
    """``s.iloc``: positional selection of a Series' rows."""
    series: Series


@api.attribute(Series, "iloc")
def series_iloc(ev, s: Series, node):
    return SeriesILoc(s)


@api.method(SeriesILoc, "__getitem__")
def series_iloc_getitem(ev, loc: SeriesILoc, slice_node, scope):
    """``s.iloc[:700]``: the rows a slice selects (one row taken by an int is a number, not followed)."""
    if not isinstance(slice_node, ast.Slice):
        return UNRESOLVED
    return Series(_sliced_count(loc.series.rows, ev.eval(slice_node, scope)), slice_node)


@api.method(Series, "__len__")
def series_len(ev, s: Series):
    return s.rows if _int(s.rows) else UNRESOLVED


for _name in ("copy", "astype", "fillna", "abs", "clip", "round"):  # row-keeping methods
    api.method(Series, _name)(lambda ev, s, call: Series(s.rows, call.node, s.column, s.base))


__all__ = ["TorchDataset", "Loader", "TFDataset", "Frame", "first_batch", "collate"]


# -- keras.losses objects (their configuration matters to the label checks) ------------------------------------
@api.handles_prefix("keras.losses.")
def keras_loss_object(ev, call, rest: str):
    name = rest.split(".")[-1]
    if not name[:1].isupper():
        return UNRESOLVED
    return Opaque(f"keras.losses.{name}", tuple(call.args), dict(call.kwargs), call.node)


@api.handles_prefix("keras.metrics.")
def keras_metric_object(ev, call, rest: str):
    name = rest.split(".")[-1]
    if not name[:1].isupper():
        return UNRESOLVED
    return Opaque(f"keras.metrics.{name}", tuple(call.args), dict(call.kwargs), call.node)

