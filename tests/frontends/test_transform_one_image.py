"""A torchvision transform called on one image before predicting -- ``preprocess(Image.fromarray(...))``, on a PIL
image, a numpy image or a tensor -- gives the image as the transform makes it, (C, H, W) without a batch axis; a
model given it is found to miss that axis, and the fix adds it where the sample is passed. torchvision's transforms
are the oracle where they import (their wheel is a CUDA build: the test skips otherwise)."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from PIL import Image
    from torchvision import transforms

    preprocess = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(),
                                     transforms.Normalize((0.5,), (0.5,))])
    gray = Image.fromarray(np.random.randint(0, 256, (28, 28), dtype=np.uint8), mode="L")
    rgb = Image.fromarray(np.random.randint(0, 256, (40, 30, 3), dtype=np.uint8), mode="RGB")
    x_gray = preprocess(gray)
    x_rgb = preprocess(rgb)
    x_np = transforms.ToTensor()(np.zeros((20, 24, 3), dtype=np.uint8))
""").lstrip()

MODEL = textwrap.dedent("""
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(8 * 16 * 16, 10))
    logits = model(x_gray)
""")


def test_the_transformed_image_has_its_shape():
    static = static_values(SRC)
    assert [tuple(static[n].shape) for n in ("x_gray", "x_rgb", "x_np")] == [(1, 32, 32), (3, 32, 32), (3, 20, 24)]


def test_a_single_image_given_to_the_model_misses_the_batch_axis():
    (d,) = [d for d in check_source("case.py", SRC + MODEL).diagnostics if d.severity == "error"]
    assert "model(x_gray.unsqueeze(0))" in "".join(e.text for e in d.fix.edits) or \
        any("unsqueeze(0)" in e.text for e in d.fix.edits)


def test_what_torchvision_does():
    pytest.importorskip("torch")
    try:
        real = run(SRC)
    except (ImportError, RuntimeError):
        pytest.skip("torchvision does not import next to the CPU torch here")
    assert [tuple(real[n].shape) for n in ("x_gray", "x_rgb", "x_np")] == [(1, 32, 32), (3, 32, 32), (3, 20, 24)]
