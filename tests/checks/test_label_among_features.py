"""The label column among the features: SHP219 (Keras, input declared from the data: silent) and the torch error
whose tempting fix widens the first layer (the fix must slice the table instead). Real runs confirm the fixes."""
import os
import textwrap
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _fixed(src: str) -> str:
    return fix_source("case.py", src, _loud(src), ("safe", "unsafe")).source


def test_keras_slice_keeping_the_label_is_reported_and_narrowed():
    src = (EXAMPLES / "SHP219_bad.py").read_text()
    (d,) = _loud(src)
    assert d.code == "SHP219" and src.splitlines()[d.primary.span.line - 1] == "X = rows[:, 1:]"
    fixed = _fixed(src)
    assert "X = rows[:, 1:-1]" in fixed and not _loud(fixed)


TORCH = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    columns = ["a", "b", "c", "d", "label"]
    table = np.random.rand(100, len(columns)).astype(np.float32)
    X = torch.tensor(table, dtype=torch.float32)
    y = torch.tensor(table[:, -1], dtype=torch.float32).unsqueeze(1)
    model = nn.Sequential(nn.Linear(len(columns) - 1, 8), nn.ReLU(), nn.Linear(8, 1))
    loss = nn.functional.mse_loss(model(X), y)
""").lstrip()


def test_torch_whole_table_as_features_is_blamed_on_the_table_not_the_layer():
    (d,) = _loud(TORCH)
    assert d.primary.span.line == 7  # X = torch.tensor(table, ...)
    fixed = _fixed(TORCH)
    assert "torch.tensor(table[:, :-1], dtype=torch.float32)" in fixed
    assert "nn.Linear(len(columns) - 1, 8)" in fixed  # never widened to swallow the label
    pytest.importorskip("torch")
    scope = {"__name__": "__main__"}
    exec(compile(fixed, "case.py", "exec"), scope)
    assert tuple(scope["X"].shape) == (100, 4)


DATASET = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import Dataset, DataLoader, random_split

    COLUMNS = ["a", "b", "c", "d", "target"]


    class Rows(Dataset):
        def __init__(self, table):
            self.x = torch.from_numpy(table)
            self.y = torch.from_numpy(table[:, -1:])

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], self.y[i]


    train, val = random_split(Rows(np.random.rand(100, len(COLUMNS)).astype(np.float32)), [80, 20])
    model = nn.Sequential(nn.Linear(len(COLUMNS) - 1, 8), nn.ReLU(), nn.Linear(8, 1))
    for xb, yb in DataLoader(train, batch_size=16):
        loss = nn.functional.mse_loss(model(xb), yb)
""").lstrip()


def test_table_kept_whole_in_a_dataset_is_blamed_there():
    (d,) = _loud(DATASET)
    assert d.primary.span.line == 11  # self.x = torch.from_numpy(table)
    fixed = _fixed(DATASET)
    assert "self.x = torch.from_numpy(table[:, :-1])" in fixed
    assert "nn.Linear(len(COLUMNS) - 1, 8)" in fixed
    pytest.importorskip("torch")
    scope = {"__name__": "__main__"}
    exec(compile(fixed, "case.py", "exec"), scope)
    assert tuple(scope["xb"].shape) == (16, 4)


def test_features_without_the_label_column_are_left_alone():
    assert not _loud((EXAMPLES / "SHP219_good.py").read_text())


VOCAB = textwrap.dedent("""
    import torch
    import torch.nn as nn

    words = [f"tok{i}" for i in range(50)]
    word2idx = {w: i + 1 for i, w in enumerate(sorted(set(words)))}
    vocab_size = len(word2idx)
    model = nn.Sequential(nn.Embedding(vocab_size, 8, padding_idx=0), nn.Flatten(), nn.Linear(80, 2))
    ids = torch.tensor([[word2idx[w] for w in words[:10]]])
    out = model(ids)
""").lstrip()


