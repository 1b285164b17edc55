"""A Keras pooling on a map already pooled down to 1x1 (a config list one block too deep for 32-px images): the
error stands, and no `padding='same'` fix is offered -- it would add a pooling that does nothing and leave the model
one stage too deep. A map still wider than 1 keeps the fix. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(SIZE, SIZE, 3))])
    for f in [8, 8, 8, 8, 8, 8]:
        model.add(layers.Conv2D(f, 3, padding="same"))
        model.add(layers.MaxPooling2D(2))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_no_padding_fix_on_a_spent_map():
    (d,) = _errors(SRC.replace("SIZE", "32"))
    assert d.code == "SHP104" and (d.fix is None or not d.fix.edits) and "1x1" in d.help


def test_a_map_wider_than_one_keeps_the_padding_fix():
    src = "import keras\nfrom keras import layers\n" \
          "model = keras.Sequential([keras.Input(shape=(2, 2, 3)), layers.MaxPooling2D(3)])\n"
    (d,) = _errors(src)
    assert d.code == "SHP104" and d.fix is not None and "padding='same'" in " ".join(e.text for e in d.fix.edits)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC.replace("SIZE", "32"))
    run(SRC.replace("SIZE", "64"))
