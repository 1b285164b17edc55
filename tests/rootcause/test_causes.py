"""Root causes on small scripts: where the primary label points (the line the mistake was written on), which
explanation won, and the fix an expert would make -- never the one that only makes it run."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source
from oracle import run
from shapelint.fixing import fix_source


def _check(src: str):
    src = textwrap.dedent(src).lstrip()
    return src, check_source("case.py", src)


def _one(result, severity=("error", "warning")):
    found = [d for d in result.diagnostics if d.severity in severity]
    assert len(found) == 1, [(d.code, d.message) for d in found]
    return found[0]


def _fixed(src: str, result) -> str:
    return fix_source("case.py", src, result.diagnostics, ("safe", "unsafe")).source


def _line_of(src: str, text: str) -> int:
    return next(i for i, line in enumerate(src.splitlines(), 1) if text in line)


TORCH_CNN = """
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
        self.fc = nn.Linear(8 * 16 * 16, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv(x)), 2)
        x = {flatten}
        return self.fc(x)


model = SmallCNN()
print(model(torch.randn(6, 3, 32, 32)).shape)
"""


@pytest.mark.parametrize("flatten, fixed", [("torch.flatten(x)", "torch.flatten(x, 1)"),
                                            ("x.flatten()", "x.flatten(1)"),
                                            ("x.view(-1)", "x.view(x.size(0), -1)"),
                                            ("x.reshape(-1)", "x.reshape(x.size(0), -1)")])
def test_a_flatten_that_swallows_the_batch_is_the_root_not_the_linear(flatten, fixed):
    src, r = _check(TORCH_CNN.format(flatten=flatten))
    d = _one(r)
    assert d.cause == "batch-merged"
    assert d.line == _line_of(src, "x = " + flatten)
    out = _fixed(src, r)
    assert f"x = {fixed}" in out and "nn.Linear(8 * 16 * 16, 10)" in out


def test_a_linear_resized_to_the_whole_batch_breaks_the_contract():
    """`nn.Linear(6 * 2048)` runs for exactly one batch size: the contract's second batch size rejects it."""
    from shapelint.rootcause import engine
    src = textwrap.dedent(TORCH_CNN.format(flatten="torch.flatten(x)")).lstrip()
    seen = {}
    real = engine.verify

    def spy(ctx, d, edits, before, **kw):
        v = real(ctx, d, edits, before, **kw)
        seen[tuple(e.text for e in edits)] = v
        return v
    engine.verify = spy
    try:
        check_source("case.py", src)
    finally:
        engine.verify = real
    own = seen.get(("12288",))
    assert own is not None and not own.ok and "batch size" in own.reason


def test_a_single_image_without_batch_axis_is_fixed_at_the_call():
    src, r = _check("""
        import torch
        import torch.nn as nn

        class DigitNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(1, 4, kernel_size=3)
                self.fc = nn.Linear(4 * 26 * 26, 10)

            def forward(self, x):
                x = torch.relu(self.conv(x))
                x = x.view(x.size(0), -1)
                return self.fc(x)

        net = DigitNet()
        image = torch.rand(1, 28, 28)
        logits = net(image)
    """)
    d = _one(r)
    assert d.cause == "missing-batch-axis" and d.line == _line_of(src, "logits = net(image)")
    out = _fixed(src, r)
    assert "net(image.unsqueeze(0))" in out and "nn.Linear(4 * 26 * 26, 10)" in out


def test_an_argument_that_sizes_both_sides_is_not_edited():
    src, r = _check("""
        import torch
        import torch.nn as nn

        class Tagger(nn.Module):
            def __init__(self, vocab_size, hidden_size, num_tags):
                super().__init__()
                self.embed = nn.Embedding(vocab_size, 32)
                self.lstm = nn.LSTM(32, hidden_size, batch_first=True, bidirectional=True)
                self.head = nn.Linear(hidden_size, num_tags)

            def forward(self, tokens):
                out, _ = self.lstm(self.embed(tokens))
                return self.head(out)

        model = Tagger(vocab_size=100, hidden_size=64, num_tags=5)
        print(model(torch.randint(0, 100, (8, 20))).shape)
    """)
    d = _one(r)
    assert d.cause == "shared-argument" and d.line == _line_of(src, "self.head = nn.Linear")
    out = _fixed(src, r)
    assert "nn.Linear(hidden_size * 2, num_tags)" in out and "hidden_size=64" in out
    assert _fixed(out, check_source("case.py", out)) == out  # a second --fix changes nothing


def test_a_default_argument_upstream_is_passed_where_the_object_is_made():
    src, r = _check("""
        import torch
        import torch.nn as nn

        class PatchEmbed(nn.Module):
            def __init__(self, img_size=224, patch_size=16, dim=64):
                super().__init__()
                self.proj = nn.Conv2d(3, dim, kernel_size=patch_size, stride=patch_size)
                num_patches = (img_size // patch_size) ** 2
                self.pos = nn.Parameter(torch.zeros(1, num_patches, dim))

            def forward(self, x):
                return self.proj(x).flatten(2).transpose(1, 2) + self.pos

        embed = PatchEmbed(patch_size=8)
        print(embed(torch.randn(2, 3, 64, 64)).shape)
    """)
    d = _one(r)
    assert d.cause == "default-argument" and d.line == _line_of(src, "def __init__(self, img_size=224")
    out = _fixed(src, r)
    assert "PatchEmbed(patch_size=8, img_size=64)" in out and "torch.zeros(1, num_patches, dim)" in out


def test_a_literal_passed_for_a_class_parameter_is_edited_where_it_is_written():
    src, r = _check("""
        import torch
        import torch.nn as nn

        class SEBlock(nn.Module):
            def __init__(self, channels, r=4):
                super().__init__()
                self.fc1 = nn.Linear(channels, channels // r)
                self.fc2 = nn.Linear(channels // r, channels)

            def forward(self, x):
                s = x.mean(dim=(2, 3))
                return torch.sigmoid(self.fc2(torch.relu(self.fc1(s))))

        block = SEBlock(32)
        print(block(torch.randn(2, 64, 8, 8)).shape)
    """)
    d = _one(r)
    assert d.line == _line_of(src, "block = SEBlock(32)")
    assert "SEBlock(64)" in _fixed(src, r)


