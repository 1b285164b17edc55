"""A root-cause finder that fails internally offers nothing -- and the diagnostic says so in a note, rather than
stopping at the symptom silently (the rule's own diagnosis is kept)."""
import textwrap

from shapelint.frontends.source.check import check_source
from shapelint.rootcause import engine

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(5, 2))
    out = model(torch.randn(3, 8))
""").lstrip()


def _broken(ctx, d):
    raise KeyError("boom")


def test_a_failing_finder_leaves_a_note(monkeypatch):
    monkeypatch.delenv("SHAPELINT_DEBUG", raising=False)
    monkeypatch.setattr(engine, "FINDERS", (_broken,) + tuple(engine.FINDERS))
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP101"
    assert any("could not be weighed (internal error: KeyError)" in n for n in d.notes)


def test_no_note_when_every_finder_runs():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert not any("could not be weighed" in n for n in d.notes)


MULTI_OUTPUT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    inp = keras.Input(shape=(6,))
    h = layers.Dense(8, activation="relu")(inp)
    price = layers.Dense(3, name="price")(h)
    kind = layers.Dense(4, activation="softmax", name="kind")(h)
    model = keras.Model(inp, {"price": price, "kind": kind})
    model.compile("adam", loss={"price": "mse", "kind": "sparse_categorical_crossentropy"})
    x = np.random.rand(20, 6).astype("float32")
    model.fit(x, {"price": np.random.rand(20, 1), "kind": np.random.randint(0, 4, 20)}, epochs=1, verbose=0)
""").lstrip()


def test_every_finder_runs_on_one_output_of_a_multi_output_model(monkeypatch):
    """One output's run handed to the label finders has the model's inputs (it had none: a finder failed)."""
    monkeypatch.setenv("SHAPELINT_DEBUG", "1")
    found = [d for d in check_source("case.py", MULTI_OUTPUT).diagnostics if d.severity in ("error", "warning")]
    assert found and not any("could not be weighed" in n for d in found for n in d.notes)
