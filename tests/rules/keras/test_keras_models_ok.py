"""Correct, everyday Keras 3 models built from the layers of the core / recurrent / attention / merging /
normalization / preprocessing families: shapelint must report no error and the output shape real Keras builds
(no false alarms on real-world code)."""
import os
import warnings

import pytest

from shapelint.core.values import TensorTuple
from shapelint.frontends.source.check import check_source

HEAD = "import keras\nfrom keras import layers\n\n"

MODELS = {
    "text_classifier": """
inp = keras.Input(shape=(100,), dtype="int32")
x = layers.Embedding(20000, 128, mask_zero=True)(inp)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.GRU(32))(x)
x = layers.Dropout(0.5)(x)
out = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inp, out)
""",
    "transformer_block": """
inp = keras.Input(shape=(64, 32))
att = layers.MultiHeadAttention(num_heads=4, key_dim=8, dropout=0.1)(inp, inp)
x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([inp, att]))
ff = layers.Dense(64, activation="gelu")(x)
ff = layers.Dense(32)(ff)
x = layers.LayerNormalization(epsilon=1e-6)(layers.add([x, ff]))
x = layers.GlobalAveragePooling1D()(x)
out = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inp, out)
""",
    "seq2seq_repeat": """
model = keras.Sequential([
    keras.Input(shape=(12, 3)),
    layers.Masking(mask_value=0.0),
    layers.LSTM(32),
    layers.RepeatVector(5),
    layers.LSTM(32, return_sequences=True),
    layers.TimeDistributed(layers.Dense(3)),
])
""",
    "augmenting_cnn": """
model = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Rescaling(1.0 / 255),
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.2),
    layers.RandomContrast(0.1),
    layers.Resizing(32, 32),
    layers.Conv2D(16, 3, activation="relu"),
    layers.BatchNormalization(),
    layers.GroupNormalization(groups=4),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10),
    layers.Softmax(),
])
""",
    "attention_seq": """
q = keras.Input(shape=(10, 16))
v = keras.Input(shape=(20, 16))
ctx, scores = layers.Attention(use_scale=True)([q, v], return_attention_scores=True)
add = layers.AdditiveAttention()([q, v])
x = layers.Concatenate(axis=-1)([ctx, add, q])
x = layers.Dot(axes=(2, 2))([x, x])
model = keras.Model([q, v], [x, scores])
""",
    "stacked_rnn_ok": """
model = keras.Sequential()
model.add(keras.Input(shape=(30, 8)))
model.add(layers.SimpleRNN(16, return_sequences=True))
model.add(layers.LSTM(16, return_sequences=True, dropout=0.2))
model.add(layers.GRU(8))
model.add(layers.Dense(1))
""",
    "conv_lstm_video": """
model = keras.Sequential([
    keras.Input(shape=(10, 32, 32, 1)),
    layers.ConvLSTM2D(8, 3, padding="same", return_sequences=True),
    layers.BatchNormalization(),
    layers.ConvLSTM2D(8, 3, padding="same"),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
])
""",
    "einsum_and_norms": """
inp = keras.Input(shape=(7, 12))
x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 16), bias_axes="d")(inp)
x = layers.UnitNormalization()(x)
x = layers.RMSNormalization()(x)
x = layers.PReLU(shared_axes=[1])(x)
x = layers.Identity()(x)
x = layers.Flatten()(x)
model = keras.Model(inp, x)
""",
}


def _shape(v):
    if isinstance(v, TensorTuple):
        return tuple(_shape(i) for i in v.items)
    return tuple(v.shape) if v is not None and v.shape is not None else None


@pytest.mark.parametrize("name", sorted(MODELS))
def test_correct_model_has_no_error(name):
    result = check_source(f"{name}.py", HEAD + MODELS[name])
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, [d.message for d in errors]
    assert all(d.code != "SHP005" for d in result.diagnostics), [d.message for d in result.diagnostics]
    ours = _shape(result.models[-1].program.output)
    keras = pytest.importorskip("keras")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    ns = {"keras": keras, "layers": keras.layers}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(MODELS[name], ns)  # noqa: S102 -- our own fixture source
    model = ns["model"]
    real = tuple(tuple(t.shape) for t in model.outputs)
    real = real[0] if len(real) == 1 else real
    assert ours == real
