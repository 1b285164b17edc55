"""DataLoader batches: the default collate stacking items of different sizes (torch raises when the loader is
iterated), a user ``collate_fn`` followed on the items, and ``pad_sequence``. Each script is run with real torch 2.13
too (``test_scripts_match_torch``: the shape of the first batch's tensors, or an exception)."""
from __future__ import annotations

import ast
import textwrap

import pytest

from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.evaluator import Evaluator

HEAD = textwrap.dedent("""\
    import torch
    from torch.utils.data import Dataset, DataLoader
    from torch.nn.utils.rnn import pad_sequence

    class Seqs(Dataset):
        def __init__(self, x, y):
            self.x, self.y = x, y
        def __len__(self):
            return len(self.x)
        def __getitem__(self, i):
            return torch.tensor(self.x[i]), torch.tensor(self.y[i])

    def pad_collate(batch):
        xs, ys = zip(*batch)
        return pad_sequence(xs, batch_first=True), torch.stack(ys)
    """)
VAR = "[[1, 2, 3], [4, 5], [6, 7, 8, 9], [1]]"
FIXED = "[[1, 2, 3], [4, 5, 6], [6, 7, 8], [1, 2, 3]]"
LABELS = "[0, 1, 0, 1]"

SCRIPTS = [
    (f"loader = DataLoader(Seqs({VAR}, {LABELS}), batch_size=2)\nx, y = next(iter(loader))", "SHP127"),
    (f"loader = DataLoader(Seqs({VAR}, {LABELS}), batch_size=2)\nfor x, y in loader:\n    pass", "SHP127"),
    (f"loader = DataLoader(Seqs({FIXED}, {LABELS}), batch_size=2)\nx, y = next(iter(loader))", ((2, 3), (2,))),
    (f"loader = DataLoader(Seqs({VAR}, {LABELS}), batch_size=1)\nx, y = next(iter(loader))", ((1, 3), (1,))),
    (f"loader = DataLoader(Seqs({VAR}, {LABELS}), batch_size=2, collate_fn=pad_collate)\n"
     "x, y = next(iter(loader))", ((2, None), (2,))),
    (f"loader = DataLoader(Seqs({FIXED}, {LABELS}), batch_size=4, collate_fn=pad_collate)\n"
     "x, y = next(iter(loader))", ((4, None), (4,))),
    ("from torch.utils.data import default_collate\n"
     "def tuple_collate(batch):\n    return default_collate(batch)\n"
     f"loader = DataLoader(Seqs({FIXED}, {LABELS}), batch_size=4, collate_fn=tuple_collate)\n"
     "x, y = next(iter(loader))", ((4, 3), (4,))),
    ("x = pad_sequence([torch.ones(3, 4), torch.ones(5, 4)], batch_first=True)\ny = x", ((2, 5, 4), (2, 5, 4))),
    ("x = pad_sequence([torch.ones(3, 4), torch.ones(5, 4)])\ny = x", ((5, 2, 4), (5, 2, 4))),
    ("x = pad_sequence([torch.ones(3, 4), torch.ones(5, 3)])\ny = x", "error"),
]


def _shape(v):
    s = getattr(v, "shape", None)
    return tuple(s) if s is not None else None


def shapelint_outcome(body: str):
    src = HEAD + body + "\n"
    result = check_source("c.py", src)
    errors = [d.code for d in result.diagnostics if d.severity == "error"]
    if errors:
        return errors[0]
    ev = Evaluator("c.py", src, ast.parse(src))
    ev.run()
    return _shape(ev.module.vars.get("x")), _shape(ev.module.vars.get("y"))


@pytest.mark.parametrize("body, expected", SCRIPTS, ids=[s[0][:50] for s in SCRIPTS])
def test_script(body, expected):
    got = shapelint_outcome(body)
    assert got == ("SHP106" if expected == "error" else expected), got


@pytest.mark.parametrize("body, expected", SCRIPTS, ids=[s[0][:50] for s in SCRIPTS])
def test_scripts_match_torch(body, expected):
    pytest.importorskip("torch")
    ns = {}
    try:
        exec(HEAD + body, ns)  # noqa: S102 -- our own test scripts
    except Exception:  # noqa: BLE001
        assert isinstance(expected, str)
        return
    assert not isinstance(expected, str), "torch accepts it"
    for got, want in zip((tuple(ns["x"].shape), tuple(ns["y"].shape)), expected):
        assert len(got) == len(want) and all(w is None or g == w for g, w in zip(got, want))
