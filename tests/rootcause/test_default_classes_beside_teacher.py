"""Knowledge distillation: the student built without ``num_classes`` takes its default of 10 while the teacher is
given the configured 20; the KL term compares (B, 10) with (B, 20). The student's construction is the root (the
mismatch of two shapes one axis apart gives the sizes to explain), fixed by passing the configured count, never by
editing the class's default or its Linear. torch is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    CFG = {"classes": 20, "width": 8}


    class Net(nn.Module):
        def __init__(self, classes=10, width=4):
            super().__init__()
            self.body = nn.Linear(12, width)
            self.classes = nn.Linear(width, classes)

        def forward(self, x):
            return self.classes(torch.relu(self.body(x)))


    teacher = Net(classes=CFG["classes"], width=CFG["width"])
    student = Net(width=2)
    x = torch.randn(BATCH, 12)
    soft = F.kl_div(F.log_softmax(student(x), 1), F.softmax(teacher(x), 1), reduction="batchmean")
""").lstrip()


@pytest.mark.parametrize("batch", [4, 9])
def test_the_student_gets_the_configured_class_count(batch):
    script = SCRIPT.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 19
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert 'student = Net(width=2, classes=CFG["classes"])' in fixed and "classes=10, width=4" in fixed
    assert run(fixed)["soft"].shape == ()
