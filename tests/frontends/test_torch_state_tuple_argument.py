"""``output, h = net(inputs, h)``: an RNN model called with its (h, c) state as a second positional argument, the
Udacity sentiment tutorial's loop. The tuple of tensors is passed on as it would be by keyword, and the model runs
on the data -- before, the call was left unknown and the model's shapes were never checked."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(500, 16)
            self.lstm = nn.LSTM(16, 8, 2, batch_first=True)
            self.fc = nn.Linear(8, 1)

        def forward(self, x, hidden):
            out, hidden = self.lstm(self.embedding(x), hidden)
            return self.fc(out[:, -1]), hidden

        def init_hidden(self, batch_size):
            return (torch.zeros(2, batch_size, 8), torch.zeros(2, batch_size, 8))


    net = Net()
    h = net.init_hidden(4)
    h = tuple(each.detach() for each in h)
    logits, h = net(torch.randint(0, 500, (4, 12)), h)
""").lstrip()


def test_the_model_runs_with_its_state_passed_positionally():
    r = check_source("case.py", SRC)
    (model,) = r.models
    assert [tuple(op.output.shape) for op in model.program.ops if op.layer.kind == "Linear"] == [(4, 1)]
    assert not [d for d in r.diagnostics if d.severity in ("error", "warning")]


def test_a_state_of_the_wrong_batch_is_an_error():
    r = check_source("case.py", SRC.replace("net.init_hidden(4)", "net.init_hidden(5)"))
    assert [d.code for d in r.diagnostics if d.severity == "error"] == ["SHP111"]


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(SRC)["logits"].shape) == (4, 1)
    with pytest.raises(RuntimeError):
        run(SRC.replace("net.init_hidden(4)", "net.init_hidden(5)"))
