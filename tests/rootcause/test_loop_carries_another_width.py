"""A building loop that carries the raw setting as the next block's input width instead of the width the block
makes (MobileNetV2's ``input_channel = c`` after blocks built to give ``make_divisible(c * width_mult)``): right at
width 1.0, wrong at 0.75. The assignment is blamed and made to carry what the block makes; resetting the multiplier
would run and drop the slim model. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    SETTING = [(16, 1), (24, 2), (32, 1)]


    def block(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


    class Slim(nn.Module):
        def __init__(self, width_mult=0.5):
            super().__init__()
            input_channel = int(16 * width_mult)
            layers = [nn.Conv2d(3, input_channel, 3, padding=1)]
            for c, n in SETTING:
                output_channel = int(c * width_mult)
                for _ in range(n):
                    layers.append(block(input_channel, output_channel))
                    input_channel = c
            self.features = nn.Sequential(*layers)

        def forward(self, x):
            return self.features(x)


    out = Slim()(torch.randn(2, 3, 16, 16))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_carried_width_is_blamed_and_made_the_one_the_block_makes():
    errors = _errors(SRC)
    assert errors and any("input_channel = c" in SRC.splitlines()[d.primary.span.line - 1] for d in errors)
    first = next(d for d in errors if "input_channel = c" in SRC.splitlines()[d.primary.span.line - 1])
    out = fix_source("case.py", SRC, [first], ("safe", "unsafe")).source
    assert "input_channel = output_channel" in out and "width_mult=0.5" in out and _errors(out) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("input_channel = c\n", "input_channel = output_channel\n"))["out"].shape) == \
        (2, 16, 16, 16)


def test_a_correct_loop_is_not_blamed_for_an_error_elsewhere():
    """Code review: a correct bottleneck loop (``in_planes = out_planes``) in a file whose real mistake is the head's
    size: the loop did not build the failing layer, so it is not offered as the cause."""
    src = (__import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "review19" /
           "loop_resnet.py").read_text()
    errors = _errors(src)
    assert errors and not any("carry the width" in (d.help or "") for d in errors)
