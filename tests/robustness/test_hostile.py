"""The hostile-input suite of issue #11: every input either gets a correct report or a one-line error, within 10 s of
CPU time and 500 MB of memory, and the other files of the same run are still reported.

All inputs are checked in ONE run (a process pool, as for a folder), with ordinary files around them, so a crash,
hang or blow-up on any of them would show up as a missing or broken report for its neighbours too."""
import json
import os
import pickle
import socket
import sys

import pytest
import slow_machine
from fuzzing import file_mb

from shapelint.cli import render

TORCH_ERROR = "import torch\nimport torch.nn as nn\nm = nn.Linear(3, 4)\ny = m(torch.randn(2, 5))\n"
KERAS_OK = "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])\n"
MAX_CPU_SECONDS, MAX_PEAK_MB = 10.0, 500.0
CASES: list = []  # (name, maker(tmp) -> path, expectation(file_result) -> bool)


def case(name, expect):
    def deco(make):
        CASES.append((name, make, expect))
        return make
    return deco


def codes(f, severity=None):
    return [d.code for d in f.diagnostics if severity is None or d.severity == severity]


def notes(f):
    return " ".join(d.message for d in f.diagnostics if d.code == "SHP006")


def reported_error(f):  # the real error after the hostile part is still found
    return f.error is None and "SHP101" in codes(f, "error")


def one_line_error(*words):
    return lambda f: f.error is not None and "\n" not in f.error and all(w in f.error for w in words)


def write(tmp, name, text, mode="w"):
    p = tmp / name
    if mode == "wb":
        p.write_bytes(text)
    else:
        p.write_text(text)
    return p


def src(name, text, expect):
    CASES.append((name, lambda tmp: write(tmp, name, text), expect))


def raw(name, data, expect):
    CASES.append((name, lambda tmp: write(tmp, name, data, "wb"), expect))


# -- 1. isolation: malformed notebooks and saved models -----------------------------------------------------------
def nb(cells, **extra):
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5, **extra})


CODE_CELL = {"cell_type": "code", "metadata": {}, "source": TORCH_ERROR.splitlines(True)}
src("nb_source_int.ipynb", nb([{"cell_type": "code", "source": [1, 2]}, CODE_CELL]),
    lambda f: "SHP004" in codes(f) and "SHP101" in codes(f))
src("nb_source_dict.ipynb", nb([{"cell_type": "code", "source": {"a": 1}}, CODE_CELL]),
    lambda f: "SHP004" in codes(f) and "SHP101" in codes(f))
src("nb_source_none.ipynb", nb([{"cell_type": "code", "source": None}, CODE_CELL]), lambda f: "SHP101" in codes(f))
src("nb_cell_not_dict.ipynb", nb([3, "x", None, CODE_CELL]), lambda f: "SHP101" in codes(f))
src("nb_cell_type_list.ipynb", nb([{"cell_type": ["code"], "source": "x"}, CODE_CELL]), lambda f: "SHP101" in codes(f))
src("nb_deep.ipynb", "[" * 100_000 + "]" * 100_000, one_line_error("not a valid notebook"))
src("nb_deep_cells.ipynb", '{"cells": ' + "[" * 100_000 + "]" * 100_000 + "}", one_line_error("not a valid notebook"))
src("nb_not_json.ipynb", "{not json", one_line_error("invalid JSON"))
src("nb_array.ipynb", "[1, 2]", one_line_error("no `cells` list"))
src("nb_cells_dict.ipynb", '{"cells": {}}', one_line_error("no `cells` list"))
raw("nb_latin1.ipynb", b'{"cells": [{"cell_type": "code", "source": "x = \xe9"}]}', one_line_error("not UTF-8"))
src("nb_nul_cell.ipynb", nb([{"cell_type": "code", "source": "x = 1\x00"}, CODE_CELL]), lambda f: "SHP101" in codes(f))
src("nb_deep_cell.ipynb", nb([{"cell_type": "code", "source": "x = " + "(" * 190 + ")" * 190}, CODE_CELL]),
    lambda f: "SHP101" in codes(f))
src("cfg_deep.json", "[" * 100_000 + "]" * 100_000, one_line_error("nested too deeply"))
src("cfg_not_json.json", "{", one_line_error("not valid JSON"))
src("cfg_layers_not_list.json", '{"class_name": "Sequential", "config": {"layers": 7}}',
    lambda f: f.error is not None or f.diagnostics is not None)
