"""``shapelint lsp``: the language server (the optional ``lsp`` extra: pygls and lsprotocol)."""
from __future__ import annotations

import sys


def serve() -> int:
    try:
        from .server import build_server  # deferred: pygls is optional (the `lsp` extra)
    except ImportError as exc:  # the extra is not installed: one clear line, never a traceback
        print(f"shapelint lsp: the language server needs the `lsp` extra (pip install 'shapelint[lsp]'): {exc}",
              file=sys.stderr)
        return 2
    build_server().start_io()
    return 0
