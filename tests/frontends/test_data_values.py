"""Data values through a script (frontends/source/data_api.py, datasets_api.py): every numpy snippet is also run
with real numpy and the shapes compared; dataset shapes are the documented ones."""
from __future__ import annotations

import ast

import numpy as np
import pytest

from shapelint.frontends.source.evaluator import Evaluator
from shapelint.frontends.source.objects import TensorVal


def values(src: str) -> dict:
    ev = Evaluator("t.py", src, ast.parse(src))
    ev.run()
    return ev.module.vars


NUMPY = [
    "x = np.random.rand(100, 28, 28)\ny = x.reshape(-1, 28, 28, 1) / 255.0",
    "x = np.random.rand(100, 784)\ny = x.reshape(100, 28, 28, 1).astype('float32')",
    "x = np.zeros((10, 5))\ny = np.expand_dims(x, -1)",
    "x = np.zeros((10, 5))\ny = np.expand_dims(x, 0)",
    "x = np.ones((10, 5))\ny = x[..., None]",
    "x = np.ones((10, 5))\ny = x[:, np.newaxis, :]",
    "x = np.ones((10, 5, 3))\ny = x[:4]",
    "x = np.ones((10, 5, 3))\ny = x[2:8, :, 0]",
    "x = np.ones((10, 5, 3))\ny = x[:, -1]",
    "x = np.ones((10, 5, 3))\ny = x.transpose(0, 2, 1)",
    "x = np.ones((10, 5, 3))\ny = np.transpose(x, (2, 0, 1))",
    "x = np.ones((10, 5, 3))\ny = x.T",
    "x = np.ones((10, 5, 3))\ny = np.rollaxis(x, -1)",
    "x = np.ones((10, 5, 3))\ny = np.rollaxis(x, 2, 1)",
    "x = np.ones((10, 5, 3))\ny = np.moveaxis(x, -1, 1)",
    "x = np.ones((10, 5, 3))\ny = np.moveaxis(x, [0, 1], [-1, -2])",
    "x = np.ones((10, 5, 3))\ny = np.swapaxes(x, 0, 2)",
    "x = np.ones((10, 5, 3))\ny = x.swapaxes(1, 2)",
    "x = np.ones((10, 5))\ny = np.cumsum(x, axis=0)",
    "x = np.ones((10, 5))\ny = np.cumsum(x)",
    "x = np.ones((10, 5))\ny = np.diff(x)",
    "x = np.ones((10, 5))\ny = np.diff(x, 2, 0)",
    "x = np.ones((8, 6, 6, 3))\ny = np.array([np.rollaxis(im, -1) for im in x])",
    "x = np.ones((8, 6, 6, 3))\ny = np.stack([im / 2 for im in x])",
    "x = np.ones((8, 5))\ny = np.array([row.sum(axis=0) for row in x])",
    "x = np.ones((10, 1, 3))\ny = x.squeeze(1)",
    "x = np.ones((10, 1, 3))\ny = np.squeeze(x)",
    "a = np.ones((4, 3))\nb = np.ones((4, 3))\ny = np.stack([a, b])",
    "a = np.ones((4, 3))\nb = np.ones((4, 3))\ny = np.stack([a, b], axis=1)",
    "a = np.ones((4, 3))\nb = np.ones((6, 3))\ny = np.concatenate([a, b])",
    "a = np.ones((4, 3))\nb = np.ones((4, 2))\ny = np.concatenate([a, b], axis=1)",
    "a = np.ones((4, 3))\nb = np.ones((6, 3))\ny = np.vstack([a, b])",
    "a = np.ones((4, 3))\nb = np.ones((4, 2))\ny = np.hstack([a, b])",
    "labels = np.random.randint(0, 5, size=(30,))\ny = np.eye(5)[labels]",
    "p = np.random.rand(30, 5)\ny = np.argmax(p, axis=1)",
    "p = np.random.rand(30, 5)\ny = p.argmax(-1)",
    "p = np.random.rand(30, 5)\ny = p.mean(axis=0)",
    "x = np.random.rand(10, 3)\ny = x - x.mean(axis=0)",
    "x = np.random.rand(10, 3)\ny = x @ np.ones((3, 2))",
    "x = np.random.rand(10, 3)\ny = x * np.ones((1, 3))",
    "x = np.arange(12)\ny = x.reshape(3, -1)",
    "x = np.array([[1, 2, 3], [4, 5, 6]])\ny = x.astype('float32')",
    "x = np.random.normal(0, 1, size=(7, 2))\ny = x.flatten()",
    "x = np.random.uniform(0, 1, (7, 2))\ny = x.ravel()",
    "x = np.random.rand(10, 4)\nidx = np.random.permutation(10)\ny = x[idx]",
]


@pytest.mark.parametrize("src", NUMPY)
def test_numpy_shapes_match_real_numpy(src):
    ns = {"np": np}
    exec(src, ns)
    got = values("import numpy as np\n" + src)["y"]
    assert isinstance(got, TensorVal), src
    assert tuple(got.shape) == ns["y"].shape, src
    if got.value.dtype is not None:
        assert got.value.dtype == str(ns["y"].dtype), src


def test_to_categorical_and_labels_meta():
    v = values("import numpy as np\nfrom keras.utils import to_categorical\ny = np.random.randint(0, 7, size=(50, 1))\n"
               "z = to_categorical(y)\nw = to_categorical(y, 9)\n")
    assert v["y"].meta["int_range"] == (0, 7)
    assert tuple(v["z"].shape) == (50, 7) and v["z"].meta["onehot"] == 7
    assert tuple(v["w"].shape) == (50, 9)