def test_layernorm_over_channels_of_a_feature_map_permutes_around_the_norm():
    src, r = _check("""
        import torch
        import torch.nn as nn

        class ConvBlock(nn.Module):
            def __init__(self, channels):
                super().__init__()
                self.conv = nn.Conv2d(channels, channels, kernel_size=3, padding=1)
                self.norm = nn.LayerNorm(channels)

            def forward(self, x):
                return torch.relu(self.norm(self.conv(x)))

        block = ConvBlock(48)
        print(block(torch.randn(2, 48, 14, 14)).shape)
    """)
    d = _one(r)
    assert d.cause == "layout"
    out = _fixed(src, r)
    assert "self.norm(self.conv(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2)" in out
    assert "ConvBlock(48)" in out and "nn.LayerNorm(channels)" in out


KERAS_IMAGES = """
import numpy as np
import keras
from keras import layers

images = np.random.rand(40, 3, 16, 16).astype("float32")
labels = np.random.randint(0, 10, size=(40,))
model = keras.Sequential([
    keras.Input(shape=(16, 16, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, verbose=0)
"""


def test_channels_first_data_into_a_channels_last_model_changes_the_data():
    src, r = _check(KERAS_IMAGES)
    d = _one(r)
    assert d.cause == "data-layout" and d.line == _line_of(src, "images = np.random.rand")
    out = _fixed(src, r)
    assert ".transpose(0, 2, 3, 1)" in out and "keras.Input(shape=(16, 16, 3))" in out


def test_a_label_column_left_in_the_features_is_sliced_out():
    src, r = _check("""
        import numpy as np
        import keras
        from keras import layers

        data = np.random.rand(120, 6).astype("float32")
        X = data[:, :6]
        y = data[:, 5]
        model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y, epochs=1, verbose=0)
    """)
    d = _one(r)
    assert d.cause == "label-column" and d.line == _line_of(src, "X = data")
    out = _fixed(src, r)
    assert "X = data[:, :5]" in out and "keras.Input(shape=(5,))" in out


def test_ids_numbered_from_one_need_one_more_embedding_row():
    src, r = _check("""
        import torch
        import torch.nn as nn

        vocab = {"a": 1, "b": 2, "c": 3, "d": 4}
        model = nn.Sequential(nn.Embedding(len(vocab), 8), nn.Flatten(), nn.Linear(8 * 5, 2))
        tokens = torch.randint(1, len(vocab) + 1, (3, 5))
        print(model(tokens).shape)
    """)
    d = _one(r)
    assert d.code == "SHP309" and d.line == _line_of(src, "nn.Embedding(len(vocab)")
    assert "nn.Embedding(len(vocab) + 1, 8)" in _fixed(src, r)


def test_class_ids_as_a_column_are_squeezed_at_the_loss_not_the_model():
    src, r = _check("""
        import torch
        import torch.nn as nn

        model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 4))
        loss_fn = nn.CrossEntropyLoss()
        x = torch.randn(16, 12)
        y = torch.randint(0, 4, (16, 1))
        loss = loss_fn(model(x), y)
    """)
    d = _one(r)
    assert d.cause == "target-shape"
    out = _fixed(src, r)
    assert "loss_fn(model(x), y.squeeze(1))" in out and "nn.Linear(32, 4)" in out


def test_a_plain_wrong_in_features_stays_a_safe_fix():
    src, r = _check("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(1, 6, 5)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 120)

            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv1(x)), 2)
                x = F.max_pool2d(F.relu(self.conv2(x)), 2)
                return self.fc1(torch.flatten(x, 1))

        net = Net()
        print(net(torch.randn(8, 1, 28, 28)).shape)
    """)
    d = _one(r)
    assert d.cause == "layer-number" and d.fix.applicability == "safe"
    # the received size written the way the argument was: the same product, with the factors the data gives
    assert "nn.Linear(16 * 4 * 4, 120)" in fix_source("case.py", src, r.diagnostics, ("safe",)).source


KERAS_PADDING_MASK = """
import numpy as np
import keras
from keras import layers, ops

tokens = keras.Input(shape=(40,), dtype="int32")
pad_mask = ops.not_equal(tokens, 0)
x = layers.Embedding(1000, 32)(tokens)
h = layers.MultiHeadAttention(num_heads=4, key_dim=8)(x, x, attention_mask=pad_mask)
outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(h))
model = keras.Model(tokens, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.randint(1, 1000, (64, 40)), np.random.randint(0, 2, (64, 1)), batch_size=16, epochs=1)
"""


def test_a_keras_padding_mask_gets_its_query_axis_where_it_is_made():
    src, r = _check(KERAS_PADDING_MASK)
    d = _one(r)
    assert d.line == _line_of(src, "pad_mask = ops.not_equal")
    fixed = _fixed(src, r)
    assert "pad_mask = ops.not_equal(tokens, 0)[:, None, :]" in fixed
    assert "attention_mask=pad_mask)" in fixed  # the call is not touched
    assert not [x for x in check_source("case.py", fixed).diagnostics if x.severity == "error"]


TORCH_SDPA_MASK = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return out.transpose(1, 2).reshape(b, s, d)


ids = torch.randint(1, 100, (4, 20))
keep = torch.ones(4, 20, dtype=torch.bool)
attn = SelfAttention()
h = attn(torch.randn(4, 20, 32), keep)
"""


def test_a_torch_padding_mask_gets_head_and_query_axes_where_it_is_made():
    src, r = _check(TORCH_SDPA_MASK)
    d = _one(r)
    assert d.line == _line_of(src, "keep = torch.ones")
    fixed = _fixed(src, r)
    assert "keep = torch.ones(4, 20, dtype=torch.bool)[:, None, None, :]" in fixed
    assert not [x for x in check_source("case.py", fixed).diagnostics if x.severity == "error"]


