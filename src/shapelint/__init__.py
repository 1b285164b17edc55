"""shapelint: find tensor-shape mismatches in Keras and PyTorch models before they run."""
from .api import check  # noqa: F401
from .result import Result  # noqa: F401

__version__ = "0.1.0"
_RUNTIME = ("explain_exception", "explain_shape_errors", "install_excepthook", "uninstall_excepthook")


def __getattr__(name):  # the run-time companion loads on first use
    if name in _RUNTIME:
        from . import runtime
        return getattr(runtime, name)
    raise AttributeError(f"module 'shapelint' has no attribute {name!r}")


def load_ipython_extension(ip):  # ``%load_ext shapelint``
    from .jupyter import load_ipython_extension as load
    load(ip)
