"""The Keras source front-end: import spellings, builder functions, constants, lazily built models, functional
graphs, shared layers, models used as layers, and uncertain models (never an error)."""
import pytest

from helpers_keras import check, codes, errors, model, output, table

IMPORTS = {
    "import keras": ("import keras", "keras.Sequential", "keras.layers.Dense", "keras.Input"),
    "from tensorflow import keras": ("from tensorflow import keras", "keras.Sequential", "keras.layers.Dense",
                                     "keras.Input"),
    "tf.keras": ("import tensorflow as tf", "tf.keras.Sequential", "tf.keras.layers.Dense", "tf.keras.Input"),
    "tf.keras.models": ("import tensorflow as tf", "tf.keras.models.Sequential", "tf.keras.layers.Dense",
                        "tf.keras.layers.Input"),
    "from tensorflow.keras.layers": ("from tensorflow.keras.layers import Dense, Input\n"
                                     "from tensorflow.keras.models import Sequential", "Sequential", "Dense",
                                     "Input"),
    "from keras import layers as L": ("from keras import layers as L\nfrom keras.models import Sequential",
                                      "Sequential", "L.Dense", "L.Input"),
    "keras.layers.core path": ("import keras", "keras.Sequential", "keras.layers.core.Dense", "keras.Input"),
    "tensorflow.keras as alias": ("import tensorflow.keras as K", "K.Sequential", "K.layers.Dense", "K.Input"),
    "from keras import Sequential": ("from keras import Sequential, Input\nfrom keras.layers import Dense",
                                     "Sequential", "Dense", "Input"),
    "tf_keras": ("import tf_keras as keras", "keras.Sequential", "keras.layers.Dense", "keras.Input"),
}


@pytest.mark.parametrize("spelling", sorted(IMPORTS))
def test_import_spellings_sequential(spelling):
    imp, seq, dense, inp = IMPORTS[spelling]
    r = check(f"""
{imp}
model = {seq}([{inp}(shape=(20,)), {dense}(64, activation="relu"), {dense}(10)])
""")
    m = model(r, "model")
    assert table(m) == [("Dense", (None, 64)), ("Dense", (None, 10))]
    assert not errors(r)


@pytest.mark.parametrize("spelling", sorted(IMPORTS))
def test_import_spellings_error_is_found(spelling):
    imp, seq, dense, inp = IMPORTS[spelling]
    r = check(f"""
{imp}
model = {seq}([{inp}(shape=(20,)), {dense}(0)])
""")
    assert [d.line for d in errors(r)] == [imp.count("\n") + 3]


def test_functional_spellings():
    r = check("""
import tensorflow as tf
from tensorflow.keras.models import Model
from tensorflow.keras import layers
inp = tf.keras.Input((4,))
out = layers.Dense(3)(inp)
m = Model(inp, out)
m2 = tf.keras.Model(inputs=[inp], outputs=[out], name="named")
""")
    assert table(model(r, "m")) == [("Dense", (None, 3))]
    assert table(model(r, "named")) == [("Dense", (None, 3))]


@pytest.mark.parametrize("first", [
    "layers.InputLayer(input_shape=(20,))",
    "layers.InputLayer(shape=(20,))",
    "layers.InputLayer((20,))",
    "layers.InputLayer(batch_shape=(None, 20))",
    "keras.Input(shape=(20,))",
    "keras.Input((20,))",
    "keras.layers.Input(shape=20)",
])
def test_input_layer_forms(first):
    r = check(f"""
import keras
from keras import layers
model = keras.Sequential([{first}, layers.Dense(5)])
""")
    m = model(r)
    assert m.program.inputs[0].shape == (None, 20)
    assert output(m) == (None, 5)