src("cfg_bad_layer.json", '{"class_name": "Sequential", "config": {"layers": [7, null, {"class_name": 5}]}}',
    lambda f: f.error is None or "\n" not in f.error)
raw("model_not_zip.keras", b"PK\x03\x04 not really a zip", one_line_error("not a Keras model archive"))
raw("weights_only.h5", b"\x89HDF\r\n\x1a\n" + b"\x00" * 64, lambda f: f.error is not None and "\n" not in f.error)


# -- 2. special files, sizes ----------------------------------------------------------------------------------------
@case("fifo.py", one_line_error("not a regular file", "FIFO"))
def _fifo(tmp):
    p = tmp / "fifo.py"
    os.mkfifo(p)
    return p


@case("fifo.ipynb", one_line_error("not a regular file"))
def _fifo_nb(tmp):
    p = tmp / "fifo.ipynb"
    os.mkfifo(p)
    return p


@case("fifo.json", one_line_error("not a regular file"))
def _fifo_json(tmp):
    p = tmp / "fifo.json"
    os.mkfifo(p)
    return p


@case("fifo.keras", one_line_error("not a regular file"))
def _fifo_keras(tmp):
    p = tmp / "fifo.keras"
    os.mkfifo(p)
    return p


@case("zero.py", one_line_error("not a regular file", "character device"))
def _zero(tmp):
    p = tmp / "zero.py"
    p.symlink_to("/dev/zero")
    return p


@case("/dev/zero", one_line_error("not a regular file"))
def _dev_zero(tmp):
    return "/dev/zero"


@case("null.py", one_line_error("not a regular file"))
def _null(tmp):
    p = tmp / "null.py"
    p.symlink_to("/dev/null")
    return p


@case("fifo_link.py", one_line_error("not a regular file"))
def _fifo_link(tmp):
    (tmp / "target_fifo").exists() or os.mkfifo(tmp / "target_fifo")
    p = tmp / "fifo_link.py"
    p.symlink_to(tmp / "target_fifo")
    return p


@case("dangling.py", one_line_error("no such file"))
def _dangling(tmp):
    p = tmp / "dangling.py"
    p.symlink_to(tmp / "nowhere.py")
    return p


@case("loop.py", one_line_error("cannot read"))
def _loop(tmp):
    p = tmp / "loop.py"
    p.symlink_to(p)
    return p


@case("socket.py", one_line_error("not a regular file"))
def _socket(tmp):
    p = tmp / "socket.py"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(p))
    s.close()
    return p


@case("sparse_25mb.py", one_line_error("file too large"))
def _sparse(tmp):
    p = tmp / "sparse_25mb.py"
    with open(p, "wb") as fh:
        fh.truncate(25_000_000)
    return p


@case("big_4mb.py", one_line_error("file too large"))
def _big(tmp):
    return write(tmp, "big_4mb.py", "x = 1\n" * 700_000)


src("oneline_statements.py", "x=1;" * 1_000_000 + "\n", one_line_error("file too large"))
src("statements_200k.py", "x = 1\n" * 200_000 + TORCH_ERROR, reported_error)  # parsed in chunks, followed to the end
src("one_huge_statement.py", "x = [" + "1," * 600_000 + "]\n", one_line_error("file too large"))
src("comments_1mb.py", ("# " + "word " * 19 + "\n") * 4000 + ("#" * 99 + "\n") * 4000 + TORCH_ERROR, reported_error)
src("long_line_name.py", "x" * 2_000_000 + " = 1\n" + TORCH_ERROR, reported_error)


def _models(n):
    block = ("model_{i} = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), "
             "layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)])\n")
    return "import keras\nfrom keras import layers\n" + "".join(block.format(i=i) for i in range(n))


src("models_1mb.py", _models(6000), lambda f: f.error is None and len(f.models) > 100)

