"""Where the core hands a contract violation over to be worded.

The core finds Mismatches; turning one into a Diagnostic -- the wording, the remedy, the text edits of its fix -- is
the work of the diagnostics layer above it, which the core must not import. The package root plugs that layer in
once (``plug`` in shapelint/__init__.py) as a loader, called on first use; the diagnostics side of the hook is
diagnostics/for_core.py.
"""
from __future__ import annotations

from typing import Callable, Optional

_loader: Optional[Callable] = None
_port = None


def plug(loader: Callable) -> None:
    """``loader()`` returns what core.infer asks of the diagnostics layer: ``diagnostic_for``, ``resolve_fix``,
    ``tuple_fix``, ``check_arguments`` and ``tuple_remedy`` (diagnostics/for_core.py)."""
    global _loader, _port
    _loader, _port = loader, None


def port():
    global _port
    if _port is None:
        if _loader is None:
            raise RuntimeError("shapelint.core has no diagnostics layer plugged in (shapelint/__init__.py does it)")
        _port = _loader()
    return _port
