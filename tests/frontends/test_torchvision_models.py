"""torchvision classification models built in a script (``torchvision.models.resnet18()``): their output shape and
parameter count agree with torchvision 0.28 itself (run on the meta device: shapes without arithmetic), for every
model shapelint knows, at several input sizes; the head a user replaces is checked where they wrote it, and reaching
into a part shapelint does not unfold leaves the shapes unknown, never an error."""
import textwrap

import pytest

from oracle import torchvision_models
from shapelint.frontends.source import api
from shapelint.frontends.source.check import check_source

api.load_all()  # the library modules register in their own order: importing one of them first would change it
from shapelint.frontends.source.torchvision_api import _MODELS  # noqa: E402

NAMES = sorted(_MODELS)


def _check(src):
    return check_source("case.py", textwrap.dedent(src))


def _errors(r):
    return [d for d in r.diagnostics if d.severity == "error"]


def _shapelint(name: str, size: int, num_classes: int = 10):
    r = _check(f"""
        import torch
        import torchvision
        model = torchvision.models.{name}(num_classes={num_classes})
        out = model(torch.randn(2, 3, {size}, {size}))
    """)
    (m,) = r.models
    ops = m.program.ops
    out = m.program.output
    return (_errors(r)[0].code if _errors(r) else tuple(out.shape)), sum(op.layer.params or 0 for op in ops)


def _torchvision(name: str, size: int, num_classes: int = 10):
    torch = pytest.importorskip("torch")
    models = torchvision_models()
    if models is None:
        pytest.skip("torchvision is not installed")
    with torch.device("meta"):
        model = getattr(models, name)(num_classes=num_classes)
        params = sum(p.numel() for p in model.parameters())
        try:
            return tuple(model(torch.randn(2, 3, size, size)).shape), params
        except (RuntimeError, ValueError):
            return "error", params


@pytest.mark.parametrize("name", NAMES)
def test_each_model_agrees_with_torchvision(name):
    for size in (224, 100, 40):
        got, params = _shapelint(name, size)
        want, real_params = _torchvision(name, size)
        assert isinstance(got, str) or params == real_params, (name, params, real_params)
        assert got == want or want == "error" and got == "SHP104", (name, size, got, want)


def test_a_head_sized_for_another_model_is_reported_where_it_is_written():
    r = _check("""
        import torch
        import torch.nn as nn
        import torchvision
        model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
        model.fc = nn.Linear(2048, 10)
        out = model(torch.randn(2, 3, 224, 224))
    """)
    (d,) = _errors(r)
    # the head it replaces knows the width (fix review p18_01 judged the literal 512 a workaround)
    assert d.code == "SHP101" and d.primary.span.line == 6 and [e.text for e in d.fix.edits] == ["model.fc.in_features"]


def test_the_head_read_from_the_model_and_a_classifier_index_replaced_are_followed():
    r = _check("""
        import torch
        import torch.nn as nn
        from torchvision import models
        model = models.vgg16(weights=None)
        for p in model.features.parameters():
            p.requires_grad = False
        model.classifier[6] = nn.Linear(model.classifier[6].in_features, 5)
        net = models.efficientnet_b0()
        net.classifier[1] = nn.Linear(1280, 5)
        x = torch.randn(4, 3, 224, 224)
        out, out2 = model(x), net(x)
    """)
    assert not _errors(r)
    assert [tuple(m.program.output.shape) for m in r.models] == [(4, 5), (4, 5)]


def test_a_grayscale_first_conv_is_followed():
    r = _check("""
        import torch
        import torch.nn as nn
        import torchvision
        model = torchvision.models.resnet34()
        model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        model.fc = nn.Linear(model.fc.in_features, 10)
        out = model(torch.randn(8, 1, 64, 64))
    """)
    assert not _errors(r) and tuple(r.models[0].program.output.shape) == (8, 10)


def test_grayscale_images_into_an_rgb_model_are_an_error_no_fix_edits_torchvision():
    r = _check("""
        import torch
        import torchvision
        model = torchvision.models.mobilenet_v2(num_classes=3)
        images = torch.randn(8, 1, 96, 96)
        out = model(images)
    """)
    (d,) = _errors(r)
    assert d.code == "SHP102" and d.primary.span.line == 5 and "images.expand(-1, 3, -1, -1)" in d.help
    assert d.fix is None or not d.fix.edits  # never an edit of the library's own conv


def test_changing_a_part_not_unfolded_leaves_the_shapes_unknown():
    for change in ("model.layer4[0].conv1 = nn.Conv2d(256, 128, 3)", "model.features.denseblock4 = nn.Identity()",
                   "model.features[0][0] = nn.Conv2d(1, 32, 3, 2, 1)"):
        r = _check(f"""
            import torch
            import torch.nn as nn
            import torchvision
            model = torchvision.models.{'densenet121' if 'denseblock4' in change else 'resnet18' if 'layer4' in change else 'mobilenet_v2'}()
            {change}
            out = model(torch.randn(2, 1, 64, 64))
        """)
        assert not _errors(r), change