@pytest.mark.parametrize("kw, expected", [
    ("input_shape=(20,)", (None, 20)),
    ("input_dim=20", (None, 20)),
])
def test_first_layer_declares_input(kw, expected):
    r = check(f"""
from keras import layers, Sequential
model = Sequential()
model.add(layers.Dense(5, {kw}))
model.add(layers.Dense(2))
""")
    m = model(r)
    assert m.program.inputs[0].shape == expected
    assert output(m) == (expected[0], 2)


def test_embedding_input_dim_is_the_vocabulary_not_an_input_shape():
    """Keras 3: Sequential([Embedding(input_dim=5000, output_dim=50)]) is not built -- input_dim is Embedding's own
    argument, not the base-layer kwarg -- so the model input comes from the data (128, 75), not (None, 5000)."""
    r = check("""
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, TimeDistributed, Dense
X = np.random.randint(0, 5000, size=(128, 75))
model = Sequential()
model.add(Embedding(input_dim=5000, output_dim=50))
model.add(LSTM(100, return_sequences=True))
model.add(TimeDistributed(Dense(17, activation="softmax")))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(X, np.random.randint(0, 17, size=(128, 75)))
""")
    assert not errors(r)
    assert output(model(r))[1:] == (75, 17)


def test_batch_input_shape_states_the_input_but_keras3_rejects_it():
    r = check("""
from keras import layers, Sequential
model = Sequential()
model.add(layers.Dense(5, batch_input_shape=(8, 20)))
""")
    assert model(r).program.inputs[0].shape == (8, 20)
    assert [(d.code, d.line) for d in errors(r)] == [("SHP107", 4)]


def test_only_the_first_layers_input_shape_counts():
    r = check("""
from keras import layers, Sequential
model = Sequential([layers.Dense(5, input_shape=(20,)), layers.Dense(2, input_shape=(99,))])
""")
    assert output(model(r)) == (None, 2)
    assert not errors(r)


def test_build_gives_input():
    r = check("""
from keras import layers, Sequential
model = Sequential([layers.Dense(4), layers.Dense(2)])
model.build((None, 20))
""")
    m = model(r)
    assert m.program.inputs[0].shape == (None, 20)
    assert output(m) == (None, 2)


def test_builder_function_constants_and_loops():
    r = check("""
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 10
img_size = (64, 64)
hidden = [64, 32]

def build_model(n, channels=3):
    model = keras.Sequential()
    model.add(keras.Input(shape=(*img_size, channels)))
    model.add(layers.Conv2D(16 * 2, 3))
    model.add(layers.Flatten())
    for units in hidden:
        model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dense(n))
    return model

clf = build_model(num_classes)
""")
    m = model(r)
    assert m.name == "clf"
    assert table(m) == [("Conv2D", (None, 62, 62, 32)), ("Flatten", (None, 62 * 62 * 32)),
                        ("Dense", (None, 64)), ("Dense", (None, 32)), ("Dense", (None, 10))]


def test_builder_called_twice_gives_two_models():
    r = check("""
from keras import layers, Sequential, Input
def build(n):
    return Sequential([Input((4,)), layers.Dense(n)])
a = build(3)
b = build(5)
""")
    assert output(model(r, "a")) == (None, 3)
    assert output(model(r, "b")) == (None, 5)


def test_layers_list_built_in_comprehension():
    r = check("""
from keras import layers, Sequential, Input
model = Sequential([Input((8,))] + [layers.Dense(u) for u in (16, 8, 4)])
""")
    assert [s for _, s in table(model(r))] == [(None, 16), (None, 8), (None, 4)]


