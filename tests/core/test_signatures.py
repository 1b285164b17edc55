"""Signatures are parsed lazily (start-up time), so a malformed one would only fail when used: parse them all here."""
from shapelint.core.registry import _RULES, _load_all


def test_every_rule_signature_parses():
    _load_all()
    assert len(_RULES) > 400
    for (fw, kind), r in _RULES.items():
        r.signature  # raises SyntaxError/ValueError on a malformed signature
