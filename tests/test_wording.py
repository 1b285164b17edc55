"""Wording rules (Elm / rustc): every code has its message template in diagnostics/wording.py; a help is an
imperative fix, never a question; a mismatch message states both sides."""
import re

import pytest

from shapelint.diagnostics import codes, wording

ACTIVE = [c for c in codes.all_codes() if not c.retired]


@pytest.mark.parametrize("code", ACTIVE, ids=lambda c: c.code)
def test_every_code_has_a_template(code):
    assert code.name in wording.TEMPLATES


@pytest.mark.parametrize("name", sorted(wording.TEMPLATES))
def test_help_is_imperative_not_a_question(name):
    message, help_t = wording.TEMPLATES[name]
    assert "?" not in message
    if help_t:
        assert "?" not in help_t
        first = help_t.split()[0]
        assert first.startswith("{") or first.islower(), f"help for {name} should start with a verb: {help_t!r}"


@pytest.mark.parametrize("name", ["feature-count-mismatch", "channel-count-mismatch", "rank-mismatch",
                                  "reshape-size-mismatch", "matmul-shape-mismatch", "sample-count-mismatch"])
def test_mismatch_messages_state_both_numbers(name):
    message, _ = wording.TEMPLATES[name]
    fields = set(re.findall(r"{(\w+)}", message))
    pairs = [("expected", "received"), ("left_inner", "right_inner"), ("n_x", "n_y")]
    assert any(a in fields and b in fields for a, b in pairs), message


def test_render_fills_both_numbers_and_the_help():
    msg, help_text = wording.render("feature-count-mismatch",
                                    {"kind": "Linear", "expected": 400, "received": 256, "arg": "in_features"})
    assert msg == "`Linear` expects 400 input features but receives 256"
    assert help_text == "set `in_features` to 256"


def test_no_remedy_name_is_defined_twice():
    """remedies/ re-exports several modules with `*`: a name defined in two of them silently replaces one."""
    import ast
    from pathlib import Path
    import shapelint.diagnostics.remedies as pkg
    seen = {}
    for path in sorted(Path(pkg.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                assert node.name not in seen, f"{node.name} in {path.name} and {seen[node.name]}"
                seen[node.name] = path.name


def test_every_remedy_sentence_has_one_definition():
    """The remedies modules are star-imported into one namespace (diagnostics/remedies/__init__.py): a name defined
    twice -- in one module or in two -- silently replaces the first sentence for every caller."""
    import ast
    from pathlib import Path
    import shapelint.diagnostics.remedies as remedies
    seen: dict = {}
    for path in sorted(Path(remedies.__file__).parent.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                seen.setdefault(node.name, []).append(path.name)
    assert {n: where for n, where in seen.items() if len(where) > 1} == {}
