"""A classifier head built for a backbone's channels, given the backbone's feature map: the fix pools the map (one
vector per image), never resizes the head to a spatial size nor moves the channels last (a per-pixel head).
PyTorch and torchvision are the oracles: the original raises, the fixed script runs with one row per sample at two
batch sizes."""
import pytest

from oracle import run, torchvision_models
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TRUNK = """
import torch
import torch.nn as nn
from torchvision import models


class Localizer(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        base = models.resnet18(weights=None)
        self.features = nn.Sequential(*list(base.children())[:-2])
        self.neck = nn.Sequential(nn.Linear(512, 256), nn.ReLU())
        self.cls_head = nn.Linear(256, n_classes)

    def forward(self, x):
        return self.cls_head(self.neck(self.features(x)))


model = Localizer()
logits = model(torch.randn(BATCH, 3, 64, 64))
"""

MAP = """
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 64, 3, stride=4, padding=1), nn.ReLU())
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        return self.head(self.features(x))


logits = Net()(torch.randn(BATCH, 3, 32, 32))
"""


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def _fixed(src):
    d = _errors(src)[0]
    return d, fix_source("case.py", src, [d], ("safe", "unsafe")).source


def test_the_cut_keeps_the_pooling_and_flattens():
    if torchvision_models() is None:
        pytest.skip("torchvision is not importable")
    src = TRUNK.replace("BATCH", "4")
    with pytest.raises(RuntimeError):
        run(src)
    d, fixed = _fixed(src)
    assert d.primary.span.line == 11 and "[:-1]" in d.help
    assert "children())[:-1], nn.Flatten())" in fixed and not _errors(fixed)
    for batch in (4, 7):
        assert tuple(run(fixed.replace("torch.randn(4,", f"torch.randn({batch},"))["logits"].shape) == (batch, 3)


def test_the_cut_shapes_follow_torchvision():
    models = torchvision_models()
    if models is None:
        pytest.skip("torchvision is not importable")
    import torch
    import torch.nn as nn
    base = models.resnet18(weights=None)
    x = torch.randn(2, 3, 64, 64)
    src = ("import torch\nimport torch.nn as nn\nfrom torchvision import models\nbase = models.resnet18()\n"
           "x = torch.randn(2, 3, 64, 64)\n"
           "a = nn.Sequential(*list(base.children())[:-2])(x)\nb = nn.Sequential(*list(base.children())[:-1])(x)\n"
           "n = len(list(base.children()))\n")
    from oracle import static_values
    ours = static_values(src)
    assert ours["n"] == len(list(base.children())) == 10
    for name, cut in (("a", -2), ("b", -1)):
        real = tuple(nn.Sequential(*list(base.children())[:cut])(x).shape)
        assert tuple(ours[name].value.shape) == real


def test_a_cut_inside_the_trunk_stays_unknown():
    src = ("import torch\nimport torch.nn as nn\nfrom torchvision import models\nbase = models.resnet18()\n"
           "y = nn.Sequential(*list(base.children())[:5])(torch.randn(2, 3, 64, 64))\n")
    from oracle import static_values
    assert getattr(static_values(src)["y"], "shape", None) is None and not _errors(src)


def test_a_head_on_a_feature_map_pools_it():
    src = MAP.replace("BATCH", "4")
    with pytest.raises(RuntimeError):
        run(src)
    d, fixed = _fixed(src)
    assert "self.head(self.features(x).mean((2, 3)))" in fixed and not _errors(fixed)
    for batch in (4, 5):
        assert tuple(run(fixed.replace("torch.randn(4,", f"torch.randn({batch},"))["logits"].shape) == (batch, 10)


def test_a_head_inside_a_sequential_gets_the_pooling_before_it():
    src = MAP.replace("BATCH", "4").replace(
        "self.head = nn.Linear(64, 10)", "self.head = nn.Sequential(nn.Linear(64, 10), nn.ReLU())")
    d, fixed = _fixed(src)
    assert "nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)" in fixed and not _errors(fixed)
    assert tuple(run(fixed)["logits"].shape) == (4, 10)


def test_children_after_weight_surgery_are_not_read():
    """``r.conv1.in_channels = 1`` and a summed 1-channel weight (a grayscale ResNet, rw27a): the first conv is no
    longer what torchvision built, so the rebuilt trunk is not read from it -- no error on 1-channel frames."""
    src = ("import torch\nimport torch.nn as nn\nfrom torchvision import models\n"
           "r = models.resnet18(weights=None)\nw = r.conv1.weight.data\nr.conv1.in_channels = 1\n"
           "r.conv1.weight = nn.Parameter(w.sum(dim=1, keepdim=True))\n"
           "trunk = nn.Sequential(*list(r.children())[:-2])\ny = trunk(torch.rand(2, 1, 128, 160))\n")
    assert not _errors(src)
