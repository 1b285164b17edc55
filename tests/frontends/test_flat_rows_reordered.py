"""Rows of C * H * W values (CIFAR's planar layout: all red, then green, then blue) reshaped to (N, H, W, C): the
sizes fit, nothing raises, and every image is scrambled. Known only when the reshape's sizes are the very sizes the
row was made from -- its width written as ``C * H * W``, or made by flattening (n, C, H, W) -- in another order.
The fix splits the row in its own order and transposes. numpy is the oracle: the fixed reshape gives the images back
exactly."""
import textwrap

import numpy as np

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

WRITTEN = textwrap.dedent("""
    import numpy as np

    C, H, W = 3, 8, 8
    raw = np.random.default_rng(0).integers(0, 256, size=(20, C * H * W)).astype("uint8")
    images = raw.reshape(-1, H, W, C)
""").lstrip()

FLATTENED = textwrap.dedent("""
    import numpy as np

    CHANNELS, IMG = 3, 8


    def fake_batch(n):
        planes = np.random.default_rng(0).integers(0, 256, size=(n, CHANNELS, IMG, IMG))
        return {"data": planes.reshape(n, -1), "planes": planes}


    batch = fake_batch(20)
    rows = batch["data"]
    images = rows.reshape(-1, IMG, IMG, CHANNELS)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_rows_written_as_a_product_are_split_in_that_order():
    (d,) = _warnings(WRITTEN)
    assert d.code == "SHP211" and d.primary.span.line == 5
    fixed = fix_source("case.py", WRITTEN, [d], ("safe", "unsafe")).source
    assert "raw.reshape(-1, C, H, W).transpose(0, 2, 3, 1)" in fixed and not _warnings(fixed)


def test_rows_made_by_flattening_are_split_in_that_order():
    (d,) = _warnings(FLATTENED)
    assert d.primary.span.line == 13
    fixed = fix_source("case.py", FLATTENED, [d], ("safe", "unsafe")).source
    assert "rows.reshape(-1, CHANNELS, IMG, IMG).transpose(0, 2, 3, 1)" in fixed and not _warnings(fixed)


def test_rows_split_in_their_own_order_or_of_unknown_order_are_quiet():
    assert not _warnings(WRITTEN.replace("raw.reshape(-1, H, W, C)", "raw.reshape(-1, C, H, W)"))
    assert not _warnings(WRITTEN.replace("size=(20, C * H * W)", "size=(20, 192)"))


def test_what_numpy_does():
    scope = run(FLATTENED)
    assert not np.array_equal(scope["images"], scope["batch"]["planes"].transpose(0, 2, 3, 1))
    fixed = run(fix_source("case.py", FLATTENED, _warnings(FLATTENED), ("safe", "unsafe")).source)
    assert np.array_equal(fixed["images"], fixed["batch"]["planes"].transpose(0, 2, 3, 1))


def test_a_round_trip_through_a_flat_row_is_quiet():
    """Code review: rows flattened from (n, H, W, C) with their size written as C * H * W are still in (H, W, C)
    order -- the product written in a reshape names the size, not the order of the values."""
    src = textwrap.dedent("""
        import numpy as np

        C, IMG = 3, 8
        images = np.random.rand(20, IMG, IMG, C)
        flat = images.reshape(20, C * IMG * IMG)
        back = flat.reshape(20, IMG, IMG, C)
    """).lstrip()
    assert not _warnings(src)
    scope = run(src)
    assert np.array_equal(scope["back"], scope["images"])
