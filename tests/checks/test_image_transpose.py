"""``img.transpose(0, 2)`` on a channels-last (H, W, C) image gives (C, W, H): rows and columns swap and a square
image's model runs on its transpose. The fix is ``permute(2, 0, 1)``. torch is the oracle of what the axes hold."""
import textwrap

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch

    img = np.zeros((16, 16, 3), dtype=np.float32)
    img[5, :, :] = 1.0  # a bright row
    x = torch.from_numpy(img).transpose(0, 2)
    rows_lit = x[0].sum(1)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_rows_and_columns_swap_and_permute_keeps_them():
    assert run(SRC)["rows_lit"][5] == 1  # the bright row has become a column: one lit entry per row
    (d,) = _warnings(SRC)
    assert d.code == "SHP224" and d.primary.span.line == 6
    fixed = apply_edits(SRC, d.fix.edits)
    assert "x = torch.from_numpy(img).permute(2, 0, 1)" in fixed
    assert run(fixed)["rows_lit"][5] == 16
    assert not _warnings(fixed)


def test_numpy_transpose_and_non_images():
    src = SRC.replace("torch.from_numpy(img).transpose(0, 2)", "torch.from_numpy(img.transpose(2, 1, 0).copy())")
    (d,) = _warnings(src)
    assert "img.transpose(2, 0, 1)" in apply_edits(src, d.fix.edits)
    table = "import numpy as np\nt = np.random.rand(100, 20, 50)\nu = t.transpose(2, 1, 0)\n"
    assert not _warnings(table)  # not an image: no small channel axis after two larger ones


def test_a_chain_of_transposes_is_judged_as_a_whole():
    """torchvision's old ToTensor, ``img.transpose(0, 1).transpose(0, 2)``, is (H, W, C) -> (C, H, W): right. One
    step of a chain says nothing of the final order (code review: reported, and the fix transposed every image)."""
    src = SRC.replace("torch.from_numpy(img).transpose(0, 2)", "torch.from_numpy(img).transpose(0, 1).transpose(0, 2)")
    assert run(src)["rows_lit"][5] == 16
    assert not _warnings(src)
    src = SRC.replace("torch.from_numpy(img).transpose(0, 2)", "torch.from_numpy(img).transpose(0, 2).transpose(1, 2)")
    assert run(src)["rows_lit"][5] == 16
    assert not _warnings(src)