@pytest.mark.parametrize("call, shape", [
    ("model(np.zeros((1, 28, 28, 1)))", (1, 28, 28, 1)),
    ("model.predict(np.ones((2, 28, 28, 1)))", (2, 28, 28, 1)),
    ("model.predict(x=np.empty((3, 28, 28, 1)))", (3, 28, 28, 1)),
    ("model.fit(np.random.rand(16, 28, 28, 1), y, epochs=1)", (16, 28, 28, 1)),
    ("model.fit(x=np.random.random((16, 28, 28, 1)), y=y)", (16, 28, 28, 1)),
    ("model.evaluate(np.random.normal(size=(4, 28, 28, 1)), y)", (4, 28, 28, 1)),
    ("model(tf.random.normal((5, 28, 28, 1)))", (5, 28, 28, 1)),
    ("model(tf.random.uniform(shape=(5, 28, 28, 1)))", (5, 28, 28, 1)),
    ("model(tf.zeros((5, 28, 28, 1)))", (5, 28, 28, 1)),
    ("model.predict(np.array([[[[0.0]] * 28] * 28]))", (1, 28, 28, 1)),
])
def test_lazily_built_model_takes_input_from_first_call(call, shape):
    r = check(f"""
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers
y = None
model = tf.keras.Sequential([layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])
{call}
""")
    m = model(r)
    assert m.program.inputs[0].shape == shape
    assert output(m) == (shape[0], 10)
    assert "SHP003" not in codes(r)


def test_unknown_input_is_info_never_error():
    r = check("""
import keras
from keras import layers
model = keras.Sequential([layers.Conv2D(8, 3), layers.Dense(10)])
model.fit(load_data(), epochs=3)
""")
    assert codes(r) == ["SHP003"]
    assert not errors(r)


def test_unresolvable_stated_input_is_not_unknown_input_error():
    r = check("""
import keras
from keras import layers
model = keras.Sequential([layers.Dense(10, input_shape=get_shape())])
""")
    assert not errors(r)


def test_seed_examples_give_output_and_dense_line():
    r = check("""
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Dense(10, activation='softmax')
])

input_tensor = tf.random.normal(shape=(1, 28, 28, 1))
output = model(input_tensor)
""")
    m = model(r)
    last = m.program.ops[-1]
    assert last.layer.kind == "Dense" and last.layer.origin.span.line == 10
    assert last.output.shape == (None, 5, 5, 10)
    assert not errors(r)
    r = check("""
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.LSTM(128),
    layers.Dense(10, activation='softmax')
])

input_tensor = tf.random.normal(shape=(1, 10, 50))
output = model(input_tensor)
""")
    assert output(model(r)) == (1, 10)
    assert not errors(r)


# -- uncertain models -----------------------------------------------------------------------------------------
def test_conditional_add_with_unknown_condition_reports_no_error():
    r = check("""
import sys
from keras import layers, Sequential, Input
model = Sequential([Input((28, 28, 1))])
if len(sys.argv) > 1:
    model.add(layers.Flatten())
model.add(layers.Conv2D(8, 3))
model.add(layers.Dense(10))
""")
    assert model(r).uncertain
    assert not errors(r)


def test_conditional_add_with_known_condition_is_followed():
    r = check("""
from keras import layers, Sequential, Input
USE_FLATTEN = True
model = Sequential([Input((28, 28, 1))])
if USE_FLATTEN:
    model.add(layers.Flatten())
model.add(layers.Conv2D(8, 3))
""")
    assert not model(r).uncertain
    assert [d.line for d in errors(r)] == [7]


def test_loop_over_unknown_iterable_makes_model_uncertain():
    r = check("""
from keras import layers, Sequential, Input
model = Sequential([Input((10,))])
for units in config["units"]:
    model.add(layers.Conv1D(units, 3))
""")
    assert not errors(r)


def test_functional_layer_in_unknown_branch_reports_no_error():
    r = check("""
import keras, random
from keras import layers
inp = keras.Input((10,))
x = inp
if random.random() > 0.5:
    x = layers.Conv2D(3, 3)(x)
out = layers.Dense(2)(x)
m = keras.Model(inp, out)
""")
    assert not errors(r)


