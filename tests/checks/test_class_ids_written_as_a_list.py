"""Class ids written out, or built by a comprehension over a label map (``torch.tensor([label_map[p] for p in raw])``),
have a known range: three polarities give ids 0..2, and a head of ``num_labels = 2`` outputs makes CrossEntropyLoss
raise ``IndexError: Target 2 is out of bounds``. The count written in the config is the root cause. A list holding a
float or an unknown value has no range (no claim is made). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CONFIG = {"polarities": ["negative", "neutral", "positive"], "num_labels": 2}
    label_map = {p: i for i, p in enumerate(CONFIG["polarities"])}
    raw = [CONFIG["polarities"][i % 3] for i in range(12)]
    labels = torch.tensor([label_map[p] for p in raw])



    class Classifier(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.dense = nn.Linear(8, cfg["num_labels"])

        def forward(self, x):
            return self.dense(x)


    model = Classifier(CONFIG)
    loss = nn.CrossEntropyLoss()(model(torch.rand(12, 8)), labels)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_class_count_written_in_the_config_is_fixed():
    (d,) = _errors(SRC)
    assert d.code == "SHP302" and d.primary.span.line == 4 and "0 to 2" in d.message
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert '"num_labels": 3' in fixed and _errors(fixed) == []


@pytest.mark.parametrize("labels", ["[0, 1, 2.0, 0]", "[0, 1, int(input()), 0]"])
def test_a_list_that_is_not_all_known_integers_has_no_range(labels):
    src = SRC.replace("torch.tensor([label_map[p] for p in raw])", f"torch.tensor({labels})").replace(
        "torch.rand(12, 8)", "torch.rand(4, 8)")
    assert [d for d in _errors(src) if d.code == "SHP302"] == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(IndexError, match="Target 2 is out of bounds"):
        run(SRC)
    assert tuple(run(SRC.replace('"num_labels": 2', '"num_labels": 3'))["labels"].shape) == (12,)