# -- 2. constant folding and the budget ---------------------------------------------------------------------------
src("str_times.py", "s = 'a' * 10000\ns = s * 10000\ns = s * 10000\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "too large for shapelint to compute" in notes(f))
src("str_double.py", "s = 'ab'\nfor _ in range(64):\n    s = s + s\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "too large" in notes(f))
src("list_double.py", "l = [1]\nfor _ in range(64):\n    l = l + l\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "too large" in notes(f))
src("tuple_dag.py", "t = (1,)\nfor _ in range(64):\n    t = (t, t)\n" + TORCH_ERROR, reported_error)
src("dict_dag.py", "d = {}\nfor _ in range(64):\n    d = {1: d, 2: d}\n" + TORCH_ERROR, reported_error)
src("list_extend_self.py", "l = [1]\nfor _ in range(64):\n    l.extend(l)\n" + TORCH_ERROR, reported_error)
src("list_cycle.py", "l = []\nl.append(l)\ns = str(l)\n" + TORCH_ERROR, reported_error)
src("pow_builtin.py", "x = pow(10, 10 ** 8)\n" + TORCH_ERROR, reported_error)
src("pow_op.py", "x = 2 ** 10 ** 8\n" + TORCH_ERROR, reported_error)
src("percent_width.py", "s = '%0999999999d' % 1\n" + TORCH_ERROR, lambda f: reported_error(f) and "too large" in notes(f))
src("fstring_double.py", "s = 'ab'\nfor _ in range(40):\n    s = f'{s}{s}'\n" + TORCH_ERROR, reported_error)
src("bytes_double.py", "b = b'ab'\nfor _ in range(64):\n    b = b + b\n" + TORCH_ERROR, reported_error)
src("list_times_huge.py", "l = [0] * 10 ** 9\n" + TORCH_ERROR, lambda f: reported_error(f) and "too large" in notes(f))
src("star_double.py", "a = [1]\nfor _ in range(64):\n    a = [*a, *a]\n" + TORCH_ERROR, reported_error)
src("sum_lists.py", "x = sum([[1] * 1000] * 1000, [])\n" + TORCH_ERROR, reported_error)
src("range_list.py", "x = list(range(10 ** 9))\n" + TORCH_ERROR, reported_error)
src("nested_comp.py", "x = [a * b for a in range(10000) for b in range(10000)]\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "stopped following this statement" in notes(f))
src("int_huge.py", "x = 10 ** 64 * 10 ** 64\n" + TORCH_ERROR, reported_error)
src("while_true.py", "x = 'a'\nwhile True:\n    x = x + x\n" + TORCH_ERROR, reported_error)
src("recursion.py", "def f(x):\n    return f(x)\nf(1)\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "calls nested deeper than" in notes(f))
src("mutual_recursion.py", "def f(x):\n    return g(x)\ndef g(x):\n    return f(x)\nf(1)\n" + TORCH_ERROR,
    reported_error)
src("loop_of_loops.py", "def w():\n    for i in range(10000):\n        x = i\nfor j in range(10000):\n    w()\n"
    + TORCH_ERROR, lambda f: reported_error(f) and "stopped following this statement" in notes(f))
src("class_loop.py", "class A:\n    for i in range(10000):\n        for j in range(10000):\n            x = i\n"
    + TORCH_ERROR, reported_error)

# -- 3. never a silent stop ---------------------------------------------------------------------------------------
_TOO_LONG = "\n".join(["import torch", "import torch.nn as nn", "layers = [nn.Linear(4, 4) for _ in range(10000)]",
                       "layers.append(nn.Linear(5, 2))", "net = nn.Sequential(*layers)", "y = net(torch.randn(2, 4))",
                       ""])
src("list_10001.py", _TOO_LONG, lambda f: "SHP101" in codes(f, "error") or "more than shapelint follows" in notes(f))
src("loop_10001.py", "import torch\nimport torch.nn as nn\nnet = nn.Sequential()\nfor i in range(10001):\n"
    "    net.append(nn.Linear(4, 4))\nnet.append(nn.Linear(5, 2))\ny = net(torch.randn(2, 4))\n",
    lambda f: "SHP101" in codes(f, "error") or "more than shapelint follows" in notes(f))
src("sum_500.py", "x = " + "+".join(["1"] * 500) + "\n" + TORCH_ERROR, reported_error)
src("sum_2000.py", "x = " + "+".join(["1"] * 2000) + "\n" + TORCH_ERROR, reported_error)
src("deep_calls.py", "def f(x):\n    return x\nx = " + "f(" * 180 + "1" + ")" * 180 + "\n" + TORCH_ERROR,
    lambda f: reported_error(f) and "nested too deeply" in notes(f))
src("deep_parens.py", "x = " + "(" * 250 + "1" + ")" * 250 + "\n" + TORCH_ERROR, lambda f: "SHP004" in codes(f))
src("deep_lists.py", "x = " + "[" * 1000 + "]" * 1000 + "\n", lambda f: "SHP004" in codes(f) or f.error is not None)
src("deep_ifs.py", "".join("    " * i + "if x:\n" for i in range(90)) + "    " * 90 + "pass\n" + TORCH_ERROR,
    reported_error)
src("deep_attr.py", "x = a" + ".b" * 50_000 + "\n" + TORCH_ERROR, lambda f: f.error is not None and "\n" not in f.error)
src("deep_lambda.py", "f = " + "lambda: " * 150 + "1\n" + TORCH_ERROR, reported_error)
src("budget_then_error.py", "x = [a * b for a in range(10000) for b in range(10000)]\n" + TORCH_ERROR,
    reported_error)

# -- 4. encodings and bytes -----------------------------------------------------------------------------------------
raw("latin1_coding.py", b"# -*- coding: latin-1 -*-\ns = '\xe9'\n" + TORCH_ERROR.encode(), reported_error)
raw("bad_coding.py", b"# -*- coding: klingon -*-\nx = 1\n", one_line_error("not a Python file"))
raw("bom_conflict.py", b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n", one_line_error("not a Python file"))
raw("nul_early.py", b"x = 1\x00\n", one_line_error("NUL byte at line 1"))
raw("nul_late.py", b"x = 1\n" * 3000 + b"\x00", one_line_error("NUL byte at line 3001"))
raw("invalid_utf8.py", b"x = 1\ny = '\xff'\n", one_line_error("not UTF-8 text", "line 2"))
raw("utf16.py", "x = 1\n".encode("utf-16"), one_line_error("not a Python file"))
raw("cr_only.py", TORCH_ERROR.replace("\n", "\r").encode(), reported_error)
raw("crlf.py", TORCH_ERROR.replace("\n", "\r\n").encode(), reported_error)
raw("bom.py", b"\xef\xbb\xbf" + TORCH_ERROR.encode(), reported_error)
raw("empty.py", b"", lambda f: f.error is None and not f.diagnostics)
raw("form_feed.py", b"\x0cx = 1\n\x0c\n" + TORCH_ERROR.encode(), reported_error)
src("surrogates.py", "s = '\\ud800'\n" + TORCH_ERROR, reported_error)


def test_the_suite_covers_at_least_sixty_inputs():
    assert len(CASES) >= 60


# The run happens in a fresh process, as the command line would: a pool forked from this test process would inherit
# its memory (Keras and PyTorch, loaded by other tests) and measure that, not shapelint.
RUN = """
import pickle, sys
from shapelint.runner import check_files
costs = []
result = check_files(sys.argv[2:], jobs=2, costs=costs)
with open(sys.argv[1], "wb") as fh:
    pickle.dump((result, costs), fh)
"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    good = write(tmp, "good_first.py", TORCH_ERROR)
    paths = [good]
    for name, make, _ in CASES:
        paths.append(make(tmp))
    paths.append(write(tmp, "good_last.py", KERAS_OK + TORCH_ERROR))
    out = tmp / "result.pickle"
    p = slow_machine.run([sys.executable, "-c", RUN, str(out), *map(str, paths)], cpu_seconds=900,
                         capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-3000:]
    with open(out, "rb") as fh:
        result, costs = pickle.load(fh)
    return paths, result, costs


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_each_hostile_input_gets_a_correct_report_or_a_one_line_error(hostile_run, index):
    paths, result, costs = hostile_run
    name, _, expect = CASES[index]
    f, cost = result.files[index + 1], costs[index + 1]
    assert f.path == str(paths[index + 1])
    assert f.error is None or ("\n" not in f.error and "failed on this file" not in f.error
                               and "stopped after" not in f.error and "no progress" not in f.error), f.error
    assert expect(f), (f.error, [(d.code, d.message[:120]) for d in f.diagnostics][:8])
    assert cost.cpu_seconds < MAX_CPU_SECONDS, cost
    assert file_mb(cost) < MAX_PEAK_MB, cost


def test_the_other_files_of_the_run_are_reported_in_every_format(hostile_run):
    paths, result, _ = hostile_run
    assert codes(result.files[0], "error") == codes(result.files[-1], "error") == ["SHP101"]
    assert result.exit_code == 2
    import io
    for fmt in ("json", "concise", "sarif", "html", "text"):
        out = io.StringIO()
        render(result, fmt, out, show_tables=False)
        text = out.getvalue()
        assert "good_first.py" in text and "good_last.py" in text, fmt
        if fmt == "json":
            assert len(json.loads(text)["files"]) == len(paths)
