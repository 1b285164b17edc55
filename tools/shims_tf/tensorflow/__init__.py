"""Verification shim (tools/verify_corpus.py): TensorFlow is not installed in the venv; Keras 3 on the torch backend
stands in for ``tensorflow.keras`` and for the few ``tf.*`` constructors the corpus uses."""
import sys as _sys

import keras
import numpy as _np

_sys.modules["tensorflow.keras"] = keras
_sys.modules["tensorflow.keras.layers"] = keras.layers
_sys.modules["tensorflow.keras.models"] = keras.models
_sys.modules["tensorflow.keras.utils"] = keras.utils
_sys.modules["tensorflow.keras.datasets"] = keras.datasets
_sys.modules["tensorflow.keras.losses"] = keras.losses
_sys.modules["tensorflow.keras.optimizers"] = keras.optimizers


class random:  # noqa: N801
    normal = staticmethod(lambda shape, *a, **k: keras.random.normal(shape))
    uniform = staticmethod(lambda shape, *a, **k: keras.random.uniform(shape))


def constant(v, dtype=None):
    return _np.asarray(v, dtype=dtype)


convert_to_tensor = constant
float32 = "float32"
int64 = "int64"
