"""A statement cut short by the analysis budget leaves what it changed in place unknown too (``Y.append`` in a loop
that did not finish holds only the items appended so far), and rows appended one by one cost each row once, so a
makemore-style dataset loop is followed to its end. Torch is the oracle of the length."""
import textwrap

from oracle import run
from shapelint.frontends.source.check import check_source
from shapelint.frontends.source import evaluator

DATASET = textwrap.dedent("""
    import torch
    words = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"] * 20
    block_size = 3
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            X.append(context)
            Y.append(1)
            context = context[1:] + [1]
    Y = torch.tensor(Y)
    head = torch.nn.Linear(Y.shape[0], 2)
""").lstrip()


def test_rows_appended_one_by_one_are_followed_to_the_end():
    assert run(DATASET)["head"].in_features == 1060
    result = check_source("case.py", DATASET)
    assert not [d for d in result.diagnostics if d.code == "SHP006"]
    probe = DATASET + "out = head(torch.randn(3, 7))\n"
    (d,) = [d for d in check_source("case.py", probe).diagnostics if d.severity == "error"]
    assert d.expected == 1060 or "1060" in d.message


def test_a_cut_loop_leaves_the_lists_it_appended_to_unknown(monkeypatch):
    monkeypatch.setattr(evaluator, "STATEMENT_SHARE", 0.0005)
    probe = DATASET + "out = head(torch.randn(3, 7))\n"
    result = check_source("case.py", probe)
    assert [d for d in result.diagnostics if d.code == "SHP006"]  # the loop is cut, and says so
    assert not [d for d in result.diagnostics if d.severity == "error"]  # and no length is made up