def test_comparisons_give_boolean_masks():
    src, r = _check("""
        import torch
        import torch.nn.functional as F
        idx = torch.randint(0, 5, (2, 6))
        q = torch.randn(2, 3, 6, 8)
        for mask in (idx.eq(0), idx != 0, torch.lt(idx, 3), idx.ge(1) & idx.le(3)):
            out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask[:, None, None, :])
        """)
    assert not [d for d in r.diagnostics if d.severity in ("error", "warning")], r.diagnostics


def test_a_fix_with_no_time_left_to_verify_it_is_shown_and_not_applied(monkeypatch):
    from shapelint.rootcause import engine
    monkeypatch.setattr(engine, "MAX_VERIFY_SECONDS", 0.0)
    src, r = _check(TORCH_CNN.format(flatten="torch.flatten(x)"))
    d = _one(r)
    assert d.fix is not None and d.fix.applicability == "display-only" and not d.fix.edits
    assert "too large, to verify" in d.fix.title
    assert _fixed(src, r) == src


def test_a_stacked_lstm_is_diagnosed_at_the_layer_that_left_off_return_sequences():
    src, r = _check("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(20, 4))
        x = layers.LSTM(64)(inputs)
        x = layers.Dropout(0.2)(x)
        x = layers.LSTM(32)(x)
        model = keras.Model(inputs, layers.Dense(1)(x))
        """)
    d = _one(r)
    assert d.line == _line_of(src, "layers.LSTM(64)")
    assert any(l.span.line == _line_of(src, "layers.LSTM(32)") for l in d.secondary)
    assert "x = layers.LSTM(64, return_sequences=True)(inputs)" in _fixed(src, r)


KERAS_BATCH_DECLARED = """
import numpy as np
import keras
from keras import layers

BATCH_SIZE = 32
X = np.random.rand(640, 20).astype("float32")
y = np.random.randint(0, 2, size=(640, 1)).astype("float32")
inputs = keras.Input(shape=(BATCH_SIZE, 20))
h = layers.Dense(16, activation="relu")(inputs)
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, batch_size=BATCH_SIZE, epochs=1)
"""


def test_a_batch_size_in_the_input_declaration_is_the_root_of_every_error_it_causes():
    src, r = _check(KERAS_BATCH_DECLARED)
    errors = [d for d in r.diagnostics if d.severity == "error"]
    assert len(errors) == 2 and {d.line for d in errors} == {_line_of(src, "keras.Input(")}
    fixed = _fixed(src, r)
    assert "inputs = keras.Input(shape=(20,))" in fixed and "batch_size=BATCH_SIZE" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    assert _fixed(fixed, check_source("case.py", fixed)) == fixed


def test_one_sample_fed_to_a_model_is_not_a_batch_size_in_the_declaration():
    src, r = _check("""
        import numpy as np
        import keras
        x_test = np.random.rand(20, 28, 28).astype("float32")
        model = keras.Sequential([keras.layers.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
        pred = model.predict(x_test[5])
        """)
    d = _one(r)
    assert d.cause != "batch-declared" and "keras.layers.Input(shape=(28, 28))" in _fixed(src, r)


def test_two_class_one_hot_labels_for_one_sigmoid_unit_are_unwrapped_not_the_head_widened():
    src, r = _check("""
        import numpy as np
        import keras
        from keras import layers
        x = np.random.rand(100, 20)
        y = keras.utils.to_categorical(np.random.randint(0, 2, size=(100,)), 2)
        model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(8), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=1)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "to_categorical")
    fixed = _fixed(src, r)
    assert "y = np.random.randint(0, 2, size=(100,))" in fixed and 'layers.Dense(1, activation="sigmoid")' in fixed


@pytest.mark.parametrize("low, head_fixed", [(0, True), (1, False)])
def test_one_hot_labels_of_more_classes_than_the_head_widen_it_when_ids_count_from_zero(low, head_fixed):
    src, r = _check(f"""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense, Input
        from keras.utils import to_categorical
        X = np.random.rand(300, 8)
        y = to_categorical(np.random.randint({low}, 4, size=(300,)))
        model = Sequential([Input(shape=(8,)), Dense(16, activation="relu"), Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(X, y, epochs=1)
        """)
    d = _one(r)
    fixed = _fixed(src, r)
    assert ('Dense(4, activation="softmax")' in fixed) == head_fixed
    if head_fixed:
        assert d.line == _line_of(src, "Dense(3,")


def test_a_failure_the_other_batch_size_causes_without_the_fix_is_not_held_against_it():
    """The contract re-checks with another batch size; a training loop written for 32 rows breaks with 35 rows
    whatever the fix does, so the one-sample call still gets its batch axis."""
    src, r = _check("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 14 * 14, 10))
        train_x = torch.rand(32, 1, 28, 28)
        train_y = torch.randint(0, 10, (32,))
        loss_fn = nn.CrossEntropyLoss()
        for i in range(0, 32, 8):
            loss = loss_fn(model(train_x[i:i + 8]), train_y[i:i + 8])
        image = torch.rand(5, 1, 28, 28)[0]
        pred = model(image)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "image = torch.rand")  # one sample taken out of its batch, used once
    assert "image = torch.rand(5, 1, 28, 28)[0:1]" in _fixed(src, r)


def test_a_sample_used_elsewhere_keeps_its_shape_and_gets_the_batch_axis_where_it_is_fed():
    src, r = _check("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Flatten(), nn.Linear(4 * 28 * 28, 10))
        images = torch.rand(5, 1, 28, 28)
        image = images[2]
        print(image.shape)
        pred = model(image)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "image = images[2]")
    fixed = _fixed(src, r)
    assert "pred = model(image.unsqueeze(0))" in fixed and "image = images[2]" in fixed


