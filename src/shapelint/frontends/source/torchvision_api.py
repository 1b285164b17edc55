"""torchvision's classification models (``torchvision.models.resnet18(weights=...)``, ``vgg16``, ``densenet121``,
``mobilenet_v2``, ``efficientnet_b0``...): the most common way a PyTorch project starts, then ``model.fc =
nn.Linear(512, 10)`` or ``model.classifier[6] = nn.Linear(4096, 10)`` for the new classes.

A model is built as the modules a user can see and replace -- its first conv (``conv1``, ``features[0]``) and its
head (``fc``, ``classifier``), as real modules with torchvision's arguments -- around one op for everything between
(rules/torch/library_models.py: channels out, how the maps halve, the parameter count), followed by the pooling and
the flatten its forward applies. So a head sized for another width is reported where the user wrote it, a grayscale
first conv is followed, and ``model.fc.in_features`` reads 512. Reaching into the trunk (``model.layer4[0] = ...``,
``model.features[3][0] = ...``) or replacing a part this model does not expose leaves the model's shapes unknown
(uncertain), never guessed. Parameters: torchvision 0.28 with its defaults (``weights=None``); the trunk's count is
what the model has beyond its first conv and its head.
"""
from __future__ import annotations

from typing import Optional

from ...core.program import UNRESOLVED
from . import api
from .layers import make_layer
from .objects import BoundMethod, LayerObj
from .torch_api import TorchSequential, _ensure_finalizer, _unreport, is_module

FW = "torch"

# name: (first conv's out_channels, features into the head, trunk parameters) -- torchvision 0.28, weights=None
_MODELS = {
    "resnet18": (64, 512, 11167104), "resnet34": (64, 512, 21275264), "resnet50": (64, 2048, 23498624),
    "resnet101": (64, 2048, 42490752), "resnet152": (64, 2048, 58134400),
    "resnext50_32x4d": (64, 2048, 22970496), "resnext101_32x8d": (64, 2048, 86732928),
    "resnext101_64x4d": (64, 2048, 81396864), "wide_resnet50_2": (64, 2048, 66824832),
    "wide_resnet101_2": (64, 2048, 124828288),
    "vgg11": (64, 25088, 9218688), "vgg13": (64, 25088, 9403200), "vgg16": (64, 25088, 14712896),
    "vgg19": (64, 25088, 20022592), "vgg11_bn": (64, 25088, 9224192), "vgg13_bn": (64, 25088, 9409088),
    "vgg16_bn": (64, 25088, 14721344), "vgg19_bn": (64, 25088, 20033600),
    "alexnet": (64, 9216, 2446400),
    "densenet121": (64, 1024, 6944448), "densenet161": (96, 2208, 26457888), "densenet169": (64, 1664, 12475072),
    "densenet201": (64, 1920, 18083520),
    "mobilenet_v2": (32, 1280, 2222944), "mobilenet_v3_small": (16, 576, 926544),
    "mobilenet_v3_large": (16, 960, 2971488),
    "efficientnet_b0": (32, 1280, 4006620), "efficientnet_b1": (32, 1280, 6512256),
    "efficientnet_b2": (32, 1408, 7700066), "efficientnet_b3": (40, 1536, 10695072),
    "efficientnet_b4": (48, 1792, 17547224), "efficientnet_b5": (48, 2048, 28339392),
    "efficientnet_b6": (56, 2304, 40734080), "efficientnet_b7": (64, 2560, 63785104),
}
_EFFICIENTNET_DROPOUT = {"b0": 0.2, "b1": 0.2, "b2": 0.3, "b3": 0.3, "b4": 0.4, "b5": 0.4, "b6": 0.5, "b7": 0.5}
_CLASS_NAMES = (("resnet", "ResNet"), ("resnext", "ResNet"), ("wide_resnet", "ResNet"), ("vgg", "VGG"),
                ("alexnet", "AlexNet"), ("densenet", "DenseNet"), ("mobilenet_v2", "MobileNetV2"),
                ("mobilenet_v3", "MobileNetV3"), ("efficientnet", "EfficientNet"))


class LibraryModel(TorchSequential):
    """A torchvision model: its named children in forward order; a part it does not expose is not guessed."""

    def __init__(self, ev, node, children: list, class_name: str):
        super().__init__(ev, node, children)
        self.library_class = class_name

    def class_name(self) -> str:
        return self.library_class


class LibraryFeatures(TorchSequential):
    """A torchvision ``features`` Sequential: its first block as real modules, then the trunk as one op. Index 0 is
    that block; any other index, a slice, its length or its items are the trunk's parts, which are not unfolded."""


class TrunkPart:
    """A part of a library model's trunk read by the user (``model.layer4``, ``model.features[1][0]``): reading it
    or freezing its parameters changes no shape; changing it, or anything inside it, makes ``owner`` (the trunk, or
    the model) uncertain: its shapes are unknown from then on."""

    opaque_value = True  # passed as a layer's size (``nn.Linear(model.last_channel, 6)``): unknown, never invalid

    def __init__(self, owner):
        self.owner = owner


