"""What a run imports is part of start-up time (issue #12; measured by bench/speed_bench.py, not timed here): each
run below is a fresh interpreter, and the modules it loaded are compared with what it needs."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules_after(code: str) -> set:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_an_empty_file_loads_no_rules_checks_fixes_or_rich(tmp_path):
    empty = tmp_path / "empty.py"
    empty.write_text("")
    mods = _modules_after(f"from shapelint.cli import main\nassert main(['check', {str(empty)!r}]) == 0")
    unwanted = [m for m in mods if m.startswith(("shapelint.rules", "shapelint.checks.", "shapelint.fixing",
                                                 "shapelint.diagnostics.fixes.", "shapelint.frontends.source.keras_api",
                                                 "shapelint.frontends.source.torch_api", "rich", "libcst", "shutil",
                                                 "pathlib", "difflib"))]
    assert unwanted == []


def test_a_keras_file_loads_no_torch_rules_and_no_fix_machinery():
    mods = _modules_after("from shapelint.cli import main\n"
                          f"main(['check', '--format', 'json', {str(ROOT / 'examples' / 'keras_cnn_ok.py')!r}])")
    assert "shapelint.rules.keras.conv" in mods
    assert not [m for m in mods if m.startswith(("shapelint.rules.torch", "shapelint.fixing", "rich", "libcst"))]


def test_a_torch_file_loads_no_keras_rules_and_only_the_library_support_it_names():
    mods = _modules_after("from shapelint.cli import main\n"
                          f"main(['check', '--format', 'json', {str(ROOT / 'examples' / 'torch_lenet_28x28.py')!r}])")
    assert "shapelint.rules.torch.conv" in mods
    assert not [m for m in mods if m.startswith("shapelint.rules.keras")]
    lazy = ("datasets_api", "sklearn_api", "torchvision_api", "torch_distributions_api", "einops_api")
    assert not [m for m in mods if m.rsplit(".", 1)[-1] in lazy]  # it names none of their packages (api.SUPPORT)
