"""keras.applications models used as layers (rules/keras/applications.py) against real Keras (weights=None)."""
import pytest

from shapelint.frontends.source.check import check_source

CASES = [  # (constructor keywords, input shape without batch)
    ("include_top=False, input_shape=(160, 160, 3)", (160, 160, 3)),
    ("include_top=False, input_shape=(224, 224, 3), pooling='avg'", (224, 224, 3)),
    ("include_top=False, input_shape=(150, 150, 3)", (150, 150, 3)),
    ("input_shape=(224, 224, 3), classes=7", (224, 224, 3)),
]


def _norm(shape):
    return tuple(d if isinstance(d, int) else None for d in shape)


@pytest.mark.parametrize("app", ["MobileNetV2", "ResNet50"])
@pytest.mark.parametrize("kw, shape", CASES)
def test_application_output_agrees_with_keras(app, kw, shape):
    keras = pytest.importorskip("keras")
    base = getattr(keras.applications, app)(weights=None, **eval(f"dict({kw})"))
    want = tuple(base(keras.Input(shape=shape)).shape)
    r = check_source("app.py", f"""import keras
base = keras.applications.{app}(weights=None, {kw})
inputs = keras.Input(shape={shape!r})
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
y = base(x, training=False)
model = keras.Model(inputs, y)
seq = keras.Sequential([keras.Input(shape={shape!r}), base])
""")
    assert not [d for d in r.diagnostics if d.severity == "error"]
    for m in r.models:
        got = m.program.ops[-1].output.shape
        # a stated dim must be Keras's; an unknown one (None) is allowed
        assert len(got) == len(want) and all(g is None or g == w for g, w in zip(_norm(got), want)), (m.name, got)
    assert _norm(r.models[0].program.ops[-1].output.shape)[-1] == want[-1]