class TrunkObj(LayerObj):
    """The trunk op as a child module: applied like any module, opaque to indexing and attributes."""


def _module(ev, call, kind: str, *args, **kwargs) -> LayerObj:
    """A module torchvision builds, made at the user's call (its row in the table is that line); it has no argument
    spans of its own, so no fix edits it: a fix belongs to what the user wrote."""
    sub = api.Call(call.node, list(args), dict(kwargs), [], {}, f"torch.nn.{kind}")
    layer = make_layer(ev, FW, kind, sub)
    layer.extra.pop("call_end", None)
    layer.extra["library_part"] = True
    return LayerObj(layer, call.node)


def _seq(ev, call, children: list, cls=TorchSequential) -> TorchSequential:
    seq = cls(ev, call.node, [(str(i), c) if not isinstance(c, tuple) else c for i, c in enumerate(children)])
    seq.reported = False
    for _, c in seq.children:
        _unreport(c)
    return seq


def _trunk(ev, call, name: str, cin: int, cout: int, halvings: str, params: int) -> TrunkObj:
    made = _module(ev, call, "TorchvisionTrunk", name, cin, cout, halvings, params)
    return TrunkObj(made.layer, made.node)


def build(ev, call, name: str) -> Optional[LibraryModel]:
    """The model ``name`` as torchvision builds it with this call's ``num_classes`` (default 1000)."""
    if call.starred or name not in _MODELS:
        return None
    nc = call.kwargs.get("num_classes", 1000)
    if not isinstance(nc, int) or isinstance(nc, bool):
        return None
    c0, feat, params = _MODELS[name]
    m = lambda kind, *a, **k: _module(ev, call, kind, *a, **k)  # noqa: E731 -- one spelling for the tables below
    if name.startswith(("resnet", "resnext", "wide_resnet")):
        children = [("conv1", m("Conv2d", 3, 64, 7, stride=2, padding=3, bias=False)),
                    ("bn1 ... layer4", _trunk(ev, call, name, 64, feat, "cccc", params)),
                    ("avgpool", m("AdaptiveAvgPool2d", (1, 1))), ("flatten", m("Flatten")),
                    ("fc", m("Linear", feat, nc))]
    elif name.startswith("vgg") or name == "alexnet":
        vgg = name.startswith("vgg")
        first = m("Conv2d", 3, 64, 3, padding=1) if vgg else m("Conv2d", 3, 64, 11, stride=4, padding=2)
        trunk = _trunk(ev, call, name, 64, 512 if vgg else 256, "fffff" if vgg else "aaa", params)
        top = [m("Linear", feat, 4096), m("ReLU", True), m("Dropout", 0.5), m("Linear", 4096, 4096),
               m("ReLU", True), m("Dropout", 0.5), m("Linear", 4096, nc)]
        if not vgg:
            top = [m("Dropout", 0.5)] + top[:5] + [top[6]]
        children = [("features", _seq(ev, call, [first, ("1 ...", trunk)], LibraryFeatures)),
                    ("avgpool", m("AdaptiveAvgPool2d", (7, 7) if vgg else (6, 6))), ("flatten", m("Flatten")),
                    ("classifier", _seq(ev, call, top))]
    elif name.startswith("densenet"):
        features = _seq(ev, call, [("conv0", m("Conv2d", 3, c0, 7, stride=2, padding=3, bias=False)),
                                   ("norm0 ...", _trunk(ev, call, name, c0, feat, "cfff", params))], LibraryFeatures)
        children = [("features", features), ("avgpool", m("AdaptiveAvgPool2d", (1, 1))),
                    ("flatten", m("Flatten")), ("classifier", m("Linear", feat, nc))]
    else:
        act = "ReLU6" if name == "mobilenet_v2" else "Hardswish" if name.startswith("mobilenet_v3") else "SiLU"
        stem = _seq(ev, call, [m("Conv2d", 3, c0, 3, stride=2, padding=1, bias=False), m("BatchNorm2d", c0),
                               m(act)])
        features = _seq(ev, call, [stem, ("1 ...", _trunk(ev, call, name, c0, feat, "cccc", params))],
                        LibraryFeatures)
        if name.startswith("mobilenet_v3"):
            hidden = 1024 if name.endswith("small") else 1280
            top = [m("Linear", feat, hidden), m("Hardswish"), m("Dropout", 0.2), m("Linear", hidden, nc)]
        else:
            top = [m("Dropout", _EFFICIENTNET_DROPOUT.get(name[-2:], 0.2)), m("Linear", feat, nc)]
        children = [("features", features), ("avgpool", m("AdaptiveAvgPool2d", (1, 1))),
                    ("flatten", m("Flatten")), ("classifier", _seq(ev, call, top))]
    for _, c in children:
        _unreport(c)
    _ensure_finalizer(ev)
    cls = next(c for prefix, c in _CLASS_NAMES if name.startswith(prefix))
    return LibraryModel(ev, call.node, children, cls)


