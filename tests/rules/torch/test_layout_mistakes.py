"""Diagnoses for two layout mistakes whose generic help ("set in_features/in_channels to N") would be a wrong safe
fix: a feature map fed unflattened to a Linear sized for the flattened map, and (N, L, C) sequences fed to Conv1d.
Each snippet also runs with real torch (the error is real; the suggested edit makes it run)."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

torch = pytest.importorskip("torch")

HEAD = "import torch\nimport torch.nn as nn\n\n"


def _errors(src: str):
    return [d for d in check_source("m.py", HEAD + src).diagnostics if d.severity == "error"]


def _runs(src: str) -> bool:
    try:
        exec(compile(HEAD + src, "m.py", "exec"), {"__name__": "__main__"})
    except Exception:  # noqa: BLE001
        return False
    return True


@pytest.mark.parametrize("shape,features", [((4, 8, 5, 5), 200), ((4, 6, 10), 60), ((2, 3, 2, 2, 2), 24)])
def test_unflattened_input_to_linear_sized_for_it(shape, features):
    src = f"model = nn.Sequential(nn.Linear({features}, 10))\nout = model(torch.randn{shape})\n"
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.code == "SHP101" and "nn.Flatten()" in d.help and "not flattened" in d.help
    assert d.fix is not None and d.fix.applicability == "unsafe" and "Flatten()" in d.fix.edits[0].text
    fixed = f"model = nn.Sequential(nn.Flatten(), nn.Linear({features}, 10))\nout = model(torch.randn{shape})\n"
    assert _runs(fixed) and not _errors(fixed)


def test_other_feature_count_mistakes_keep_the_in_features_fix():
    src = "model = nn.Sequential(nn.Flatten(), nn.Linear(300, 10))\nout = model(torch.randn(4, 8, 5, 5))\n"
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.help == "set `in_features` to 200" and d.fix.applicability == "safe"


def test_flatten_fix_for_a_linear_appended_to_a_module_list():
    src = ("class Net(nn.Module):\n"
           "    def __init__(self):\n"
           "        super().__init__()\n"
           "        self.blocks = nn.ModuleList()\n"
           "        self.blocks.append(nn.Conv2d(1, 4, 3, padding=1))\n"
           "        self.blocks.append(nn.Linear(4 * 6 * 6, 2))\n"
           "\n"
           "    def forward(self, x):\n"
           "        for b in self.blocks:\n"
           "            x = b(x)\n"
           "        return x\n"
           "\n"
           "out = Net()(torch.randn(3, 1, 6, 6))\n")
    assert not _runs(src)
    (d,) = _errors(src)
    (edit,) = d.fix.edits
    lines = (HEAD + src).splitlines(keepends=True)
    line = lines[edit.span.line - 1]
    lines[edit.span.line - 1] = line[:edit.span.column - 1] + edit.text + line[edit.span.column - 1:]
    fixed = "".join(lines)[len(HEAD):]
    assert "self.blocks.append(nn.Flatten())\n" in fixed
    assert _runs(fixed) and not _errors(fixed)


@pytest.mark.parametrize("module,shape,order", [("nn.Conv1d(3, 8, 5)", (4, 50, 3), "(0, 2, 1)"),
                                                ("nn.Conv3d(2, 4, 3)", (1, 6, 6, 6, 2), "(0, 4, 1, 2, 3)"),
                                                ("nn.Conv2d(3, 4, 3)", (2, 9, 9, 3), "(0, 3, 1, 2)")])
def test_channels_last_into_conv(module, shape, order):
    src = f"model = nn.Sequential({module})\nx = torch.randn{shape}\nout = model(x)\n"
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.code == "SHP109" and f".permute{order}`" in d.help
    fixed = src.replace("model(x)", f"model(x.permute{order})")
    assert _runs(fixed) and not _errors(fixed)
