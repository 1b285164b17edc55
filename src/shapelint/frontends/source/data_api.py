"""Data values in scripts: array and tensor constructors of numpy, TensorFlow and PyTorch whose shape is written in
the call (``np.random.rand(32, 20)``, ``tf.random.normal((1, 28, 28, 1))``, ``torch.randn(8, 1, 28, 28)``)."""
from __future__ import annotations

from ...core.program import UNRESOLVED
from ...core.values import Tensor
from . import api
from .objects import TensorVal


def _dims(value):
    """A shape argument (int or sequence of ints) as a tuple, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,) if value >= 0 else None
    if isinstance(value, (tuple, list)) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0
                                                for d in value):
        return tuple(value)
    return None


def _varargs_shape(call):
    """``rand(2, 3)`` or ``randn((2, 3))`` / ``zeros(size=(2, 3))``."""
    if "size" in call.kwargs:
        return _dims(call.kwargs["size"])
    if "shape" in call.kwargs:
        return _dims(call.kwargs["shape"])
    if len(call.args) == 1:
        return _dims(call.args[0])
    if call.args:
        return _dims(tuple(call.args))
    return None


def tensor_val(ev, call, shape, lib: str, dtype=None):
    if shape is None:
        return UNRESOLVED
    return TensorVal(Tensor(shape, dtype), lib=lib, origin=ev.span(call.node), note=ev.text(call.node))


def _lib(name: str) -> str:
    return "torch" if name.startswith("torch") else "tf" if name.startswith("tensorflow") else "numpy"


@api.handles("numpy.random.rand", "numpy.random.randn", "torch.rand", "torch.randn", "torch.zeros", "torch.ones",
             "torch.empty")
def varargs_constructor(ev, call):
    name = api.canonical(call.callee_text)
    lib = "torch" if "torch" in call.callee_text or call.callee_text.startswith(("th.", "T.")) else "numpy"
    dtype = "float32" if lib == "torch" else "float64"
    return tensor_val(ev, call, _varargs_shape(call), lib, dtype)


@api.handles("numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full", "numpy.random.random",
             "numpy.random.random_sample", "numpy.random.normal", "numpy.random.uniform", "numpy.random.standard_normal")
def shape_constructor(ev, call):
    pos_shape = call.get(0, "shape", None)
    if "size" in call.kwargs:
        shape = _dims(call.kwargs["size"])
    elif call.callee_text.endswith(("normal", "uniform")):
        shape = _dims(call.get(2, "size", None))
    else:
        shape = _dims(pos_shape)
    return tensor_val(ev, call, shape, "numpy", "float64")


@api.handles("numpy.random.randint")
def randint(ev, call):
    return tensor_val(ev, call, _dims(call.get(2, "size", None)), "numpy", "int64")


@api.handles("tensorflow.random.normal", "tensorflow.random.uniform", "tensorflow.zeros", "tensorflow.ones",
             "keras.random.normal", "keras.random.uniform", "keras.ops.zeros", "keras.ops.ones")
def tf_constructor(ev, call):
    return tensor_val(ev, call, _dims(call.get(0, "shape", None)), "tf", "float32")


@api.handles("torch.randint")
def torch_randint(ev, call):
    shape = _dims(call.kwargs.get("size", call.args[-1] if call.args else None))
    return tensor_val(ev, call, shape, "torch", "int64")