@api.handles_prefix("torchvision.models.")
def torchvision_model(ev, call, rest: str):
    model = build(ev, call, rest)
    return model if model is not None else UNRESOLVED


# -- what a user does with the model -----------------------------------------------------------------------------
@api.attribute(LibraryModel, "__getattr__")
def library_getattr(ev, model: LibraryModel, name: str, node):
    child = model.child(name)
    if child is not None:
        return child
    value = _SIZES.get((model.library_class, name))
    if value is not None and not getattr(model, "uncertain", False):
        return value
    return BoundMethod(model, name) if api.find_method(model, name) is not None else TrunkPart(model)


# sizes torchvision keeps as attributes of a model built with its defaults (torchvision 0.28: MobileNetV2.__init__)
_SIZES = {("MobileNetV2", "last_channel"): 1280}


class TrunkRest(TrunkPart):
    """One of the real children a trunk op stands for after its first (a ResNet's ``relu`` ... ``layer4``): in a
    list of children it keeps the count and the indices right (``list(resnet.children())[:-2]`` is the stem and the
    trunk); ``nn.Sequential`` folds it into the trunk when the whole run is there (``continues`` / ``position``)."""

    def __init__(self, owner, position: int, of: int):
        super().__init__(owner)
        self.continues, self.position, self.of = owner, position, of


# The real children of a ResNet, in order, against the modelled ones: conv1, then bn1 relu maxpool layer1 ... layer4
# (the trunk op), avgpool, fc -- torchvision's forward flattens with a function, not a child.
_RESNET_TRUNK_CHILDREN = 7


@api.method(LibraryModel, "children")
def library_children(ev, model, *rest):
    """``list(resnet.children())[:-2]`` (the convolutional trunk) and ``[:-1]`` (with its pooling): a ResNet's ten
    real children, the trunk's seven standing as the trunk op and six parts that fold into it. Other models: see
    library_listed."""
    if not model.library_class.startswith(("ResNet",)) or getattr(model, "uncertain", False):
        return UNRESOLVED
    kids = dict(model.children)
    trunk = kids.get("bn1 ... layer4")
    if not isinstance(trunk, TrunkObj) or any(kids.get(k) is None for k in ("conv1", "avgpool", "fc")):
        return UNRESOLVED
    if any(kids[k].changed for k in ("conv1", "avgpool", "fc") if isinstance(kids[k], LayerObj)):
        return UNRESOLVED  # `r.conv1.in_channels = 1`, a new weight: the part is not what torchvision built
    rests = [TrunkRest(trunk, i, _RESNET_TRUNK_CHILDREN - 1) for i in range(1, _RESNET_TRUNK_CHILDREN)]
    return [kids["conv1"], trunk] + rests + [kids["avgpool"], kids["fc"]]


@api.method(LibraryModel, "modules", "named_children", "named_modules")
@api.method(LibraryFeatures, "children", "modules", "named_children", "named_modules", "__len__")
def library_listed(ev, model, *rest):
    """Its modules one by one: the trunk's parts are not unfolded, so the list is unknown -- a model cut from it has
    unknown shapes rather than wrong ones."""
    return UNRESOLVED


@api.method(LibraryFeatures, "__iter__")
def features_iter(ev, seq, node):
    return None  # not known one by one (see library_listed)


@api.method(LibraryFeatures, "__getitem__")
def features_getitem(ev, seq: LibraryFeatures, slice_node, scope):
    key = ev.eval(slice_node, scope)
    if key == 0 and not isinstance(key, bool):
        return seq.children[0][1]
    return TrunkPart(seq)


@api.method(LibraryModel, "__setattr__")
def library_setattr(ev, model: LibraryModel, name: str, value, stmt):
    if is_module(value) and model.replace(name, value):
        _unreport(value)
        model.mark_uncertain()
        return
    model.uncertain = True  # a part this model does not expose, or not a module: its shapes are unknown now


@api.attribute(TrunkObj, "__getattr__")
@api.attribute(TrunkPart, "__getattr__")
def trunk_getattr(ev, part, name: str, node):
    return TrunkPart(part if isinstance(part, TrunkObj) else part.owner)


@api.method(TrunkObj, "__getitem__")
@api.method(TrunkPart, "__getitem__")
def trunk_getitem(ev, part, slice_node, scope):
    return TrunkPart(part if isinstance(part, TrunkObj) else part.owner)


@api.method(TrunkObj, "__setattr__", "__setitem__")
@api.method(TrunkPart, "__setattr__", "__setitem__")
def trunk_changed(ev, part, key, value, stmt):
    (part if isinstance(part, TrunkObj) else part.owner).uncertain = True
