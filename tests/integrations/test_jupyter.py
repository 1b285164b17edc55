"""``%load_ext shapelint`` in a real kernel: a notebook is executed (nbclient) with the extension loaded; the cell that
dies of a shape error keeps its traceback and gets the diagnosis as HTML under it; ``%shapelint`` and
``%%shapelint`` report statically. One kernel run serves every test here (a kernel start costs seconds)."""
import re

import pytest

nbformat = pytest.importorskip("nbformat", reason="the Jupyter test needs nbformat, nbclient and ipykernel")
nbclient = pytest.importorskip("nbclient", reason="the Jupyter test needs nbclient")
pytest.importorskip("ipykernel", reason="the Jupyter test needs ipykernel")

CELLS = [
    "%load_ext shapelint",
    "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F",
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(1, 6, 5)\n"
    "        self.fc1 = nn.Linear(6 * 28 * 28, 10)\n"
    "\n"
    "    def forward(self, x):\n"
    "        x = torch.flatten(F.relu(self.conv(x)), 1)\n"
    "        return self.fc1(x)",
    "net = Net()\nnet(torch.randn(8, 1, 28, 28)).shape",
    "%shapelint",
    "%%shapelint\nhead = nn.Sequential(nn.Linear(10, 5), nn.Linear(6, 2))\nhead(torch.randn(4, 10))",
    "x = 1 / 0",
]


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nbclient.NotebookClient(nb, allow_errors=True, kernel_name="python3").execute()
    return nb.cells


def _html(cell):
    return [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]


def _text(html):
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&quot;", '"')


def test_shape_error_keeps_its_traceback_and_gets_the_diagnosis_below(executed):
    cell = executed[3]
    kinds = [o["output_type"] for o in cell.outputs]
    assert kinds == ["error", "display_data"]  # the traceback first, the diagnosis under it
    assert cell.outputs[0]["ename"] == "RuntimeError" and "8x3456 and 4704x10" in cell.outputs[0]["evalue"]
    (html,) = _html(cell)
    text = _text(html)
    assert "error[SHP101]" in text and "expects 4704 input features but receives 3456" in text
    assert "notebook: cell 3, line 5" in text  # the cell and the line in it
    assert "<svg" in html and "fails here" in html and "set `in_features` to `6 * 24 * 24`" in text


def test_line_magic_checks_the_notebook_so_far(executed):
    (html,) = _html(executed[4])
    text = _text(html)
    assert "1 file · 1 model · 1 error" in text and "torch model net (notebook: cell 4, line 1)" in text
    assert "cell:line" in text and "3:5" in text  # fc1 is built in cell 3, line 5


def test_cell_magic_checks_its_cell_without_running_it(executed):
    cell = executed[5]
    (html,) = _html(cell)
    text = _text(html)
    assert "expects 6 input features but receives 5" in text and "cell 6, line 1" in text
    assert "model net" not in text  # only what this cell builds
    assert not [o for o in cell.outputs if o["output_type"] == "error"]


def test_other_errors_are_left_alone(executed):
    cell = executed[6]
    assert [o["output_type"] for o in cell.outputs] == ["error"] and cell.outputs[0]["ename"] == "ZeroDivisionError"
