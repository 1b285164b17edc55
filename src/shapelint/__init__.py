"""shapelint: find tensor-shape mismatches in Keras and PyTorch models before they run."""
from .core import diagnoser as _diagnoser


def _diagnostics_for_core():
    """The layer that words the core's Mismatches (core/diagnoser.py). Imported on first use, not here: ``import
    shapelint`` (``--version``, ``explain``) needs neither the core's inference nor the diagnostics modules."""
    from .diagnostics import for_core  # deferred: see the docstring
    return for_core


_diagnoser.plug(_diagnostics_for_core)  # the package root wires the layers: the core never imports the ones above it

__version__ = "0.1.0"
_RUNTIME = ("explain_exception", "explain_shape_errors", "install_excepthook", "uninstall_excepthook")


def __getattr__(name):
    # ``check`` and ``Result`` load on first use too: ``shapelint check`` imports this package before its command
    # line raises the garbage collector's threshold (collection.fewer_collections), and the checker's modules --
    # most of a run's start-up -- would load under the default one, collected again and again
    if name == "check":
        from .api import check  # deferred: see above
        return check
    if name == "Result":
        from .result import Result  # deferred: see above
        return Result
    if name in _RUNTIME:
        from . import runtime  # deferred: the run-time companion loads on first use
        return getattr(runtime, name)
    raise AttributeError(f"module 'shapelint' has no attribute {name!r}")


def load_ipython_extension(ip):  # ``%load_ext shapelint``
    from .jupyter import load_ipython_extension as load  # deferred: only inside IPython
    load(ip)
