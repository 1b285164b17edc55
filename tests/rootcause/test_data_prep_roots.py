"""Mistakes written in the data preparation and refused by the model's first layer: the diagnosis walks back from
the layer to the line that made the data wrong, and the fix edits that line, never the layer. torch is the oracle:
each script raises, each fixed script runs and gives one output row per sample at two batch sizes.

- a loader that transposes CIFAR rows channels-last inside a cast chain: the transpose goes;
- a training loop that adds a channel axis a Dataset already added: the insertion goes;
- a color photo through the inference transform of a gray model: a Grayscale step goes into the Compose;
- a model built with its default ``in_channels=3`` for data whose channels are counted as ``len(BANDS)``."""
import os
import textwrap

import pytest

from oracle import run, torchvision_models
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _error(script):
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    return d


def _fixed(script, d):
    return fix_source("case.py", script, [d], ("safe", "unsafe")).source


LOADER = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn


    def load_rows(count):
        rows = np.random.randint(0, 256, (count, 3 * 16 * 16)).astype(np.uint8)
        images = rows.reshape(count, 3, 16, 16).transpose(0, 2, 3, 1).astype("float32") / 255.0
        return images


    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(8, 4))
    images = load_rows(BATCH)
    scores = net(torch.from_numpy(images))
""").lstrip()


@pytest.mark.parametrize("batch", [6, 11])
def test_a_loader_transpose_in_a_cast_chain_is_taken_out(batch):
    script = LOADER.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 8
    fixed = _fixed(script, d)
    assert ".transpose(0, 2, 3, 1)" not in fixed and ".astype(\"float32\")" in fixed
    assert run(fixed)["scores"].shape == (batch, 4)
    assert _fixed(fixed, d) == fixed or not [e for e in check_source("case.py", fixed).diagnostics
                                            if e.severity == "error"]


TWICE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset


    class Volumes(Dataset):
        def __init__(self, n):
            self.vols = torch.randn(n, 8, 16, 16)

        def __len__(self):
            return len(self.vols)

        def __getitem__(self, i):
            return self.vols[i].unsqueeze(0)


    net = nn.Sequential(nn.Conv3d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    for vol in DataLoader(Volumes(12), batch_size=BATCH):
        vol = vol.unsqueeze(1)
        scores = net(vol)
""").lstrip()


@pytest.mark.parametrize("batch", [3, 4])
def test_a_channel_axis_added_twice_loses_the_second(batch):
    script = TWICE.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 20
    fixed = _fixed(script, d)
    assert "vol = vol.unsqueeze(1)" not in fixed and ".unsqueeze(0)" in fixed
    assert run(fixed)["scores"].shape == (batch, 2)


def test_a_channel_axis_the_data_lacks_is_not_taken_out():
    script = TWICE.replace("self.vols[i].unsqueeze(0)", "self.vols[i]").replace("BATCH", "3")
    run(script)  # (3, 1, 8, 16, 16): right
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]


PHOTO = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from PIL import Image
    from torchvision import transforms

    digit_net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 24 * 24, 10))
    to_input = transforms.Compose([
        transforms.Resize((28, 28)),
        transforms.ToTensor(),
    ])
    photo = Image.fromarray(np.random.randint(0, 256, (64, 48, 3), dtype=np.uint8), mode="RGB")
    scores = digit_net(to_input(photo).unsqueeze(0))
""").lstrip()


def _with_torchvision():
    if torchvision_models() is None:  # the oracle needs torchvision's transforms
        pytest.skip("torchvision is not installed")


def test_a_color_photo_for_a_gray_model_gets_a_grayscale_step():
    _with_torchvision()
    with pytest.raises(RuntimeError):
        run(PHOTO)
    d = _error(PHOTO)
    assert d.primary.span.line == 8
    fixed = _fixed(PHOTO, d)
    assert "transforms.Grayscale()," in fixed and "unsqueeze(0)" in fixed and "Conv2d(1, 6, 5)" in fixed
    assert run(fixed)["scores"].shape == (1, 10)


def test_a_gray_photo_is_left_alone():
    _with_torchvision()
    script = PHOTO.replace('(64, 48, 3), dtype=np.uint8), mode="RGB"', '(64, 48), dtype=np.uint8), mode="L"')
    assert run(script)["scores"].shape == (1, 10)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]


BANDS = textwrap.dedent("""
    import torch
    import torch.nn as nn

    BANDS = ["red", "green", "blue", "nir", "swir"]


    class TileNet(nn.Module):
        def __init__(self, classes, in_channels=3):
            super().__init__()
            self.stem = nn.Conv2d(in_channels, 8, 3, padding=1)
            self.head = nn.Linear(8, classes)

        def forward(self, x):
            return self.head(torch.relu(self.stem(x)).mean(dim=(2, 3)))


    tiles = torch.rand(BATCH, len(BANDS), 24, 24)
    net = TileNet(classes=6)
    scores = net(tiles)
""").lstrip()


@pytest.mark.parametrize("batch", [5, 7])
def test_a_default_channel_count_gets_the_counted_bands(batch):
    script = BANDS.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 18
    fixed = _fixed(script, d)
    assert "TileNet(classes=6, in_channels=len(BANDS))" in fixed and "in_channels=3" in fixed
    assert run(fixed)["scores"].shape == (batch, 6)
    assert sum("in_channels=len(BANDS)" in n for n in [d.help or ""] + list(d.notes)) == 1
