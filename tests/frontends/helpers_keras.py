"""Helpers for the front-end tests: check a source text and read back models and diagnostics."""
import textwrap

from shapelint.frontends.source.check import check_source


def check(src: str, path: str = "model.py"):
    return check_source(path, textwrap.dedent(src))


def model(result, name=None):
    models = result.models if name is None else [m for m in result.models if m.name == name]
    assert models, f"no model {name!r}; models: {[m.name for m in result.models]}"
    return models[0]


def table(m):
    """[(kind, output shape)] of a model's layers, in execution order."""
    return [(op.layer.kind, op.output.shape if hasattr(op.output, "shape") else str(op.output))
            for op in m.program.ops]


def output(m):
    return m.program.ops[-1].output.shape


def codes(result, severity=None):
    return [d.code for d in result.diagnostics if severity is None or d.severity == severity]


def errors(result):
    return [d for d in result.diagnostics if d.severity == "error"]
