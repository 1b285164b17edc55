"""The library-support modules chain some handlers (a tensor's ``__binop__``, the ``<class>`` handler): the one
registered second hands the first what is not its own. A caller that imports one of them before the others (the
root-cause analysis imports torch_api; a test may import torch_ops) must get the same chains, or a PyTorch class is
built as a plain object and its model never runs."""
import pkgutil
import subprocess
import sys

import pytest

import shapelint.frontends.source as source

_TABLE = """
from shapelint.frontends.source import api
api.load_all()
def name(f):
    return f"{f.__module__}.{f.__qualname__}"
rows = [f"{k} {name(v)}" for k, v in api._HANDLERS.items()]
rows += [f"{k[0].__name__}.{k[1]} {name(v)}" for k, v in api._METHODS.items()]
rows += [f"{k[0].__name__}.{k[1]} {name(v)}" for k, v in api._ATTRS.items()]
print("\\n".join(sorted(rows)))
"""

FIRST = [f"{source.__name__}.{m.name}" for m in pkgutil.iter_modules(source.__path__)
         if m.name.endswith("_api") or m.name == "torch_ops"] + ["shapelint.rootcause.engine"]


def _table(first: str = "") -> str:
    code = (f"import {first}\n" if first else "") + _TABLE
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("first", FIRST)
def test_handler_chains_do_not_depend_on_import_order(first):
    assert _table(first) == _table()


def test_a_torch_model_is_checked_after_the_root_cause_modules_were_imported(tmp_path):
    script = tmp_path / "m.py"
    script.write_text("import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def __init__(self):\n"
                      "        super().__init__()\n        self.fc = nn.Linear(640, 10)\n\n    def forward(self, x):\n"
                      "        return self.fc(x)\n\nmodel = M()\nmodel(torch.randn(8, 1280))\n")
    code = ("import shapelint.rootcause.engine\nimport sys\nfrom shapelint.frontends.source.check import check_source\n"
            f"r = check_source({str(script)!r}, open({str(script)!r}).read())\n"
            "print(sorted(d.code for d in r.diagnostics if d.severity == 'error'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['SHP101']"
