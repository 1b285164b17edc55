"""SHP211 (einops-inverse): ``patchify`` writes each patch as ``(p1 p2 c)`` and ``unpatchify`` reads it back as
``(c p1 p2)``: the sizes agree, but ``unpatchify(patchify(x))`` is not ``x``. Reported at the reader, fixed by
reading the group in the order it was written; the fixed pair round-trips exactly. einops is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    from einops import rearrange


    def patchify(imgs, p=4):
        return rearrange(imgs, "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=p, p2=p)


    def unpatchify(x, p=4, hw=4):
        return rearrange(x, "b (h w) (c p1 p2) -> b c (h p1) (w p2)", h=hw, w=hw, p1=p, p2=p)


    imgs = torch.randn(2, 3, 16, 16)
    back = unpatchify(patchify(imgs))
""").lstrip()


def _loud(src):
    r = check_source("case.py", src)
    return r, [d for d in r.diagnostics if d.severity in ("error", "warning")]


def test_the_reader_is_reported_and_reads_the_written_order():
    r, loud = _loud(SRC)
    assert [(d.code, d.primary.span.line) for d in loud] == [("SHP211", 10)]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert '"b (h w) (p1 p2 c) -> b c (h p1) (w p2)"' in fixed and not _loud(fixed)[1]
    torch = pytest.importorskip("torch")
    pytest.importorskip("einops")
    from oracle import run
    scope = run(fixed)
    assert torch.equal(scope["back"], scope["imgs"])
    assert not torch.equal(run(SRC)["back"], run(SRC)["imgs"])


def test_patterns_that_are_not_each_others_inverse_say_nothing():
    src = SRC.replace('"b (h w) (c p1 p2) -> b c (h p1) (w p2)"', '"b (h w) (c p1 p2) -> b c (h p1) (w p2) "'
                      ).replace("-> b c (h p1) (w p2) \"", "-> b (h p1) (w p2) c\"")
    assert not _loud(src)[1]
