"""A bare ``squeeze()`` at the end of a binary classifier fed by a DataLoader whose last batch holds one sample
(97 samples in batches of 32): the last batch's (1, 1) logits become a 0-d tensor and BCEWithLogitsLoss raises on
the last step. Reported at the squeeze, fixed by naming the axis (not with drop_last). Quiet when no batch of one
can occur. Torch is the oracle."""
from pathlib import Path

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

BAD = (Path(__file__).parents[2] / "docs" / "codes" / "examples" / "SHP223_bad.py").read_text()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_squeeze_is_given_its_axis():
    (d,) = _found(BAD)
    assert d.code == "SHP223" and d.severity == "error" and d.primary.span.line == 17
    fixed = fix_source("case.py", BAD, [d], ("safe", "unsafe")).source
    assert ".squeeze(1)" in fixed and "drop_last" not in fixed and not _found(fixed)


@pytest.mark.parametrize("n", [96, 98])
def test_no_batch_of_one_no_report(n):
    assert not _found(BAD.replace("97", str(n)))


def test_a_squeeze_inside_the_model_is_a_warning():
    src = BAD.replace("return self.head(self.body(x)).squeeze()",
                      "h = self.head(self.body(x)).squeeze()\n        return h.unsqueeze(1)").replace(
        "criterion(model(xb), yb)", "criterion(model(xb), yb.unsqueeze(1))")
    (d,) = _found(src)
    assert d.code == "SHP223" and d.severity == "warning"


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError):
        run(BAD)
    run(BAD.replace(".squeeze()", ".squeeze(1)"))
    run(BAD.replace("97", "96"))