def test_validation_data_left_out_of_the_training_reshape_is_diagnosed_at_the_reshape():
    src, r = _check("""
        import numpy as np
        import keras
        from keras import layers
        x_train, x_val = np.random.rand(256, 784), np.random.rand(64, 784)
        y_train = keras.utils.to_categorical(np.random.randint(0, 10, 256), 10)
        y_val = keras.utils.to_categorical(np.random.randint(0, 10, 64), 10)
        x_train = x_train.reshape(-1, 28, 28, 1)
        model = keras.Sequential([layers.Input((28, 28, 1)), layers.Flatten(), layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=1)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "x_train = x_train.reshape")
    fixed = _fixed(src, r)  # the same reshape beside the training data's, not patched into the fit call
    assert "x_train = x_train.reshape(-1, 28, 28, 1)\nx_val = x_val.reshape(-1, 28, 28, 1)\n" in fixed
    assert "validation_data=(x_val, y_val)" in fixed
    assert _fixed(fixed, check_source("case.py", fixed)) == fixed


def test_class_ids_counted_from_one_are_shifted_not_the_head_widened():
    src, r = _check("""
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        ratings = np.random.default_rng(1).integers(1, 6, size=100)
        y = torch.from_numpy(ratings).long()
        X = torch.randn(100, 12)
        net = nn.Linear(12, 5)
        for start in range(0, 100, 20):
            loss = F.cross_entropy(net(X[start:start + 20]), y[start:start + 20])
        """)
    d = _one(r)
    assert d.line == _line_of(src, "y = torch.from_numpy")
    fixed = _fixed(src, r)
    # shifted where the ids are made, so every later use agrees; the head keeps its 5 scores
    assert "y = torch.from_numpy(ratings).long() - 1" in fixed and "nn.Linear(12, 5)" in fixed


def test_an_input_declared_with_the_datas_whole_shape_gets_its_per_sample_shape():
    src, r = _check("""
        import numpy as np
        import keras
        from keras import layers
        x_train = np.random.rand(200, 28, 28, 1).astype("float32")
        y_train = np.random.randint(0, 10, size=(200,))
        model = keras.Sequential([keras.Input(shape=x_train.shape), layers.Conv2D(8, 3), layers.Flatten(),
                                  layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, epochs=1)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "keras.Input(shape=x_train.shape)")
    assert "keras.Input(shape=x_train.shape[1:])" in _fixed(src, r)


@pytest.mark.parametrize("setting, passed", [('CFG = {"loss": "categorical_crossentropy", "epochs": 1}', 'CFG["loss"]'),
                                             ('LOSS = "categorical_crossentropy"', "LOSS")])
def test_a_loss_chosen_in_a_config_is_fixed_where_it_is_written(setting, passed):
    src, r = _check(f"""
        import numpy as np
        import keras
        from keras import layers
        {setting}
        x = np.random.rand(64, 8)
        y = np.random.randint(0, 3, size=(64,))
        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss={passed})
        model.fit(x, y, epochs=1)
        """)
    d = _one(r)
    assert d.line == _line_of(src, setting.split(" =")[0] + " =")
    fixed = _fixed(src, r)
    assert '"sparse_categorical_crossentropy"' in fixed and f"loss={passed})" in fixed


def test_an_embedding_fed_to_a_conv1d_is_permuted_where_it_is_made():
    src, r = _check("""
        import torch
        import torch.nn as nn
        class TextCNN(nn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = nn.Embedding(100, 32)
                self.conv = nn.Conv1d(32, 16, 3)
            def forward(self, tokens):
                emb = self.embedding(tokens)
                return self.conv(emb).max(dim=2).values
        out = TextCNN()(torch.randint(0, 100, (8, 40)))
        """)
    d = _one(r)
    assert d.line == _line_of(src, "emb = self.embedding(tokens)")
    assert "emb = self.embedding(tokens).permute(0, 2, 1)" in _fixed(src, r)


def test_a_label_column_left_in_a_torch_feature_selection_is_never_fixed_by_widening_the_layer():
    src, r = _check("""
        import numpy as np
        import torch
        from torch import nn
        COLUMNS = ["a", "b", "c", "target"]
        table = np.random.rand(50, 4).astype(np.float32)
        X = torch.from_numpy(table[:, [COLUMNS.index(c) for c in COLUMNS]])
        y = torch.from_numpy(table[:, COLUMNS.index("target")])
        model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
        pred = model(X)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "X = torch.from_numpy(table[:, [")
    assert d.fix is None or not d.fix.edits
    assert not any("in_features" in n or "write 4" in n for n in d.notes)
    assert _fixed(src, r) == src


def test_a_causal_mask_sized_by_the_batch_axis_of_batch_first_data_reads_the_sequence_axis():
    src, r = _check("""
        import torch
        import torch.nn as nn
        class Decoder(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(50, 32)
                self.layer = nn.TransformerDecoderLayer(32, 4, 64, batch_first=True)
            def forward(self, tgt, memory):
                mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(0))
                return self.layer(self.emb(tgt), memory, tgt_mask=mask)
        out = Decoder()(torch.randint(0, 50, (16, 14)), torch.randn(16, 20, 32))
        """)
    d = _one(r)
    assert d.line == _line_of(src, "generate_square_subsequent_mask")
    assert "generate_square_subsequent_mask(tgt.size(1))" in _fixed(src, r)


def test_a_size_formula_written_apart_from_the_layer_is_the_root():
    src, r = _check("""
        import torch
        import torch.nn as nn
        class Discriminator(nn.Module):
            def __init__(self, img_size=28):
                super().__init__()
                self.model = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.Conv2d(16, 32, 3, 2, 1),
                                           nn.Conv2d(32, 64, 3, 2, 1))
                ds_size = img_size // 2 ** 3
                self.head = nn.Linear(64 * ds_size ** 2, 1)
            def forward(self, img):
                out = self.model(img)
                return self.head(out.view(out.shape[0], -1))
        y = Discriminator()(torch.rand(8, 1, 28, 28))
        """)
    d = _one(r)
    assert d.line == _line_of(src, "ds_size = img_size")
    assert "nn.Linear(64 * ds_size ** 2, 1)" in _fixed(src, r)  # a literal 256 would hide the formula's rounding


@pytest.mark.parametrize("column, fixed", [("data[:, -1:]", "data[:, -1]"), ("data[:, 10:]", "data[:, 10]"),
                                           ("data[:, 10:11]", "data[:, 10]")])
def test_class_ids_taken_as_a_one_column_slice_are_taken_as_the_column(column, fixed):
    src, r = _check(f"""
        import numpy as np
        import torch
        import torch.nn as nn
        data = np.random.rand(90, 11).astype(np.float32)
        data[:, 10] = np.random.randint(0, 3, size=90)
        x = torch.tensor(data[:, :10])
        y = torch.tensor({column}, dtype=torch.long)
        loss = nn.CrossEntropyLoss()(nn.Linear(10, 3)(x), y)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "y = torch.tensor(")
    assert f"y = torch.tensor({fixed}, dtype=torch.long)" in _fixed(src, r)


