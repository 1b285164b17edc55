"""The ImageNet top-k accuracy recipe without ``pred = pred.t()``: the (B, k) indices cannot take the labels viewed
(1, B). The topk line is the root and the fix transposes the indices after it, so ``correct[:k]`` counts ranks.
torch is the oracle: the fixed accuracy equals the one computed with ``torch.topk`` directly."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

torch = pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch


    def accuracy(output, target, topk=(1, 3)):
        maxk = max(topk)
        _, pred = output.topk(maxk, 1, True, True)
        correct = pred.eq(target.view(1, -1).expand_as(pred))
        return [correct[:k].reshape(-1).float().sum().item() / target.size(0) for k in topk]


    torch.manual_seed(0)
    scores = torch.randn(BATCH, 10)
    labels = torch.randint(0, 10, (BATCH,))
    acc = accuracy(scores, labels)
""").lstrip()


@pytest.mark.parametrize("batch", [16, 7])
def test_the_indices_are_transposed_after_topk(batch):
    src = SCRIPT.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "    _, pred = output.topk(maxk, 1, True, True)\n    pred = pred.t()\n" in fixed
    scope = run(fixed)
    top3 = scope["scores"].topk(3, 1).indices
    want = (top3 == scope["labels"][:, None]).any(1).float().mean().item()
    assert abs(scope["acc"][1] - want) < 1e-6
