"""A skip connection's maps a few pixels apart are padded to fit (inside a model); a generated image joined with
label maps sized by hand outside any model is not: the generator's size is what is wrong, and padding the label
maps would hide it. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

GAN = textwrap.dedent("""
    import torch
    import torch.nn as nn

    gen = nn.Sequential(nn.ConvTranspose2d(8, 1, 4, 2, 1))
    fake = gen(torch.randn(4, 8, 16, 16))
    maps = torch.ones(4, 3, 28, 28)
    joined = torch.cat([fake, maps], dim=1)
""").lstrip()


def test_no_padding_over_a_generator_size():
    (d,) = [d for d in check_source("case.py", GAN).diagnostics if d.severity == "error"]
    assert d.code == "SHP106" and (d.fix is None or not d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        run(GAN)