def test_a_per_sample_3d_mask_is_repeated_for_each_head_where_it_is_made():
    src, r = _check("""
        import torch
        import torch.nn as nn
        class Reader(nn.Module):
            def __init__(self):
                super().__init__()
                self.slots = nn.Parameter(torch.randn(1, 5, 32))
                self.cross = nn.MultiheadAttention(32, 4, batch_first=True)
            def forward(self, objects, mask):
                q = self.slots.expand(objects.size(0), -1, -1)
                out, _ = self.cross(q, objects, objects, attn_mask=mask)
                return out
        objects = torch.randn(6, 12, 32)
        mask = torch.rand(6, 5, 12) > 0.5
        out = Reader()(objects, mask)
        """)
    d = _one(r)
    assert d.line == _line_of(src, "mask = torch.rand")
    assert "mask = (torch.rand(6, 5, 12) > 0.5).repeat_interleave(4, dim=0)" in _fixed(src, r)
    assert "`(torch.rand(6, 5, 12) > 0.5).repeat_interleave(4, dim=0)`" in d.help


def test_the_head_count_of_a_repeated_mask_keeps_its_name():
    src, r = _check("""
        import torch
        import torch.nn as nn
        HEADS = 4
        class Block(nn.Module):
            def __init__(self, heads=HEADS):
                super().__init__()
                self.attn = nn.MultiheadAttention(32, heads, batch_first=True)
            def forward(self, x, mask):
                return self.attn(x, x, x, attn_mask=mask)[0]
        x = torch.randn(6, 12, 32)
        mask = torch.rand(6, 12, 12) > 0.5
        out = Block()(x, mask)
        """)
    assert "mask = (torch.rand(6, 12, 12) > 0.5).repeat_interleave(HEADS, dim=0)" in _fixed(src, r)


def test_a_size_doubled_by_a_bidirectional_flag_follows_the_flag():
    src, r = _check("""
        import torch
        import torch.nn as nn
        class Classifier(nn.Module):
            def __init__(self, hidden_dim=32, num_classes=5, bidirectional=True):
                super().__init__()
                self.lstm = nn.LSTM(16, hidden_dim, batch_first=True, bidirectional=bidirectional)
                self.classifier = nn.Linear(hidden_dim, num_classes)
            def forward(self, x):
                out, _ = self.lstm(x)
                return self.classifier(out[:, -1])
        print(Classifier()(torch.randn(8, 10, 16)).shape)
        """)
    d = _one(r)
    fixed = _fixed(src, r)
    assert "nn.Linear(hidden_dim * (2 if bidirectional else 1), num_classes)" in fixed
    assert _fixed(fixed, check_source("case.py", fixed)) == fixed


def test_a_generator_copied_from_a_28_pixel_model_starts_from_the_right_map_size():
    src, r = _check("""
        import keras
        from keras import layers
        generator = keras.Sequential([
            keras.Input(shape=(64,)),
            layers.Dense(128 * 7 * 7, activation="relu"),
            layers.Reshape((7, 7, 128)),
            layers.UpSampling2D(),
            layers.Conv2D(64, 3, padding="same"),
            layers.UpSampling2D(),
            layers.Conv2D(3, 3, padding="same", activation="tanh"),
        ])
        discriminator = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(16, 3, strides=2),
                                          layers.Flatten(), layers.Dense(1, activation="sigmoid")])
        z = keras.Input(shape=(64,))
        combined = keras.Model(z, discriminator(generator(z)))
        """)
    d = _one(r)
    assert d.line == _line_of(src, "layers.Reshape((7, 7, 128))")
    fixed = _fixed(src, r)
    assert "layers.Dense(128 * 8 * 8" in fixed and "layers.Reshape((8, 8, 128))" in fixed
    assert "keras.Input(shape=(32, 32, 3))" in fixed  # never the discriminator bent to the generator


def test_dcgan_noise_without_spatial_axes_is_fixed_where_it_is_drawn():
    """Expert review: the fixer put an nn.Unflatten in front of the generator (the model bent to the data). The
    noise is drawn (N, nz); the generator's first ConvTranspose2d reads (N, nz, 1, 1)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        nz = 64
        netG = nn.Sequential(nn.ConvTranspose2d(nz, 32, 4, 1, 0), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1))
        noise = torch.randn(16, nz)
        fake = netG(noise)
    """)
    d = _one(result)
    assert d.primary.span.line == _line_of(src, "noise = torch.randn")
    fixed = _fixed(src, result)
    assert "noise = torch.randn(16, nz, 1, 1)" in fixed and "Unflatten" not in fixed


def test_padding_mask_of_batch_first_data_blames_the_missing_batch_first():
    """A batch-first padding mask fails on nn.MultiheadAttention left sequence-first: the mask is right, the layer
    needs batch_first=True (transposing the mask would run and mix the samples)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        attn = nn.MultiheadAttention(32, 4)
        tokens = torch.randint(0, 50, (8, 20))
        x = nn.Embedding(50, 32)(tokens)
        model = nn.Sequential(nn.Linear(32, 32))
        h, _ = attn(x, x, x, key_padding_mask=tokens.eq(0))
    """)
    d = next(d for d in result.diagnostics if d.code == "SHP125")
    assert d.primary.span.line == _line_of(src, "nn.MultiheadAttention(32, 4)")
    assert "nn.MultiheadAttention(32, 4, batch_first=True)" in _fixed(src, result)


