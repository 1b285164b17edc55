"""Differential test: the PyTorch loss rules (rules/torch/loss.py) against real torch 2.13, over a grid of input and
target shapes, dtypes and label ranges. Error <-> an error diagnostic; torch's "Using a target size ... different"
UserWarning (silent broadcasting) or a KL 'mean' whose value is not the divergence's <-> a warning; success <->
nothing."""
from __future__ import annotations

import itertools
import warnings

import pytest

torch = pytest.importorskip("torch")
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from shapelint.core.infer import Inference  # noqa: E402
from shapelint.core.program import Layer, Program  # noqa: E402
from shapelint.core.registry import lookup  # noqa: E402
from shapelint.core.values import Tensor  # noqa: E402

N, C = 8, 5
INPUTS = {"NC": (N, C), "N1": (N, 1), "N": (N,), "NCL": (N, C, 3)}
TARGETS = {  # name: (shape, dtype, high of the integer labels or None)
    "long_N": ((N,), "int64", C), "long01_N": ((N,), "int64", 2), "long_N1": ((N, 1), "int64", C),
    "long01_N1": ((N, 1), "int64", 2), "long01_NC": ((N, C), "int64", 2), "long_NL": ((N, 3), "int64", C),
    "float_N": ((N,), "float32", None), "float_N1": ((N, 1), "float32", None), "float_NC": ((N, C), "float32", None),
    "float_NCL": ((N, C, 3), "float32", None), "float_N3": ((N, 3), "float32", None),
    "long_N4": ((4,), "int64", C),
}
KWARGS = {"KLDivLoss": {"reduction": "batchmean"}}  # the same arguments on both sides (F.kl_div keeps 'mean')
LOSSES = {
    "CrossEntropyLoss": lambda: nn.CrossEntropyLoss(), "NLLLoss": lambda: nn.NLLLoss(),
    "BCELoss": lambda: nn.BCELoss(), "BCEWithLogitsLoss": lambda: nn.BCEWithLogitsLoss(),
    "MSELoss": lambda: nn.MSELoss(), "L1Loss": lambda: nn.L1Loss(), "SmoothL1Loss": lambda: nn.SmoothL1Loss(),
    "HuberLoss": lambda: nn.HuberLoss(),
    "F.cross_entropy": lambda: F.cross_entropy, "F.nll_loss": lambda: F.nll_loss, "F.mse_loss": lambda: F.mse_loss,
    "F.binary_cross_entropy_with_logits": lambda: F.binary_cross_entropy_with_logits,
    "KLDivLoss": lambda: nn.KLDivLoss(**KWARGS["KLDivLoss"]), "F.kl_div": lambda: F.kl_div,
}


def real(loss_name, ishape, tshape, tdtype, high):
    torch.manual_seed(0)
    x = torch.randn(*ishape)
    if loss_name == "BCELoss":
        x = torch.sigmoid(x)
    if tdtype == "int64":
        t = torch.randint(0, high, tshape)
    else:
        t = torch.rand(*tshape)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            LOSSES[loss_name]()(x, t)
        except Exception:
            return "error"
    if any("target size" in str(m.message) for m in w):
        return "warning"
    if loss_name == "F.kl_div" and not torch.isclose(F.kl_div(x, t), F.kl_div(x, t, reduction="batchmean")):
        return "warning"  # 'mean' gives another value than the KL divergence: averaged over the classes too
    return "ok"


def ours(loss_name, ishape, tshape, tdtype, high):
    rule = lookup("torch", loss_name)
    args, _, _ = rule.signature.bind([], dict(KWARGS.get(loss_name, {})))
    layer = Layer("torch", loss_name, args=args)
    layer.extra["target_int_range"] = (0, high) if high else None
    inf = Inference(Program("t", "torch"))
    inf.apply(layer, [Tensor(ishape, "float32"), Tensor(tshape, tdtype)])
    sev = {d.severity for d in inf.diagnostics}
    assert "info" not in sev, [d.message for d in inf.diagnostics]
    return "error" if "error" in sev else ("warning" if "warning" in sev else "ok")


GRID = list(itertools.product(LOSSES, INPUTS, TARGETS))


@pytest.mark.parametrize("loss_name,inp,tgt", GRID)
def test_loss_rule_agrees_with_torch(loss_name, inp, tgt):
    tshape, tdtype, high = TARGETS[tgt]
    ishape = INPUTS[inp]
    want = real(loss_name, ishape, tshape, tdtype, high)
    got = ours(loss_name, ishape, tshape, tdtype, high)
    assert got == want, f"{loss_name}({ishape}, {tdtype}{tshape}): torch {want}, shapelint {got}"


