"""Raw CIFAR rows reshaped to (N, 3, 32, 32) and given one by one to ``ToTensor``, which reads a NumPy image as
(H, W, C): each becomes a (32, 3, 32) tensor and the model's first conv fails. Reported at the reshape that gave the
planes-first layout, fixed there with ``.transpose(0, 2, 3, 1)`` (what torchvision's own CIFAR10 does).
torchvision is the oracle."""
import textwrap

import pytest

from oracle import run, torchvision_models
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torchvision.transforms as T

    flat = np.random.randint(0, 256, size=(10, 3072), dtype=np.uint8)
    images = flat.reshape(10, 3, 32, 32)
    transform = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    x = transform(images[0])
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_planes_first_images_are_blamed_where_they_were_shaped():
    (d,) = _errors(SRC)
    assert (d.code, d.primary.span.line) == ("SHP109", 5)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "images = flat.reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)" in fixed
    assert not _errors(fixed)


@pytest.mark.parametrize("change", [
    ("flat.reshape(10, 3, 32, 32)", "flat.reshape(10, 32, 32, 3)"),
    ("flat.reshape(10, 3, 32, 32)", "flat.reshape(10, 3, 32, 32).transpose(0, 2, 3, 1)"),
])
def test_images_with_their_planes_last_are_fine(change):
    assert not _errors(SRC.replace(*change))


def test_what_torchvision_does():
    if torchvision_models() is None:
        pytest.skip("no torchvision")
    with pytest.raises(RuntimeError):
        run(SRC)  # a (32, 3, 32) tensor: three means for 32 "channels"
    fixed = fix_source("case.py", SRC, _errors(SRC), ("safe", "unsafe")).source
    assert tuple(run(fixed)["x"].shape) == (3, 32, 32)
