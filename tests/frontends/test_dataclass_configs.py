"""Config dataclasses: ``RNNConfig(hidden_size=128)`` binds its fields as ``dataclasses`` does -- before, the class
default (64) was read for every instance, so a model built from the config had the wrong sizes -- and
``nn.LSTM(**asdict(cfg))`` sees the fields. PyTorch is the oracle."""
import ast
import textwrap

import pytest

from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.evaluator import Evaluator

SRC = textwrap.dedent("""
    from dataclasses import asdict, dataclass, replace
    import torch
    import torch.nn as nn


    @dataclass
    class Base:
        input_size: int = 9


    @dataclass
    class RNNConfig(Base):
        hidden_size: int = 64
        num_layers: int = 1
        batch_first: bool = True


    cfg = RNNConfig(hidden_size=128)
    wide = replace(cfg, hidden_size=256)
    positional = RNNConfig(5, 32)
    rnn = nn.LSTM(**asdict(cfg))
    head = nn.Linear(cfg.hidden_size, 3)
    out, _ = rnn(torch.randn(4, 10, 9))
    logits = head(out[:, -1])
""").lstrip()


def _vars(src):
    ev = Evaluator("case.py", src, ast.parse(src), None)
    ev.run(None)
    return ev.module.vars


def test_fields_are_bound_by_keyword_position_and_replace():
    v = _vars(SRC)
    assert v["cfg"].attrs["hidden_size"] == 128 and v["wide"].attrs["hidden_size"] == 256
    assert v["positional"].attrs == {"input_size": 5, "hidden_size": 32}
    assert tuple(v["logits"].shape) == (4, 3)


def test_a_head_sized_by_the_default_is_an_error():
    src = SRC.replace("head = nn.Linear(cfg.hidden_size, 3)", "head = nn.Linear(RNNConfig.hidden_size, 3)")
    assert [d.code for d in check_source("case.py", src).diagnostics if d.severity == "error"] == ["SHP101"]


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(SRC)["logits"].shape) == (4, 3)


def test_field_defaults_and_factories_are_the_class_defaults():
    """rw19d (a multi-task model's hidden widths in ``field(default_factory=lambda: [128, 64])``): the factory's
    value is what an instance starts from; before, the widths were unknown and the model's loss went unchecked."""
    src = textwrap.dedent("""
        from dataclasses import dataclass, field
        import torch
        import torch.nn as nn


        @dataclass
        class Cfg:
            n_in: int = field(default=12)
            hidden: list = field(default_factory=lambda: [32, 16])
            tags: list = field(default_factory=list)


        cfg = Cfg()
        layers, d = [], cfg.n_in
        for h in cfg.hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        out = nn.Sequential(*layers)(torch.randn(4, 12))
    """).lstrip()
    v = _vars(src)
    assert tuple(v["out"].shape) == (4, 16)
    pytest.importorskip("torch")
    scope = {"__name__": "__main__"}
    exec(compile(src, "case.py", "exec"), scope)  # noqa: S102 -- the test's own script: torch agrees
    assert tuple(scope["out"].shape) == (4, 16) and scope["cfg"].tags == []


REVIEW = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "review19"


@pytest.mark.parametrize("name", ["dc_nested.py", "dc_shared.py"])
def test_each_instance_gets_its_own_default_factory_value(name):
    """Code review: one config instance changed (``wide.model.hidden = 256``, a list appended to) must not change
    another built with the default factory; shapelint said SHP101 with a safe fix that broke the program."""
    src = (REVIEW / name).read_text()
    assert [d.code for d in check_source("case.py", src).diagnostics if d.severity == "error"] == []
    pytest.importorskip("torch")
    exec(compile(src, name, "exec"), {"__name__": "__main__"})  # noqa: S102 -- torch runs it


REVIEW20 = REVIEW.parent / "review20"


def test_a_subclass_of_a_dataclass_gets_its_default_factory_fields():
    """Code review 20, finding 5: ``class MnistCfg(Cfg)`` runs the dataclass's generated ``__init__``; its
    ``hidden`` (a default_factory list) sizes the layers, and the head's 32 against 16 is torch's error."""
    src = (REVIEW20 / "dc_child.py").read_text()
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SHP101"] and "16" in errors[0].message
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="4x16 and 32x1"):
        exec(compile(src, "dc_child.py", "exec"), {"__name__": "__main__"})  # noqa: S102


def test_a_dataclass_overrides_its_plain_bases_init():
    """Code review 20, finding 5: ``@dataclass class Cfg(Registered)`` gets the generated ``__init__``, not
    ``Registered.__init__``: the loop over ``cfg.hidden`` builds both layers and the model is fully known."""
    src = (REVIEW20 / "dc_base.py").read_text()
    result = check_source("case.py", src)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    (model,) = result.models
    shapes = [tuple(op.output.shape) for op in model.program.ops]
    assert shapes == [(4, 32), (4, 32), (4, 16), (4, 16), (4, 1)]
    pytest.importorskip("torch")
    exec(compile(src, "dc_base.py", "exec"), {"__name__": "__main__"})  # noqa: S102 -- torch runs it