def test_vocabulary_numbered_from_one_needs_one_row_more():
    """(checks/id_range.py) The ids of a vocabulary numbered from 1 run to len(vocab): the table needs one row more.
    Sets are followed (sorted, so the analysis never depends on hash order)."""
    (d,) = _loud(VOCAB)
    assert d.code == "SHP309" and d.primary.span.line == 6
    fixed = _fixed(VOCAB)
    assert "vocab_size = len(word2idx) + 1" in fixed and not _loud(fixed)
    assert not _loud(VOCAB.replace("i + 1 for", "i for"))  # numbered from 0: right as it is


SPLIT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    COLUMNS = ["income", "loan", "term", "score", "defaulted"]
    data = np.random.rand(500, len(COLUMNS)).astype("float32")
    X = data[:, :len(COLUMNS)]
    y = data[:, -1]
    split = int(0.8 * len(data))
    X_train, X_test = X[:split], X[split:]
    y_train, y_test = y[:split], y[split:]
    model = keras.Sequential([keras.Input(shape=(X.shape[1],)), layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X_train, y_train, epochs=1, verbose=0)
""").lstrip()


def test_a_train_test_split_keeps_which_columns_the_rows_hold():
    (d,) = _loud(SPLIT)
    assert d.code == "SHP219" and d.primary.span.line == 7  # X = data[:, :len(COLUMNS)]
    assert not _loud(SPLIT.replace("X = data[:, :len(COLUMNS)]", "X = data[:, :-1]"))


PAIRED = textwrap.dedent("""
    import numpy as np
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    data = np.random.rand(200, 5).astype(np.float32)
    mu, sigma = data.mean(axis=0), data.std(axis=0)
    X = torch.tensor((data - mu) / sigma, dtype=torch.float32)
    y = torch.tensor(data[:, -1], dtype=torch.float32).unsqueeze(1)
    loader = DataLoader(TensorDataset(X, y), batch_size=20, shuffle=True)
    model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    for xb, yb in loader:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(xb), yb)
""").lstrip()


def test_torch_features_and_labels_paired_from_one_table_are_reported():
    (d,) = _loud(PAIRED)
    assert d.code == "SHP219" and d.primary.span.line == 7  # the whole table, scaled, as the features


def test_torch_features_sliced_without_the_label_are_not_reported():
    assert not _loud(PAIRED.replace("(data - mu) / sigma", "(data[:, :-1] - mu[:-1]) / sigma[:-1]"))


def test_torch_a_sliced_table_paired_with_its_last_column_is_narrowed():
    src = PAIRED.replace("(data - mu) / sigma", "data[:, :5]")
    (d,) = _loud(src)
    assert d.code == "SHP219"
    fixed = _fixed(src)
    assert "torch.tensor(data[:, :-1], dtype=torch.float32)" in fixed and not _loud(fixed)


LOSS_PAIRED = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    rng = np.random.default_rng(0)
    n = 300
    logit = rng.normal(size=n)
    label = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    data = np.column_stack([np.arange(n), logit, rng.normal(size=n), label]).astype(np.float32)
    X = data[:, 1:]
    y = data[:, -1:]
    idx = rng.permutation(n)[:200]
    X_train, y_train = torch.tensor(X[idx]), torch.tensor(y[idx])
    model = nn.Sequential(nn.Linear(X_train.shape[1], 8), nn.ReLU(), nn.Linear(8, 1))
    loss = nn.BCEWithLogitsLoss()(model(X_train), y_train)
""").lstrip()


def test_torch_features_and_labels_paired_by_the_loss_are_reported():
    (d,) = _loud(LOSS_PAIRED)
    assert d.code == "SHP219" and d.primary.span.line == 10  # X = data[:, 1:]
    fixed = _fixed(LOSS_PAIRED)
    assert "X = data[:, 1:-1]" in fixed and not _loud(fixed)


SHARED_WIDTH = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    rng = np.random.default_rng(0)
    features = rng.normal(size=(200, 6))
    raw = np.column_stack([features, (features[:, 0] > 0).astype(float)])
    N_FEATURES = raw.shape[1]
    X = torch.tensor(raw[:, :N_FEATURES], dtype=torch.float32)
    y = torch.tensor(raw[:, -1], dtype=torch.float32).unsqueeze(1)
    model = nn.Sequential(nn.Linear(N_FEATURES, 8), nn.ReLU(), nn.Linear(8, 1))
    loss = nn.BCEWithLogitsLoss()(model(X), y)
