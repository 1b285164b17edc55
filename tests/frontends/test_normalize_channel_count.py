"""``T.Normalize(IMAGENET_MEAN, IMAGENET_STD)`` in the transform of grey (H, W) images: ``ToTensor`` gives (1, H, W)
and torch cannot subtract three means in place from it. Reported at the Normalize; the fix gives the grey image one
mean and std (the average of the three) and the model keeps its one input channel. torchvision is the oracle."""
import textwrap

import pytest

from oracle import run, torchvision_models
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torchvision.transforms as T

    MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    transform = T.Compose([T.ToTensor(), T.Normalize(MEAN, STD)])
    image = np.random.randint(0, 256, size=(28, 28), dtype=np.uint8)
    x = transform(image)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_three_statistics_for_a_grey_image():
    (d,) = _errors(SRC)
    assert (d.code, d.primary.span.line) == ("SHP111", 6)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "T.Normalize((0.449,), (0.226,))" in fixed
    assert not _errors(fixed)


@pytest.mark.parametrize("change", [
    ("size=(28, 28)", "size=(28, 28, 3)"),               # colour: three channels
    ("T.Normalize(MEAN, STD)", "T.Normalize((0.5,), (0.5,))"),
    ("T.Normalize(MEAN, STD)", "T.Grayscale(3), T.Normalize(MEAN, STD)"),
])
def test_statistics_that_fit_are_fine(change):
    assert not _errors(SRC.replace(*change))


def test_what_torchvision_does():
    if torchvision_models() is None:
        pytest.skip("no torchvision")
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        run(SRC)
    fixed = fix_source("case.py", SRC, _errors(SRC), ("safe", "unsafe")).source
    assert tuple(run(fixed)["x"].shape) == (1, 28, 28)
