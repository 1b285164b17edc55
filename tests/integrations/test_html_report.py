"""The HTML report as a person sees it: a summary at the top, every table titled with its file, the inputs of a
multi-input model, and a shape-flow diagram per model with the failing layer and the root cause marked -- checked in
a headless Chromium screenshot (Debian's chromium; the screenshot test skips, saying so, where it is absent)."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shapelint import check
from shapelint.reporters.html import render_html

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
TWO_INPUTS = """\
import torch
import torch.nn as nn


class Fuse(nn.Module):
    def __init__(self):
        super().__init__()
        self.img = nn.Linear(64, 16)
        self.txt = nn.Linear(32, 16)
        self.out = nn.Linear(32, 2)

    def forward(self, a, b):
        return self.out(torch.cat([self.img(a), self.txt(b)], dim=1))


Fuse()(torch.randn(4, 64), torch.randn(4, 32))
"""


def _report(tmp_path):
    (tmp_path / "fuse.py").write_text(TWO_INPUTS)
    paths = [str(EXAMPLES / "torch_lenet_28x28.py"), str(EXAMPLES / "keras_stacked_lstm.py"), str(tmp_path / "fuse.py")]
    return render_html(check(paths))


def test_summary_file_names_and_multi_input(tmp_path):
    html = _report(tmp_path)
    top = html[html.index('<div class="overview">'):]
    assert top.index("3 files · 3 models ·") < top.index("<h1")  # the summary comes first
    assert "2 errors" in top[:300]
    assert "torch_lenet_28x28.py</a> — <code>net</code>: 1 error, 0 warnings" in html
    for name in ("torch_lenet_28x28.py:27)", "keras_stacked_lstm.py:6)", "fuse.py:16)"):
        assert re.search(r"<h2>\w+ model <code>\w+</code> \([^)]*" + re.escape(name), html), name
    assert "((4, 64), (4, 32))" in html  # both inputs of the two-input model, not `?`
    assert html.count("<svg") == 3 and "fails here" in html and "root cause" in html


def _pixels(png):
    from PIL import Image
    image = Image.open(png).convert("RGB")
    counts = {}
    for colour in image.getdata():
        counts[colour] = counts.get(colour, 0) + 1
    return image, counts


@pytest.mark.skipif(CHROMIUM is None, reason="no headless browser: install Debian's chromium (.ci/run does)")
def test_screenshot_in_headless_chromium(tmp_path):
    pytest.importorskip("PIL", reason="the screenshot test reads the PNG with pillow (the test extra)")
    page = tmp_path / "report.html"
    page.write_text(_report(tmp_path))
    png = tmp_path / "report.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1280,2200", f"--screenshot={png}", page.as_uri()],
                   capture_output=True, check=True, cwd=tmp_path)
    image, counts = _pixels(png)
    assert image.size == (1280, 2200) and len(counts) > 50  # a rendered page, not a blank one
    failing = counts.get((0xFF, 0xEB, 0xE9), 0)  # the failing layer's fill (node and table row)
    cause = counts.get((0xFF, 0xF8, 0xC5), 0)  # the root cause's fill
    inputs = counts.get((0xDD, 0xF4, 0xFF), 0)  # the input nodes
    assert failing > 5000 and cause > 5000 and inputs > 5000, (failing, cause, inputs)
    # in the diagram the failing node sits below the input node (the table's failing row is above both)
    def first(rgb, below=-1):
        return next(((x, y) for y in range(below + 1, image.size[1], 3) for x in range(0, image.size[0], 6)
                     if image.getpixel((x, y)) == rgb), None)
    top = first((0xDD, 0xF4, 0xFF))
    assert top is not None and first((0xFF, 0xEB, 0xE9), below=top[1]) is not None