def test_unknown_dims_never_error():
    for loss_name in LOSSES:
        for ishape, tshape in [((None, 5), (None,)), ((None, 1), (None, 1)), ((None, 5), (None, 5))]:
            rule = lookup("torch", loss_name)
            args, _, _ = rule.signature.bind([], {})
            inf = Inference(Program("t", "torch"))
            inf.apply(Layer("torch", loss_name, args=args), [Tensor(ishape, "float32"), Tensor(tshape, None)])
            errors = [d for d in inf.diagnostics if d.severity == "error"]
            # (None, 5) vs (None,) is a definite mismatch only for the same-shape losses
            if loss_name in ("BCELoss", "BCEWithLogitsLoss", "F.binary_cross_entropy_with_logits") and \
                    len(ishape) != len(tshape):
                continue
            if loss_name in ("NLLLoss", "F.nll_loss") and len(tshape) == 2:
                continue  # class indices of rank 2 for a 2-D input are wrong whatever the sizes
            if loss_name in ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "F.mse_loss") and \
                    ishape == (None, 5) and tshape == (None,):
                continue
            assert not errors, (loss_name, ishape, tshape, [d.message for d in errors])


def test_one_loss_module_misused_at_three_calls_is_reported_and_fixed_at_each():
    """Expert review: fixing only the first of three calls of one nn.MSELoss left the same silent broadcast in the
    other two. Each call is its own op and is checked; `real_label`, read by two calls, gets its axis where it is
    made (once for both: one diagnostic there, showing both calls), `fake_label`, read once, where it meets the
    loss: no call is left broadcasting."""
    import textwrap
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        D = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
        mse = nn.MSELoss()
        real_label = torch.rand(16)
        fake_label = torch.rand(16)
        d_loss = mse(D(torch.randn(16, 2)), real_label) + mse(D(torch.randn(16, 2)), fake_label)
        g_loss = mse(D(torch.randn(16, 2)), real_label)
    """).lstrip()
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]
    assert sorted(d.primary.span.line for d in found) == [6, 8]
    made = next(d for d in found if d.primary.span.line == 6)
    assert {8, 9} <= {l.span.line for l in made.secondary}  # both calls that read real_label
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed.count(".unsqueeze(1)") == 2
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


HAND_WRITTEN = """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
x = torch.randn(32, 8)
y = torch.randn(32)


def rmse(pred, target):
    return torch.sqrt(((pred - target) ** 2).mean())


loss = rmse(model(x), y)
"""


def test_a_hand_written_loss_that_broadcasts_is_reported_and_fixed():
    """(checks/silent.py) (N, 1) predictions minus (N,) targets is (N, N) in a loss written by hand; torch is the
    oracle for the broadcast."""
    import torch
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    assert tuple((torch.zeros(32, 1) - torch.zeros(32)).shape) == (32, 32)
    (d,) = [d for d in check_source("case.py", HAND_WRITTEN).diagnostics if d.severity == "warning"]
    assert d.code == "SHP202" and d.primary.span.line == 11
    fixed = fix_source("case.py", HAND_WRITTEN, [d], ("safe", "unsafe")).source
    assert "(pred - target.unsqueeze(1))" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "warning"]


def test_matching_shapes_and_an_unreduced_outer_difference_are_left_alone():
    from shapelint.frontends.source.check import check_source
    same = HAND_WRITTEN.replace("y = torch.randn(32)", "y = torch.randn(32, 1)")
    pairwise = HAND_WRITTEN.replace("loss = rmse(model(x), y)", "table = model(x) - y")
    for src in (same, pairwise):
        assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_integer_targets_of_the_inputs_rank_fail_whatever_the_unknown_sizes():
    """Long (N, k) targets (one-hot from pandas.get_dummies, k not known) for (N, C) scores: torch takes targets of
    the input's rank as class probabilities and raises on an integer dtype -- and as class ids they would need one
    axis fewer -- so it fails for every k and C."""
    from shapelint.core.infer import Inference
    from shapelint.core.program import Layer, Program
    from shapelint.core.registry import lookup
    from shapelint.core.values import Tensor
    rule = lookup("torch", "CrossEntropyLoss")
    args, _, _ = rule.signature.bind([], {})
    inf = Inference(Program("t", "torch"))
    inf.apply(Layer("torch", "CrossEntropyLoss", args=args), [Tensor((8, None), "float32"), Tensor((8, None), "int64")])
    assert [d.name for d in inf.diagnostics if d.severity == "error"] == ["label-dtype-mismatch"]
    inf = Inference(Program("t", "torch"))
    inf.apply(Layer("torch", "CrossEntropyLoss", args=args), [Tensor((8, None), "float32"), Tensor((8, None), "float32")])
    assert not [d for d in inf.diagnostics if d.severity == "error"]


def test_what_torch_does_with_integer_targets_of_the_inputs_rank():
    torch = pytest.importorskip("torch")
    for k in (3, 5):
        with pytest.raises(RuntimeError):
            torch.nn.CrossEntropyLoss()(torch.randn(8, 3), torch.zeros(8, k, dtype=torch.long))