def test_causal_mask_of_batch_first_data_blames_the_missing_batch_first():
    """A (T, T) causal mask fails on nn.MultiheadAttention left sequence-first and fed (B, T, E): the layer reads the
    batch as the sequence and wants (B, B). The mask is right; a (B, B) mask would run and attend across samples
    (rw17c e01, a decoder-only LM)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        B, T, E = 16, 24, 32
        attn = nn.MultiheadAttention(E, 4)
        tokens = torch.randint(0, 50, (B, T))
        x = nn.Embedding(50, E)(tokens)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        h, _ = attn(x, x, x, attn_mask=causal)
    """)
    d = next(d for d in result.diagnostics if d.code == "SHP125")
    assert d.primary.span.line == _line_of(src, "nn.MultiheadAttention(E, 4)")
    fixed = _fixed(src, result)
    assert "nn.MultiheadAttention(E, 4, batch_first=True)" in fixed and "ones(B, B" not in fixed
    assert tuple(run(fixed)["h"].shape) == (16, 24, 32)
    with pytest.raises(RuntimeError):
        run(src)


def test_padding_mask_of_time_major_data_is_transposed_where_passed():
    """Data written time-major (MAX_LEN, BATCH) is what a sequence-first layer reads; the padding mask made from it
    is (S, N) where it must be (N, S). The mask is transposed where it is passed; batch_first=True would run and
    mix the samples."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        MAX_LEN, BATCH = 20, 8
        attn = nn.MultiheadAttention(32, 4)
        tokens = torch.randint(0, 50, (MAX_LEN, BATCH))
        x = nn.Embedding(50, 32)(tokens)
        pad = tokens.eq(0)
        h, _ = attn(x, x, x, key_padding_mask=pad)
    """)
    d = next(d for d in result.diagnostics if d.code == "SHP125")
    assert d.primary.span.line == _line_of(src, "key_padding_mask=pad")
    fixed = _fixed(src, result)
    assert "key_padding_mask=pad.t()" in fixed and "batch_first" not in fixed
    assert tuple(run(fixed)["h"].shape) == (20, 8, 32)


def test_batch_first_data_with_length_like_names_still_blames_batch_first():
    """N_SEQS counts sequences (a batch) and OBS_LEN is a length: batch-first data, so the layer needs batch_first
    (code review: substring matching read N_SEQS as a length and transposed the mask, mixing the samples)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        N_SEQS, OBS_LEN, E = 6, 12, 16
        tokens = torch.randint(0, 5, (N_SEQS, OBS_LEN))
        x = torch.randn(N_SEQS, OBS_LEN, E)
        attn = nn.MultiheadAttention(E, 4)
        out, _ = attn(x, x, x, key_padding_mask=(tokens == 0))
    """)
    d = next(d for d in result.diagnostics if d.code == "SHP125")
    fixed = _fixed(src, result)
    assert "batch_first=True" in fixed and ".t()" not in fixed
    assert tuple(run(fixed)["out"].shape) == (6, 12, 16) and d.primary is not None


UNET_UP = """
import torch
import torch.nn as nn


class Block(nn.Sequential):
    def __init__(self, in_ch, out_ch):
        super().__init__(nn.Conv2d(in_ch, out_ch, 3, padding=1), nn.ReLU())


class Up(nn.Module):
    def __init__(self, in_ch, out_ch):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_ch, out_ch, 2, stride=2)
        self.conv = Block(out_ch, out_ch)

    def forward(self, x, skip):
        return self.conv(torch.cat([skip, self.up(x)], dim=1))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = Block(3, 16)
        self.down = nn.Sequential(nn.MaxPool2d(2), Block(16, 32))
        self.up = Up(32, 16)

    def forward(self, x):
        a = self.inc(x)
        return self.up(self.down(a), a)


y = Net()(torch.randn(2, 3, 32, 32))
"""


def test_block_built_with_the_wrong_width_is_fixed_at_the_call_that_built_it():
    """The block's `in_ch` is right for its other uses; the call `Block(out_ch, out_ch)` after a concatenation passed
    the wrong width (a U-Net up step): the fix goes to that call, never into the shared block."""
    result = check_source("case.py", UNET_UP.lstrip())
    src = UNET_UP.lstrip()
    d = next(d for d in result.diagnostics if d.code == "SHP102")
    assert d.primary.span.line == _line_of(src, "self.conv = Block(out_ch, out_ch)")
    fixed = _fixed(src, result)
    assert "self.conv = Block(out_ch * 2, out_ch)" in fixed and "nn.Conv2d(in_ch, out_ch, 3" in fixed


