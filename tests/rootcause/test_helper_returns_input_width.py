"""A layer-building helper that returns the width it was given instead of the one its block makes
(``return block, in_ch`` after a 1x1 conv to ``out_ch``): every stage built after it expects the old width. The root
is the ``return``; fixing one of the later mismatches alone leaves the model crashing at the earlier one, so no fix
for a later error is applied while an earlier error of the same model stays. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def conv_stage(in_ch, n):
        layers = []
        for _ in range(n):
            layers += [nn.Conv2d(in_ch, in_ch, 3, padding=1), nn.BatchNorm2d(in_ch), nn.ReLU()]
        return nn.Sequential(*layers), in_ch


    def reduce_stage(in_ch, factor):
        out_ch = in_ch // factor
        block = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1), nn.MaxPool2d(2))
        return block, in_ch


    def build(widths=(32, 64), n=2):
        ch = 3
        parts = [nn.Conv2d(ch, widths[0], 3, padding=1)]
        ch = widths[0]
        for _ in range(2):
            stage, ch = conv_stage(ch, n)
            red, ch = reduce_stage(ch, 2)
            parts += [stage, red]
        parts += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(ch, 10)]
        return nn.Sequential(*parts)


    model = build()
    out = model(torch.randn(4, 3, 32, 32))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_return_is_blamed_and_one_edit_clears_every_error():
    errors = _errors(SRC)
    first = next(d for d in errors if d.code == "SHP102")  # the first stage built for the old width
    assert "return block, in_ch" in SRC.splitlines()[first.primary.span.line - 1]
    assert first.cause == "helper-return"
    fixed = fix_source("case.py", SRC, [first], ("safe", "unsafe")).source
    assert "    return block, out_ch\n" in fixed and _errors(fixed) == []
    assert fixed.count("\n") == SRC.count("\n") and "in_ch // factor" in fixed  # nothing else was resized


def test_no_later_error_is_fixed_while_an_earlier_one_stays():
    """Without the helper's finder, the later mismatches have fixes of their own (size the Linear for what it
    receives); none is applied while the model still fails earlier."""
    from shapelint.rootcause import causes, engine
    saved = engine.FINDERS
    engine.FINDERS = tuple(f for f in saved if f is not causes.helper_returns_input_width)
    try:
        errors = _errors(SRC)
        later = [d for d in errors if d.code == "SHP101"]  # the Linear, after the convolution that fails first
        assert later and any(d.code == "SHP102" for d in errors)
        assert all(d.fix is None or not d.fix.edits for d in later)
    finally:
        engine.FINDERS = saved


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("return block, in_ch", "return block, out_ch"))["out"].shape) == (4, 10)


def test_two_independent_mistakes_on_one_path_each_keep_their_fix():
    """Code review: two wrong Linear sizes in one Sequential are independent; the later one's fix, applied with the
    earlier one's, clears both, so neither is refused."""
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        model = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(30, 5))
        out = model(torch.randn(4, 12))
    """).lstrip()
    errors = _errors(src)
    assert len(errors) == 2 and all(d.fix is not None and d.fix.edits for d in errors)
    fixed = fix_source("case.py", src, errors, ("safe", "unsafe")).source
    assert "nn.Linear(12, 20)" in fixed and "nn.Linear(20, 5)" in fixed and _errors(fixed) == []
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (4, 5)