""").lstrip()


def test_a_width_that_also_sizes_the_first_layer_is_fixed_where_it_is_counted():
    """``N_FEATURES = raw.shape[1]`` ends the features' slice and sizes ``nn.Linear``: narrowing the slice alone
    would leave the layer a column too wide, so the count is what is fixed (and the script runs)."""
    from oracle import run
    (d,) = _loud(SHARED_WIDTH)
    assert d.code == "SHP219" and d.primary.span.line == 8
    fixed = _fixed(SHARED_WIDTH)
    assert "N_FEATURES = raw.shape[1] - 1" in fixed and "raw[:, :N_FEATURES]" in fixed and not _loud(fixed)
    assert tuple(run(fixed)["X"].shape) == (200, 6)


def test_a_positional_slice_that_keeps_the_label_is_replaced_by_a_drop():
    """``df.iloc[:, :-1]`` assumed the label was the last column; an engineered column was appended after it, so the
    features keep ``churned`` (rw18c). The labels reach the loss as ``torch.tensor(y).unsqueeze(1)``: still the
    column. The fix selects the features by name."""
    import textwrap
    from oracle import run
    from shapelint.fixing import fix_source
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        import pandas as pd
        import torch
        import torch.nn as nn

        n = 200
        df = pd.DataFrame({"tenure": np.arange(n, dtype=float), "calls": np.ones(n)})
        df["churned"] = (df["tenure"] > 100).astype(int)
        df["per_call"] = df["tenure"] / df["calls"]
        X = df.iloc[:, :-1].to_numpy(dtype=np.float32)
        y = df["churned"].to_numpy(dtype=np.float32)
        model = nn.Sequential(nn.Linear(X.shape[1], 8), nn.ReLU(), nn.Linear(8, 1))
        Xt, yt = torch.tensor(X), torch.tensor(y).unsqueeze(1)
        loss = nn.BCEWithLogitsLoss()(model(Xt), yt)
    """).lstrip()
    result = check_source("case.py", src)
    (d,) = [d for d in result.diagnostics if d.severity == "warning"]
    assert d.code == "SHP219" and d.primary.span.line == 10
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert 'X = df.drop(columns=["churned"]).to_numpy(dtype=np.float32)' in fixed
    assert list(run(src)["X"][:, 2]) == list(run(src)["y"])  # the label is a feature
    assert run(fixed)["X"].shape == (200, 3)


def test_every_column_written_out_keeps_the_label():
    """``standardize(raw[:, :])`` with ``y = raw[:, -1]``: the features are every column of the table, the label's too
    (rw18d: 100% validation accuracy through the leak). Fixed by leaving the last column out of the slice."""
    from oracle import run
    src = textwrap.dedent("""
        import numpy as np
        import torch
        import torch.nn as nn

        rng = np.random.default_rng(0)
        feats = rng.normal(size=(600, 13))
        raw = np.column_stack([feats, (feats[:, 0] > 0).astype(np.float64)])


        def standardize(x):
            return (x - x.mean(0, keepdims=True)) / (x.std(0, keepdims=True) + 1e-8)


        X = torch.tensor(standardize(raw[:, :]), dtype=torch.float32)
        y = torch.tensor(raw[:, -1], dtype=torch.long)
        model = nn.Sequential(nn.Linear(X.shape[1], 8), nn.ReLU(), nn.Linear(8, 2))
        loss = nn.CrossEntropyLoss()(model(X), y)
    """).lstrip()
    (d,) = [d for d in _loud(src) if d.severity == "warning"]
    assert d.code == "SHP219" and d.primary.span.line == 14
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "standardize(raw[:, :-1])" in fixed
    assert tuple(run(src)["X"].shape) == (600, 14) and tuple(run(fixed)["X"].shape) == (600, 13)
    assert not _loud(src.replace("y = torch.tensor(raw[:, -1], dtype=torch.long)",
                                 "y = torch.tensor(feats[:, 0] > 0, dtype=torch.long)"))
