"""An axis inserted at the wrong place: ``image.unsqueeze(1)`` meant to add the batch axis to one (3, 32, 32) image,
or ``unsqueeze(0)`` on a stack of gray images that needed a channel axis at 1. The position written is the mistake;
resizing the first layer to what it got would run for one batch size only. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

CIFAR = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 10))
    images = torch.randn(100, 3, 32, 32)


    def prepare(image):
        return image.unsqueeze(1)


    logits = model(prepare(images[0]))
""").lstrip()

GRAY = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
    digits = torch.rand(64, 28, 28)
    batch = digits.unsqueeze(0)
    logits = model(batch)
""").lstrip()


@pytest.mark.parametrize("src, wrong, right, rows", [
    (CIFAR, "image.unsqueeze(1)", "image.unsqueeze(0)", 1),
    (GRAY, "digits.unsqueeze(0)", "digits.unsqueeze(1)", 64),
])
def test_the_axis_goes_in_where_the_model_reads_it(src, wrong, right, rows):
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    line = next(i for i, text in enumerate(src.splitlines(), 1) if wrong in text)
    assert d.primary.span.line == line and d.cause == "axis-inserted-elsewhere"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert right in fixed
    assert "Conv2d(3, 6, 5)" in fixed or "Conv2d(1, 8, 3)" in fixed  # the model is left as it was
    assert tuple(run(fixed)["logits"].shape) == (rows, 10)


def test_an_insertion_the_model_reads_right_is_not_blamed():
    src = GRAY.replace("digits.unsqueeze(0)", "digits.unsqueeze(1)")
    assert tuple(run(src)["logits"].shape) == (64, 10)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_batch_that_equals_the_channels_is_not_taken_for_one_image():
    """Three gray images (3, 28, 28) given their channel axis, into a conv built for 3 channels: the conv is wrong,
    not the insertion (code review: unsqueeze(0) turned three samples into one image)."""
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        x = torch.randn(3, 28, 28)
        model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 26 * 26, 10))
        logits = model(x.unsqueeze(1))
    """).lstrip()
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.cause != "axis-inserted-elsewhere"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "x.unsqueeze(1)" in fixed and tuple(run(fixed)["logits"].shape) == (3, 10)
