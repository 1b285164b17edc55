"""A CBOW whose context embeddings are never pooled: Embedding (N, T, E) -> Linear gives one score vector per
context word (N, T, V), and CrossEntropyLoss with one target word per sample reads T as the classes (torch:
"Expected target size [16, 500], got [16]"). The root is where the embeddings are used; the fix averages them.
Reshaping the targets to (16, 500) is the wrong fix the raw message suggests. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    VOCAB, EMB, CONTEXT = 500, 32, 4


    class CBOW(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(VOCAB, EMB)
            self.out = nn.Linear(EMB, VOCAB)

        def forward(self, ctx):
            e = self.emb(ctx)
            return self.out(e)


    model = CBOW()
    ctx = torch.randint(0, VOCAB, (16, CONTEXT))
    target = torch.randint(0, VOCAB, (16,))
    loss = nn.CrossEntropyLoss()(model(ctx), target)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_unpooled_embeddings_are_blamed_and_averaged():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 15 and "nothing pools the tokens" in d.primary.text
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return self.out(e.mean(dim=1))" in fixed and _errors(fixed) == []


def test_per_token_targets_are_not_this_cause():
    """A tagger scoring every token against (N, T) targets wants the classes on axis 1, not pooling."""
    src = SRC.replace("(16,))", "(16, CONTEXT))")
    assert all(getattr(d, "cause", None) != "tokens-not-pooled" for d in _errors(src))


def test_an_rnn_over_the_tokens_is_left_to_the_last_step_cause():
    src = SRC.replace("self.out = nn.Linear(EMB, VOCAB)", "self.rnn = nn.LSTM(EMB, EMB, batch_first=True)\n"
                      "        self.out = nn.Linear(EMB, VOCAB)").replace("return self.out(e)",
                                                                          "return self.out(self.rnn(e)[0])")
    assert all(getattr(d, "cause", None) != "tokens-not-pooled" for d in _errors(src))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="Expected target size"):
        run(SRC)
    assert tuple(run(SRC.replace("self.out(e)", "self.out(e.mean(dim=1))"))["loss"].shape) == ()