def test_lenet_without_its_second_pool_gets_the_pool_not_a_wider_linear():
    """Expert review (both rounds): the fix widened fc1 to 1600; the CIFAR LeNet's flatten is written for 16 x 5 x 5,
    and the forward already has the 2x2 pool it left out after conv2."""
    src, result = _check("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(3, 6, 5)
                self.pool = nn.MaxPool2d(2, 2)
                self.conv2 = nn.Conv2d(6, 16, 5)
                self.fc1 = nn.Linear(16 * 5 * 5, 10)

            def forward(self, x):
                x = self.pool(F.relu(self.conv1(x)))
                x = F.relu(self.conv2(x))
                x = x.view(-1, 16 * 5 * 5)
                return self.fc1(x)


        out = Net()(torch.randn(8, 3, 32, 32))
        loss = F.cross_entropy(out, torch.randint(0, 10, (8,)))
    """)
    d = next(d for d in result.diagnostics if d.severity == "error")
    assert d.primary.span.line == _line_of(src, "x = F.relu(self.conv2(x))")
    fixed = _fixed(src, result)
    assert "x = self.pool(F.relu(self.conv2(x)))" in fixed and "nn.Linear(16 * 5 * 5, 10)" in fixed


def test_a_local_width_read_only_by_failing_heads_is_fixed_where_it_is_bound():
    """``feat_dim = cfg.hidden`` sizes two heads after a bidirectional encoder (2 * hidden features): both fail, and
    the width was stated wrong once, where ``feat_dim`` is bound (rw17d e07, joint intent + slot tagger)."""
    src, result = _check("""
        import torch
        import torch.nn as nn


        class Cfg:
            hidden = 32
            bidirectional = True


        class Joint(nn.Module):
            def __init__(self, cfg):
                super().__init__()
                self.rnn = nn.LSTM(16, cfg.hidden, batch_first=True, bidirectional=cfg.bidirectional)
                feat_dim = cfg.hidden
                self.slot_head = nn.Linear(feat_dim, 9)
                self.intent_head = nn.Linear(feat_dim, 7)

            def forward(self, x):
                h, _ = self.rnn(x)
                return self.slot_head(h), self.intent_head(h.mean(1))


        slots, intents = Joint(Cfg())(torch.randn(4, 10, 16))
    """)
    lines = {d.primary.span.line for d in result.diagnostics if d.severity == "error"}
    assert lines == {_line_of(src, "feat_dim = cfg.hidden")}
    fixed = _fixed(src, result)
    assert "feat_dim = cfg.hidden * (2 if cfg.bidirectional else 1)" in fixed and "nn.Linear(feat_dim, 9)" in fixed
    scope = run(fixed)
    assert tuple(scope["slots"].shape) == (4, 10, 9) and tuple(scope["intents"].shape) == (4, 7)


def test_a_local_width_that_also_sizes_a_right_layer_is_not_edited_where_bound():
    src, result = _check("""
        import torch
        import torch.nn as nn

        hidden = 32
        rnn = nn.LSTM(16, hidden, batch_first=True, bidirectional=True)


        def heads():
            feat_dim = hidden
            return nn.Linear(feat_dim, 9), nn.Linear(feat_dim, 5)


        slot, proj = heads()
        h, _ = rnn(torch.randn(4, 10, 16))
        out = slot(h)
        z = proj(torch.randn(4, 32))
    """)
    d = _one(result)
    assert d.primary.span.line != _line_of(src, "feat_dim = hidden")


def test_a_module_constant_read_only_by_failing_heads_is_set_where_defined():
    """``FEAT_DIM = 2048`` (a bottleneck ResNet's width) read by two heads of a backbone that gives 512: every read
    fails the same way, so the constant is where it was written wrong (rw17d e02). A constant that also sizes a
    layer that works is left alone (the test above)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        WIDTHS = [64, 128, 256, 512]
        FEAT_DIM = 2048


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                layers, c = [], 3
                for w in WIDTHS:
                    layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU()]
                    c = w
                self.backbone = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())
                self.cls_head = nn.Linear(FEAT_DIM, 20)
                self.emb_head = nn.Linear(FEAT_DIM, 128)

            def forward(self, x):
                feats = self.backbone(x)
                return self.cls_head(feats), self.emb_head(feats)


        logits, emb = Net()(torch.randn(2, 3, 16, 16))
    """)
    assert {d.primary.span.line for d in result.diagnostics if d.severity == "error"} == {
        _line_of(src, "FEAT_DIM = 2048")}
    fixed = _fixed(src, result)
    assert "FEAT_DIM = 512" in fixed and "nn.Linear(FEAT_DIM, 20)" in fixed
    assert tuple(run(fixed)["emb"].shape) == (2, 128)


def test_a_backbone_rebuilt_from_its_children_gets_its_flatten_back():
    """``nn.Sequential(*list(backbone.children())[:-1])`` keeps the pooling but not the ``torch.flatten(x, 1)`` of
    the backbone's forward: the head's Linear gets (N, C, 1, 1). The rebuilt Sequential is the place; ``Linear(1,
    n)`` would run and never see the features together (rw17c e09, fine-tuning a ResNet)."""
    src, result = _check("""
        import torch
        import torch.nn as nn


        class Backbone(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 64, 3, padding=1)
                self.avgpool = nn.AdaptiveAvgPool2d(1)
                self.fc = nn.Linear(64, 1000)

            def forward(self, x):
                return self.fc(torch.flatten(self.avgpool(self.conv(x)), 1))


        class FineTuner(nn.Module):
            def __init__(self, backbone):
                super().__init__()
                self.features = nn.Sequential(*list(backbone.children())[:-1])
                self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(backbone.fc.in_features, 5))

            def forward(self, x):
                return self.classifier(self.features(x))


        out = FineTuner(Backbone())(torch.randn(2, 3, 32, 32))
    """)
    d = _one(result)
    assert d.primary.span.line == _line_of(src, "self.features = nn.Sequential")
    fixed = _fixed(src, result)
    assert "nn.Sequential(*list(backbone.children())[:-1], nn.Flatten())" in fixed and "Linear(1" not in fixed
    assert tuple(run(fixed)["out"].shape) == (2, 5)


def test_unit_axis_output_is_squeezed_at_the_loss_when_the_script_reads_it_per_sample():
    """(N, 1) sigmoid outputs for (N,) labels at BCELoss, and the accuracy reads ``prob.view(-1)``: the script's
    convention is one number per sample, so the output's unit axis goes at the loss call. Wrapping each label in a
    list runs and makes the accuracy broadcast (N, N) (rw17a e05)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        x = torch.randn(32, 10)
        y = torch.randint(0, 2, (32,)).float()
        model = nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())
        criterion = nn.BCELoss()
        prob = model(x)
        loss = criterion(prob, y)
        acc = ((prob.view(-1) > 0.5).float() == y).float().mean()
    """)
    d = _one(result)
    assert d.primary.span.line == _line_of(src, "loss = criterion")
    fixed = _fixed(src, result)
    assert "criterion(prob.squeeze(1), y)" in fixed
    assert float(run(fixed)["acc"]) <= 1.0
    with pytest.raises(ValueError):
        run(src)
    plain = src.replace("acc = ((prob.view(-1) > 0.5).float() == y).float().mean()\n", "")
    assert "acc" not in plain
    assert "prob.squeeze(1)" not in _fixed(plain, _check(plain)[1])  # no evidence: the cause stays silent


def test_channels_last_images_into_a_channels_first_einops_patchify():
    """CIFAR arrays (N, 32, 32, 3) converted without a permute, into ``"b c (h p1) (w p2) -> ..."``: einops takes the
    height for channels and cannot split 3 into patches of 4. The data is permuted where it is converted; the patch
    size is right (rw17c e04, a ViT)."""
    pytest.importorskip("einops")
    src, result = _check("""
        import numpy as np
        import torch
        import torch.nn as nn
        from einops.layers.torch import Rearrange

        PATCH = 4
        model = nn.Sequential(Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=PATCH, p2=PATCH),
                              nn.Linear(3 * PATCH * PATCH, 64))
        data = np.random.randint(0, 256, size=(8, 32, 32, 3)).astype(np.uint8)
        x = torch.from_numpy(data).float() / 255.0
        out = model(x)
    """)
    d = _one(result)
    assert d.primary.span.line == _line_of(src, "x = torch.from_numpy")
    fixed = _fixed(src, result)
    assert ".permute(0, 3, 1, 2)" in fixed and "PATCH = 4" in fixed
    assert tuple(run(fixed)["out"].shape) == (8, 64, 64)


@pytest.mark.parametrize("name", ["a_local2.py", "a_const.py"])
def test_a_width_that_also_sizes_an_output_is_not_edited_where_bound(name):
    """Code review: ``nn.Linear(d, d)`` fed 2 * hidden reads ``d`` as its output width too: rewriting the binding
    widened the output and turned a later ``nn.Linear(hidden, 5)`` into a literal. Only the mismatched argument's
    reads count."""
    from pathlib import Path
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "review18" / name).read_text()
    result = check_source(name, src)
    d = _one(result)
    assert "FEAT_DIM = " not in (d.help or "") and "feat_dim = " not in (d.help or "")
    fixed = _fixed(src, result)
    assert "nn.Linear(128, 5)" not in fixed


def test_a_class_count_written_as_an_argparse_default_is_fixed_there():
    """12 intents, ``labels = torch.arange(n) % len(INTENTS)`` (ids 0..11), a head built from ``--num-classes``
    whose default is 10: the count was stated wrong in the default, not in the head (rw18d, an intent classifier).
    ``arange(n) % k`` gives ids below k."""
    src, result = _check("""
        import argparse
        import torch
        import torch.nn as nn

        INTENTS = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
        p = argparse.ArgumentParser()
        p.add_argument("--num-classes", type=int, default=10)
        args = p.parse_args([])
        head = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, args.num_classes))
        x = torch.randn(48, 8)
        labels = torch.arange(48) % len(INTENTS)
        loss = nn.CrossEntropyLoss()(head(x), labels)
    """)
    d = _one(result)
    assert d.code == "SHP302" and d.primary.span.line == _line_of(src, "--num-classes")
    fixed = _fixed(src, result)
    assert 'default=12)' in fixed and "nn.Linear(16, args.num_classes)" in fixed
    with pytest.raises(IndexError):
        run(src)
    assert float(run(fixed)["loss"]) > 0


def test_a_causal_mask_built_before_the_teacher_forcing_shift():
    """The causal mask is made from the whole target (12) and the decoder is fed ``tgt[:, :-1]`` (11): the mask was
    built before the shift; its size is fixed where it is stated. Dropping the mask would run and leak the future
    (rw18b, a seq2seq Transformer)."""
    src, result = _check("""
        import torch
        import torch.nn as nn

        model = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                               dim_feedforward=32, batch_first=True)


        def create_mask(tgt):
            tgt_len = tgt.size(1)
            return nn.Transformer.generate_square_subsequent_mask(tgt_len)


        src = torch.randn(4, 10, 16)
        tgt = torch.randn(4, 12, 16)
        mask = create_mask(tgt)
        out = model(src, tgt[:, :-1], tgt_mask=mask)
    """)
    d = _one(result)
    assert d.primary.span.line == _line_of(src, "tgt_len = tgt.size(1)")
    fixed = _fixed(src, result)
    assert "tgt_len = tgt.size(1) - 1" in fixed and "tgt_mask=mask" in fixed
    with pytest.raises(RuntimeError):
        run(src)
    assert tuple(run(fixed)["out"].shape) == (4, 11, 16)


HEAD_SRC = """
    import torch
    import torch.nn as nn


    class Backbone(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, 512, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.fc = nn.Linear(OLD, 1000)

        def forward(self, x):
            return self.fc(self.body(x))


    model = Backbone()
    model.fc = nn.Linear(2048, 5)
    out = model(torch.randn(2, 3, 16, 16))
"""


def test_a_new_head_takes_the_width_of_the_head_it_replaces():
    """Fix review p18_01 (workaround): ``model.fc = nn.Linear(2048, 5)`` on a backbone that gives 512 was fixed to the
    literal 512 -- the same kind of copied number. The head it replaces knows the width: ``model.fc.in_features``."""
    src, result = _check(HEAD_SRC.replace("OLD", "512"))
    d = _one(result)
    fixed = _fixed(src, result)
    assert "model.fc = nn.Linear(model.fc.in_features, 5)" in fixed
    assert tuple(run(fixed)["out"].shape) == (2, 5)
    assert _fixed(fixed, _check(fixed)[1]) == fixed  # a second --fix changes nothing


def test_a_replaced_head_of_another_width_is_not_copied():
    src, result = _check(HEAD_SRC.replace("OLD", "256"))  # the old head was wrong too: its width is no evidence
    assert "model.fc.in_features" not in _fixed(src, result)


def test_a_default_left_out_is_passed_as_the_config_entry_that_sized_the_data():
    # unseen reviewer (round 4): `image_size=32` written where `opt_cfg["input_size"]` made the images 32 wide
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn


        class ViT(nn.Module):
            def __init__(self, num_classes=10, image_size=64, patch=8, dim=32):
                super().__init__()
                n = (image_size // patch) ** 2
                self.embed = nn.Conv2d(3, dim, patch, patch)
                self.pos = nn.Parameter(torch.zeros(1, n, dim))
                self.fc = nn.Linear(dim, num_classes)

            def forward(self, x):
                x = self.embed(x).flatten(2).transpose(1, 2) + self.pos
                return self.fc(x.mean(1))


        if __name__ == "__main__":
            opt_cfg = {"input_size": 32, "batch_size": 4}
            model = ViT()
            out = model(torch.randn(opt_cfg["batch_size"], 3, opt_cfg["input_size"], opt_cfg["input_size"]))
    """).lstrip()
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.cause == "default-argument"
    assert [e.text for e in d.fix.edits] == ['image_size=opt_cfg["input_size"]']
