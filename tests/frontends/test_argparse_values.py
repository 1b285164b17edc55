"""argparse in a script (frontends/source/argparse_api.py): options read at their defaults, checked against what
real argparse gives for an empty command line; anything the command line could set without a default is unknown."""
from __future__ import annotations

import argparse
import ast

import pytest

from shapelint.core.program import UNRESOLVED
from shapelint.frontends.source.evaluator import Evaluator

SCRIPT = """
import argparse
parser = argparse.ArgumentParser(description="train")
parser.add_argument("--hidden-dim", type=int, default=128)
parser.add_argument("-n", "--num_layers", type=int, default=2)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--bidirectional", action="store_true")
parser.add_argument("--no-bias", dest="bias", action="store_false")
group = parser.add_argument_group("data")
group.add_argument("--seq-len", default=60, type=int)
parser.add_argument("--classes", type=int)
args = parser.parse_args(ARGV)
hidden = args.hidden_dim * 2
layers = args.num_layers
lr = args.lr
bidir = args.bidirectional
bias = args.bias
seq = args.seq_len
classes = args.classes
"""
NAMES = ("hidden", "layers", "lr", "bidir", "bias", "seq", "classes")


def values(src: str) -> dict:
    ev = Evaluator("t.py", src, ast.parse(src))
    ev.run()
    return ev.module.vars


@pytest.mark.parametrize("argv", ["", "[]"])
def test_defaults_match_real_argparse(argv):
    got = values(SCRIPT.replace("ARGV", argv))
    real: dict = {"argparse": argparse, "ARGV": []}
    exec(SCRIPT.replace("parse_args(ARGV)", "parse_args([])"), real)
    for name in NAMES:
        assert got[name] == real[name], name


def test_explicit_arguments_and_required_options_are_unknown():
    got = values(SCRIPT.replace("ARGV", "['--hidden-dim', '64']"))
    assert got["hidden"] is UNRESOLVED and got["seq"] is UNRESOLVED
    src = ("import argparse\np = argparse.ArgumentParser()\np.add_argument('--dim', type=int, required=True)\n"
           "p.add_argument('size', type=int)\na = p.parse_args()\nd = a.dim\ns = a.size\nu = a.missing\n")
    got = values(src)
    assert got["d"] is UNRESOLVED and got["s"] is UNRESOLVED and got["u"] is UNRESOLVED


def test_assignment_to_the_namespace_overrides_the_default():
    src = ("import argparse\np = argparse.ArgumentParser()\np.add_argument('--dim', type=int, default=8)\n"
           "a = p.parse_args()\na.dim = a.dim * 4\nd = a.dim\n")
    assert values(src)["d"] == 32