@pytest.mark.parametrize("name,xtr,ytr,xte,classes", [
    ("mnist", (60000, 28, 28), (60000,), (10000, 28, 28), 10),
    ("fashion_mnist", (60000, 28, 28), (60000,), (10000, 28, 28), 10),
    ("cifar10", (50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), 10),
    ("cifar100", (50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), 100),
    ("boston_housing", (404, 13), (404,), (102, 13), None),
])
def test_keras_datasets(name, xtr, ytr, xte, classes):
    v = values(f"import keras\n(x_train, y_train), (x_test, y_test) = keras.datasets.{name}.load_data()\n")
    assert tuple(v["x_train"].shape) == xtr and tuple(v["y_train"].shape) == ytr
    assert tuple(v["x_test"].shape) == xte
    assert v["y_train"].meta.get("num_classes") == classes


def test_torchvision_dataset_transforms_and_loader():
    v = values(
        "import torch\nfrom torchvision import datasets, transforms\nfrom torch.utils.data import DataLoader\n"
        "t = transforms.Compose([transforms.Resize(64), transforms.CenterCrop(56), transforms.Grayscale(3),"
        " transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])\n"
        "ds = datasets.MNIST('data', train=False, download=True, transform=t)\n"
        "loader = DataLoader(ds, batch_size=16, shuffle=True)\n"
        "for images, labels in loader:\n    break\n"
        "n = len(ds)\nm = len(loader)\n")
    assert tuple(v["images"].shape) == (16, 3, 56, 56) and v["images"].value.dtype == "float32"
    assert tuple(v["labels"].shape) == (16,) and v["labels"].value.dtype == "int64"
    assert v["n"] == 10000 and v["m"] == 625


def test_tensor_dataset_and_user_dataset():
    v = values(
        "import torch\nfrom torch.utils.data import DataLoader, Dataset, TensorDataset\n"
        "class D(Dataset):\n    def __init__(self):\n        self.x = torch.randn(100, 3, 8)\n"
        "        self.y = torch.randint(0, 4, (100,))\n    def __len__(self):\n        return len(self.x)\n"
        "    def __getitem__(self, i):\n        return self.x[i], self.y[i]\n"
        "for a, b in DataLoader(D(), batch_size=10):\n    pass\n"
        "for c, d in DataLoader(TensorDataset(torch.randn(50, 6), torch.randn(50, 1)), batch_size=64):\n    pass\n")
    assert tuple(v["a"].shape) == (10, 3, 8) and tuple(v["b"].shape) == (10,)
    assert tuple(v["c"].shape) == (50, 6) and tuple(v["d"].shape) == (50, 1)  # one short batch of all 50


def test_train_test_split_sizes():
    v = values("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
               "X = np.random.rand(101, 4)\ny = np.random.randint(0, 2, 101)\n"
               "a, b, c, d = train_test_split(X, y, test_size=0.2)\n")
    assert tuple(v["a"].shape) == (80, 4) and tuple(v["b"].shape) == (21, 4) and tuple(v["d"].shape) == (21,)


def test_tf_data_batches_reach_fit():
    src = ("import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n"
           "x = np.random.rand(64, 10).astype('float32')\ny = np.random.randint(0, 3, size=(64,))\n"
           "ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64).batch(16)\n"
           "model = keras.Sequential([layers.Input(shape=(10,)), layers.Dense(3, activation='softmax')])\n"
           "model.compile(optimizer='adam', loss='categorical_crossentropy')\nmodel.fit(ds, epochs=1)\n")
    from shapelint.frontends.source.check import check_source
    r = check_source("t.py", src)
    assert [d.code for d in r.diagnostics if d.severity == "error"] == ["SHP301"]


def test_pandas_columns_when_knowable():
    v = values("import pandas as pd\ndf = pd.read_csv('data.csv')\nX = df[['a', 'b', 'c']].values\n"
               "Y = df['label'].values\nZ = df.values\n"
               "df2 = pd.DataFrame({'a': [1, 2], 'b': [3, 4], 'y': [0, 1]})\nW = df2.drop(columns=['y']).values\n")
    assert tuple(v["X"].shape) == (None, 3)
    assert tuple(v["Y"].shape) == (None,)
    assert tuple(v["Z"].shape) == (None, None)
    assert tuple(v["W"].shape) == (2, 2)


def test_unknown_stays_unknown():
    """What a file holds is not known: ``np.load`` gives an array of unknown shape (a reshape that writes its sizes
    then knows them, tests/frontends/test_arrays_of_unknown_shape.py); what an unknown function returns is unknown."""
    v = values("import numpy as np\nx = np.load('x.npy')\ny = x.reshape(-1, 28, 28, 1)\nz = some_fn(3)\n")
    assert isinstance(v["x"], TensorVal) and v["x"].shape is None
    assert tuple(v["y"].shape) == (None, 28, 28, 1)
    assert not isinstance(v["z"], TensorVal)


def test_next_iter_loader_is_the_first_batch():
    v = values("import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
               "loader = DataLoader(TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))),"
               " batch_size=16)\nimages, labels = next(iter(loader))\nit = iter([1, 2])\na = next(it)\nb = next(it)\n"
               "c = next(it)\n")
    assert tuple(v["images"].shape) == (16, 3, 32, 32) and tuple(v["labels"].shape) == (16,)
    assert (v["a"], v["b"]) == (1, 2) and not isinstance(v["c"], int)