# -- functional models ----------------------------------------------------------------------------------------
def test_functional_chain_multi_input_output():
    r = check("""
import keras
from keras import layers
img = keras.Input(shape=(32, 32, 3), name="img")
meta = keras.Input(shape=(5,), name="meta")
x = layers.Conv2D(16, 3, activation="relu")(img)
x = layers.GlobalAveragePooling2D()(x)
x = layers.concatenate([x, meta])
x = layers.Dense(32)(x)
cls = layers.Dense(10, name="cls")(x)
reg = layers.Dense(1, name="reg")(x)
model = keras.Model(inputs=[img, meta], outputs=[cls, reg])
""")
    m = model(r, "model")
    assert [k for k, _ in table(m)] == ["Conv2D", "GlobalAveragePooling2D", "Concatenate", "Dense", "Dense", "Dense"]
    assert table(m)[2] == ("Concatenate", (None, 21))
    assert [t.shape for t in m.program.output.items] == [(None, 10), (None, 1)]
    assert not errors(r)


def test_merge_helpers_and_layer_classes():
    r = check("""
import keras
from keras import layers
a = keras.Input((4,))
b = keras.Input((4,))
s = layers.add([a, b])
m = layers.Multiply()([a, b])
c = layers.Concatenate(axis=-1)([s, m])
bad = layers.concatenate([a, keras.Input((3, 2))])
""")
    assert len(errors(r)) == 1 and errors(r)[0].line == 9


def test_shared_layer_same_shape_is_fine():
    r = check("""
import keras
from keras import layers
a = keras.Input((8,))
b = keras.Input((8,))
shared = layers.Dense(4)
m = keras.Model([a, b], layers.add([shared(a), shared(b)]))
""")
    assert not errors(r)
    assert [k for k, _ in table(model(r))] == ["Dense", "Dense", "Add"]


def test_shared_layer_second_call_checked_against_first_build():
    r = check("""
import keras
from keras import layers
a = keras.Input((8,))
b = keras.Input((6,))
shared = layers.Dense(4)
xa = shared(a)
xb = shared(b)
m = keras.Model([a, b], [xa, xb])
""")
    errs = errors(r)
    assert [(d.code, d.line) for d in errs] == [("SHP150", 8)]
    assert "8" in errs[0].message and "6" in errs[0].message
    assert errs[0].secondary and errs[0].secondary[0].span.line == 7


def test_shared_conv_different_spatial_size_is_fine_but_channels_are_not():
    r = check("""
import keras
from keras import layers
conv = layers.Conv2D(4, 3)
y1 = conv(keras.Input((10, 10, 3)))
y2 = conv(keras.Input((12, 12, 3)))
y3 = conv(keras.Input((12, 12, 5)))
""")
    assert [(d.code, d.line) for d in errors(r)] == [("SHP150", 7)]


def test_lazy_sequential_called_twice_with_different_features():
    r = check("""
import numpy as np
from keras import layers, Sequential
model = Sequential([layers.Dense(4), layers.Dense(1)])
model(np.zeros((2, 8)))
model(np.zeros((2, 5)))
""")
    assert [(d.code, d.line) for d in errors(r)] == [("SHP150", 6)]


def test_sequential_used_as_layer_in_functional_model():
    r = check("""
import keras
from keras import layers
encoder = keras.Sequential([layers.Dense(16), layers.Dense(4)], name="encoder")
inp = keras.Input((12,))
h = encoder(inp)
out = layers.Dense(2)(h)
model = keras.Model(inp, out, name="full")
""")
    full = model(r, "full")
    assert table(full) == [("Dense", (None, 16)), ("Dense", (None, 4)), ("Dense", (None, 2))]
    assert output(model(r, "encoder")) == (None, 4)
    assert not errors(r)


def test_functional_model_used_as_layer_is_checked_against_its_build():
    r = check("""
import keras
from keras import layers
i = keras.Input((12,))
inner = keras.Model(i, layers.Dense(3)(i))
j = keras.Input((5,))
outer = keras.Model(j, inner(j))
k = keras.Input((12,))
ok = keras.Model(k, inner(k))
""")
    assert [(d.code, d.line) for d in errors(r)] == [("SHP151", 7)]
    assert output(model(r, "ok")) == (None, 3)


