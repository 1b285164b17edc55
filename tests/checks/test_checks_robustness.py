"""Bad or odd input to the data/loss checks: never a traceback, never an error diagnostic, values stay unknown."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

SNIPPETS = [
    "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\nm.fit()\nm.fit(x=None, y=None)\nm.compile()\n",
    "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\nm.compile(loss=lambda a, b: a)\nm.fit(1, 2)\n",
    "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\nm.compile(loss={'a': 'mse'})\n"
    "import numpy as np\nm.fit(np.zeros((4, 3)), np.zeros((4,)))\n",
    "import torch.nn as nn\nc = nn.CrossEntropyLoss()\nc()\nc(1, 2)\nc(input=None)\n",
    "import torch.nn.functional as F\nF.cross_entropy(1, 2)\nF.mse_loss()\nF.nll_loss(None, None, weight=3)\n",
    "import numpy as np\ny = np.eye('a')[3]\nz = np.zeros((2, 3))[..., ..., None]\nw = np.zeros((2, 3))[5]\n",
    "import numpy as np\nx = np.zeros((2, 3))\ny = x.reshape(7, -1)\nz = x.transpose(0, 0)\nq = x.squeeze(0)\n",
    "from torch.utils.data import DataLoader\nfor a, b in DataLoader(None):\n    pass\n"
    "for a in DataLoader([1, 2, 3], batch_size=None):\n    pass\n",
    "import keras\nf = keras.datasets.mnist.load_data\n(a, b), (c, d) = f()\nkeras.datasets.nope.load_data()\n",
    "import torchvision\nds = torchvision.datasets.MNIST('d', transform=torchvision.transforms.Lambda(lambda x: x))\n"
    "import torch\nfor x, y in torch.utils.data.DataLoader(ds, batch_size=4):\n    print(x.shape)\n",
    "import pandas as pd\ndf = pd.read_csv('f.csv')\nX = df.drop('y', axis=1).values\nY = df.iloc[:, -1].values\n",
    "import numpy as np\nfrom sklearn.model_selection import train_test_split\na, b = train_test_split(np.zeros((10, 2)),"
    " test_size='x')\n",
    "import keras\nimport numpy as np\nm = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])\n"
    "m.compile(loss='mse', metrics=None)\nm.fit(np.zeros((5, 3)), np.zeros((5, 2)), batch_size='big')\n",
    "import json\n" * 3 + "x = [1, 2]\nx.shape\nlen(x)\n",
]


@pytest.mark.parametrize("src", SNIPPETS)
def test_no_traceback_no_error(src):
    r = check_source("t.py", src)
    assert r.error is None
    bad = [(d.code, d.message) for d in r.diagnostics if d.severity == "error" or d.code == "SHP005"]
    assert not bad
