"""``shapelint run script.py``: the script runs as ``python script.py`` would, and a shape error it dies of carries
shapelint's static diagnosis as PEP 678 notes printed under the original traceback; exit code and exception type are
the script's own. Driven as a user would: a subprocess running a failing script."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import shapelint
from shapelint.runtime import explain_exception, is_shape_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LENET = (EXAMPLES / "torch_lenet_28x28.py").read_text()
ENV = {**os.environ, "NO_COLOR": "1", "KERAS_BACKEND": "torch"}


def run(tmp_path, source, *args, name="train.py"):
    script = tmp_path / name
    script.write_text(source)
    return subprocess.run([sys.executable, "-m", "shapelint", "run", name, *args], cwd=tmp_path, env=ENV,
                          capture_output=True, text=True)


def test_shape_error_gets_the_diagnosis_under_the_original_traceback(tmp_path):
    source = "import sys\nprint('argv', sys.argv[1:], __name__, __file__.endswith('train.py'))\n" + LENET
    p = run(tmp_path, source, "--epochs", "3")
    assert p.returncode == 1  # what `python train.py` gives for an uncaught exception
    assert "argv ['--epochs', '3'] __main__ True" in p.stdout
    err = p.stderr
    # the original traceback, whole, starting at the script (no shapelint or runpy frames above it)
    assert err.startswith("Traceback (most recent call last):\n  File \"")
    assert "runpy" not in err and "shapelint/runtime.py" not in err and "shapelint/cli.py" not in err
    assert 'train.py", line 24, in forward' in err and "x = F.relu(self.fc1(x))" in err
    trace_end = err.index("RuntimeError: mat1 and mat2 shapes cannot be multiplied (8x256 and 400x120)")
    # then the notes: the layers up to the failing one, the cause, the fix
    notes = err[trace_end:]
    assert "shapelint: the layers up to the failure" in notes and "torch model `net` (train.py:29)" in notes
    assert "✗  7  fc1" in notes and "fc2" not in notes.split("shapelint: the cause")[0]
    assert "error[SHP101]: `Linear` expects 400 input features but receives 256" in notes
    assert "--> train.py:16:30" in notes and "help: set `in_features` to `16 * 4 * 4`" in notes
    assert "self.fc1 = nn.Linear(16 * 4 * 4, 120)" in notes


def test_exit_code_and_other_errors_are_the_scripts_own(tmp_path):
    p = run(tmp_path, "import sys\nsys.exit(3)\n")
    assert (p.returncode, p.stderr) == (3, "")
    p = run(tmp_path, "def f():\n    return 1 / 0\nf()\n")
    assert p.returncode == 1 and p.stderr.startswith("Traceback") and "ZeroDivisionError" in p.stderr
    assert "shapelint" not in p.stderr  # not a shape error: nothing added
    p = run(tmp_path, "x = (\n")
    assert p.returncode == 1 and "SyntaxError" in p.stderr and "runpy" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "shapelint", "run", "missing.py"], cwd=tmp_path, env=ENV,
                       capture_output=True, text=True)
    assert p.returncode == 2 and "missing.py: no such file" in p.stderr


def _raise_from(tmp_path, source):
    """Run a failing script in this process (as a user's code would fail) and return the exception."""
    import runpy
    script = tmp_path / "model.py"
    script.write_text(source)
    with pytest.raises(Exception) as info:
        runpy.run_path(str(script), run_name="__main__")
    return info.value, script


def test_explain_exception_api_and_context_manager(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exc, script = _raise_from(tmp_path, LENET)
    assert is_shape_error(exc)
    explanation = explain_exception(exc)
    assert [d.code for d in explanation.diagnostics] == ["SHP101"]
    assert exc.__notes__ == explanation.notes and "fails" not in explanation.text  # plain text notes
    assert explain_exception(exc) is explanation and len(exc.__notes__) == 2  # notes added once
    import runpy
    with pytest.raises(RuntimeError) as info:  # the same exception type comes out of the block
        with shapelint.explain_shape_errors():
            runpy.run_path(str(script))
    assert "error[SHP101]" in "\n".join(info.value.__notes__)
    assert explain_exception(ValueError("bad shape")) is None  # not raised by a framework


def test_excepthook_opt_in(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    exc, _ = _raise_from(tmp_path, LENET)
    shown = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: shown.append(a))
    shapelint.install_excepthook()
    try:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        shapelint.uninstall_excepthook()
    assert shown and shown[0][1] is exc  # the previous hook still prints the original exception
    assert any("error[SHP101]" in n for n in exc.__notes__)


def test_keras_error_is_matched_by_the_layer_name_and_numbers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exc, _ = _raise_from(tmp_path, textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([layers.Input(shape=(20,)), layers.Dense(8), layers.Dense(4)])
        model.compile(optimizer="adam", loss="mse")
        model.predict(np.zeros((5, 30), dtype="float32"), verbose=0)
    """))
    explanation = explain_exception(exc)
    assert explanation is not None and [d.code for d in explanation.diagnostics] == ["SHP304"]