def test_nested_sequential_in_sequential():
    r = check("""
from keras import layers, Sequential, Input
block = Sequential([layers.Dense(8), layers.Dense(8)])
model = Sequential([Input((4,)), block, layers.Dense(1)])
""")
    assert [s for _, s in table(model(r, "model"))] == [(None, 8), (None, 8), (None, 1)]


def test_transfer_style_model_input_output():
    r = check("""
import keras
from keras import layers
base = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten()], name="base")
x = layers.Dense(10)(base.output)
model = keras.Model(base.input, x, name="head")
""")
    assert output(model(r, "head")) == (None, 10)
    assert not errors(r)


def test_return_state_unpacking():
    r = check("""
import keras
from keras import layers
inp = keras.Input((10, 3))
seq, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(inp)
out = layers.Dense(1)(h)
m = keras.Model(inp, out)
""")
    assert output(model(r)) == (None, 1)


def test_attention_with_keyword_inputs():
    r = check("""
import keras
from keras import layers
q = keras.Input((5, 16))
v = keras.Input((7, 16))
o = layers.MultiHeadAttention(num_heads=2, key_dim=8)(query=q, value=v)
m = keras.Model([q, v], o)
""")
    assert output(model(r)) == (None, 5, 16)
    assert not errors(r)


def test_eager_layer_call_on_data():
    r = check("""
import numpy as np
from keras import layers
y = layers.Dense(3)(np.ones((2, 4)))
z = layers.Dense(3)(y)
""")
    assert not errors(r)


def test_no_crash_on_odd_code():
    r = check("""
import keras
from keras import layers
model = keras.Sequential(*args)
model.add()
model.add(None)
m2 = keras.Model()
m3 = keras.Model(inputs=None, outputs=[])
x = keras.Input(shape="abc")
layers.Dense(3)(x)
model.build()
model.pop()
keras.Sequential([1, 2, 3]).predict(np.zeros((2, 2)))
""")
    assert not errors(r)


# -- subclassed models, custom layers, applications, --input-shape --------------------------------------------
def test_subclassed_model_traces_call_with_data_shape():
    r = check("""
import keras
from keras import layers

class MLP(keras.Model):
    def __init__(self, hidden=64, classes=10, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [layers.Dense(hidden, activation="relu") for _ in range(2)]
        self.drop = layers.Dropout(0.2)
        self.out = layers.Dense(classes)

    def call(self, inputs, training=False):
        x = inputs
        for block in self.blocks:
            x = block(x)
        x = self.drop(x, training=training)
        return self.out(x)

model = MLP(classes=5)
model(keras.ops.zeros((4, 784)))
""")
    m = model(r, "model")
    assert table(m) == [("Dense", (4, 64)), ("Dense", (4, 64)), ("Dropout", (4, 64)), ("Dense", (4, 5))]
    assert not errors(r)


def test_subclassed_model_error_in_call_is_found():
    r = check("""
import numpy as np
import keras
from keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3)
        self.fc = layers.Dense(10)

    def call(self, x):
        return self.fc(self.conv(x))

net = Net()
net.build((None, 20))
""")
    # Keras raises where the layer is called (line 13); the line that built it (9) is named too (issue #10)
    errs = errors(r)
    assert [d.line for d in errs] == [13]
    assert [lab.span.line for lab in errs[0].secondary] == [9]


def test_subclassed_model_branch_on_training_is_uncertain():
    r = check("""
import numpy as np
import keras
from keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.fc = layers.Dense(10)
        self.conv = layers.Conv2D(3, 3)

    def call(self, x, training=None):
        if training:
            x = self.conv(x)
        return self.fc(x)

net = Net()
net.fit(np.zeros((8, 4)), np.zeros((8, 10)))
""")
    assert not errors(r)
    assert output(model(r)) == (8, 10)


