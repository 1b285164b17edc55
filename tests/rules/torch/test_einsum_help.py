"""An einsum operand with more dims than its subscripts (top-k expert weights (T, K, E) written as 'te'): the help
asks for one subscript per dim and never offers `...`, which would run and sum the extra axis together with the
other operand's leading axes (torch is the oracle: `...e,ted->td` runs and computes something else)."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import torch
    combine = torch.rand(30, 2, 4)
    expert_out = torch.rand(30, 4, 8)
    out = torch.einsum(EQUATION, combine, expert_out)
""").lstrip()


def test_the_help_names_every_axis_and_offers_no_ellipsis():
    src = SRC.replace("EQUATION", '"te,ted->td"')
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "one subscript per dim" in d.help and "..." not in d.help
    assert run(SRC.replace("EQUATION", '"tke,ted->td"'))["out"].shape == (30, 8)
    assert run(SRC.replace("EQUATION", '"...e,ted->td"'))["out"].shape == (30, 8)  # runs: the wrong fix the help avoids
