"""Two fixes that rewrite the same text cannot be applied together (apply_edits would garble it): the earlier-error
rule of the fix contract treats them as not clearing the path (code review 20, finding 4)."""
from shapelint.core.program import Span
from shapelint.diagnostics.fixes.text import apply_edits, overlapping
from shapelint.diagnostics.model import Edit

WHOLE = Span(1, 11, 1, 14)  # `100` in `nn.Linear(100, 10)`


def test_the_same_place_rewritten_twice_overlaps():
    assert overlapping([Edit(WHOLE, "16 * 4 * 4"), Edit(WHOLE, "256")])
    assert apply_edits("nn.Linear(100, 10)\n", [Edit(WHOLE, "16 * 4 * 4"), Edit(WHOLE, "256")]) != \
        "nn.Linear(256, 10)\n"  # what the contract must not rely on


def test_an_edit_inside_another_overlaps():
    assert overlapping([Edit(Span(1, 1, 1, 19), "nn.Linear(256, 10)"), Edit(WHOLE, "256")])


def test_one_edit_twice_and_edits_side_by_side_do_not():
    assert not overlapping([Edit(WHOLE, "256"), Edit(WHOLE, "256")])
    assert not overlapping([Edit(WHOLE, "256"), Edit(Span(1, 16, 1, 18), "4")])