def test_subclassed_model_without_input_is_info():
    r = check("""
import keras
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.fc = keras.layers.Dense(10)
    def call(self, x):
        return self.fc(x)
net = Net()
""")
    assert "SHP003" in codes(r)
    assert not errors(r)


def test_custom_layer_in_functional_model_is_traced():
    r = check("""
import keras
from keras import layers

class Block(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.a = layers.Dense(units)
        self.b = layers.Dense(units)
    def call(self, x):
        return self.b(self.a(x))

inp = keras.Input((12,))
out = layers.Dense(1)(Block(6)(inp))
model = keras.Model(inp, out)
""")
    assert table(model(r)) == [("Dense", (None, 6)), ("Dense", (None, 6)), ("Dense", (None, 1))]


def test_application_model_is_unknown_not_error():
    r = check("""
from tensorflow import keras
base = keras.applications.NASNetLarge(include_top=False, input_shape=(331, 331, 3))
inputs = keras.Input(shape=(331, 331, 3))
x = base(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(3)(x))
""")
    m = model(r, "model")
    assert [k for k, _ in table(m)] == ["NASNetLarge", "GlobalAveragePooling2D", "Dense"]
    assert not errors(r)
    assert "SHP001" in codes(r)


def test_application_model_with_a_rule_gives_its_features():
    """rules/keras/applications.py: ResNet50(include_top=False) on 224x224 gives (None, 7, 7, 2048)."""
    r = check("""
from tensorflow import keras
base = keras.applications.ResNet50(include_top=False, input_shape=(224, 224, 3))
inputs = keras.Input(shape=(224, 224, 3))
x = base(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, keras.layers.Dense(3)(x))
""")
    m = model(r, "model")
    assert table(m) == [("ResNet50", (None, 7, 7, 2048)), ("GlobalAveragePooling2D", (None, 2048)),
                        ("Dense", (None, 3))]
    assert not errors(r) and "SHP001" not in codes(r)


@pytest.mark.parametrize("given", [(32, 20), (20,)])
def test_input_shape_option_feeds_models_without_input(given):
    from shapelint.frontends.source.check import check_source
    r = check_source("m.py", "import keras\nmodel = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])\n",
                     input_shape=given)
    assert output(model(r))[1:] == (2,)
    assert "SHP003" not in codes(r)


def test_star_imports():
    r = check("""
from tensorflow.keras.layers import *
from tensorflow.keras.models import *
model = Sequential([Input((8,)), Dense(4), Dense(2)])
""")
    assert table(model(r)) == [("Dense", (None, 4)), ("Dense", (None, 2))]


def test_unfollowed_values_keep_the_functional_model():
    r = check("""
import keras
from keras import layers
import tensorflow_hub as hub
base = hub.KerasLayer("https://tfhub.dev/x", trainable=False)
inputs = keras.Input(shape=(224, 224, 3))
x = base(inputs)
x = layers.Dense(64)(x) if USE_HIDDEN else x
out = layers.Dense(5)(layers.Dropout(0.2)(x))
model = keras.Model(inputs, out)
""")
    assert [k for k, _ in table(model(r, "model"))] == ["Dropout", "Dense"]
    assert not errors(r)


def test_custom_layer_in_sequential_and_sequential_inside_subclassed_model():
    r = check("""
import numpy as np
import keras
from keras import layers

class Twice(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.a = layers.Dense(units)
    def call(self, x):
        return self.a(x)

seq = keras.Sequential([keras.Input((4,)), Twice(8), layers.Dense(2)], name="seq")

class Wrapper(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = keras.Sequential([layers.Dense(16), layers.Dense(3)])
        self.head = layers.Dense(1)
    def call(self, x):
        return self.head(self.body(x))

w = Wrapper()
w.predict(np.zeros((5, 7)))
""")
    assert table(model(r, "seq")) == [("Dense", (None, 8)), ("Dense", (None, 2))]
    assert table(model(r, "w")) == [("Dense", (5, 16)), ("Dense", (5, 3)), ("Dense", (5, 1))]
    assert not errors(r)


