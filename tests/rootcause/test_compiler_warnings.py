"""An edited text the compiler warns about (``x = 1(x)``: an int called) is refused as a fix, and the compiler's
warning never reaches the user's terminal; a warning the file itself already draws is the user's business."""
from types import SimpleNamespace

from shapelint.rootcause.contract import _parsed


def _ctx(source):
    return SimpleNamespace(source=source, parse_verdicts={}, compiler_warnings={}, has_check=lambda text: False)


def test_an_edit_that_calls_a_number_is_refused_quietly(capfd):
    ctx = _ctx("import keras\nx = keras.layers.BatchNormalization()(x)\n")
    verdict = _parsed(ctx, "import keras\nx = 1(x)\n")
    assert verdict.ok is False and "would not run" in verdict.reason
    assert "SyntaxWarning" not in capfd.readouterr().err


def test_a_warning_the_file_already_has_does_not_refuse():
    source = "y = 2(3) if False else 0\nx = 1\n"
    tree = _parsed(_ctx(source), "y = 2(3) if False else 0\nx = 2\n")
    assert hasattr(tree, "body")
