from shapelint.core.registry import REQUIRED, Signature


def test_signature_binds_positional_keyword_and_defaults():
    sig = Signature.parse("units, activation=None, use_bias=True, **kwargs")
    args, given, problems = sig.bind([10], {"use_bias": False, "name": "d"})
    assert args == {"units": 10, "activation": None, "use_bias": False, "name": "d"}
    assert set(given) == {"units", "use_bias", "name"}
    assert problems == []


def test_signature_reports_missing_and_extra_arguments():
    sig = Signature.parse("in_features, out_features, bias=True")
    _, _, problems = sig.bind([1, 2, 3, 4], {})
    assert any("positional" in p for p in problems)
    _, _, problems = sig.bind([], {"out_features": 3})
    assert any("in_features" in p for p in problems)
    _, _, problems = sig.bind([1, 2], {"nonsense": 1})
    assert any("nonsense" in p for p in problems)
    assert sig.defaults["in_features"] is REQUIRED


def test_signature_varargs():
    sig = Signature.parse("*shape")
    args, _, problems = sig.bind([2, -1], {})
    assert args["shape"] == (2, -1) and not problems