def test_model_with_declared_input_used_as_layer_on_other_shape():
    r = check("""
import keras
from keras import layers
features = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.GlobalAveragePooling2D()])
inp = keras.Input((32, 32, 1))
out = layers.Dense(10)(features(inp))
model = keras.Model(inp, out, name="m")
i = keras.Input((8,))
f = keras.Model(i, layers.Dense(2)(i), name="f")
j = keras.Input((9,))
g = keras.Model(j, f(j), name="g")
k = keras.Input((8, 1))
h = keras.Model(k, f(k), name="h")
ok = keras.Model(keras.Input((28, 28, 1)), features(keras.Input((28, 28, 1))))
""")
    assert [(d.code, d.line) for d in errors(r)] == [("SHP151", 6), ("SHP151", 11)]
    assert output(model(r, "m")) == (None, 10)


def test_sequential_with_input_is_built_before_use_as_layer():
    r = check("""
import keras
from keras import layers
inner = keras.Sequential([keras.Input((6,)), layers.Dense(3)], name="inner")
x = keras.Input((6,))
y = inner(x)
inner.add(layers.Dense(2))
""")
    assert not errors(r)


def test_model_shape_attributes_are_followed():
    r = check("""
import keras
from keras import layers
base = keras.Sequential([keras.Input((8,)), layers.Dense(6)])
head = keras.Sequential([keras.Input(base.output_shape[1:]), layers.Dense(2)], name="head")
i = keras.Input((3,))
f = keras.Model(i, layers.Dense(5)(i))
g = keras.Sequential([keras.Input(f.output_shape[1:]), layers.Dense(1)], name="g")
""")
    assert model(r, "head").program.inputs[0].shape == (None, 6)
    assert model(r, "g").program.inputs[0].shape == (None, 5)


LAMBDA_CASES = [  # (Lambda call on x0 / x1, input shapes without batch)
    ("layers.Lambda(lambda t: t / 255.0)(x0)", [(28, 28)]),
    ("layers.Lambda(lambda t: keras.ops.expand_dims(t, -1))(x0)", [(28, 28)]),
    ("layers.Lambda(lambda ab: ab[0] + ab[1])([x0, x1])", [(6, 4), (6, 1)]),
    ("layers.Lambda(lambda ab: ab[0] + ab[1])([x0, x1])", [(6, 4), (5,)]),
    ("layers.Lambda(scale, arguments={'k': 3.0})(x0)", [(7,)]),
    ("layers.Lambda(lambda t: keras.ops.reshape(t, (-1, 4, 2)))(x0)", [(8,)]),
]


@pytest.mark.parametrize("expr, shapes", LAMBDA_CASES)
def test_lambda_function_is_traced_like_keras(expr, shapes):
    """Keras 3 runs a Lambda's function on the symbolic inputs: so does shapelint, when it can follow it."""
    keras = pytest.importorskip("keras")
    from keras import layers
    ns = {"keras": keras, "layers": layers, "scale": lambda t, k: t * k}
    for i, s in enumerate(shapes):
        ns[f"x{i}"] = keras.Input(shape=s)
    try:
        want = tuple(eval(expr, ns).shape)
    except Exception:
        want = "error"
    src = "import keras\nfrom keras import layers\n\ndef scale(t, k):\n    return t * k\n\n"
    src += "".join(f"x{i} = keras.Input(shape={s!r})\n" for i, s in enumerate(shapes))
    src += f"y = {expr}\nmodel = keras.Model([{', '.join(f'x{i}' for i in range(len(shapes)))}], y)\n"
    r = check(src)
    if want == "error":
        assert errors(r)
    else:
        assert not errors(r)
        assert output(model(r, "model")) == want
