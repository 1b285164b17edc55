"""What a check returns: per file, the models found (each a Program with its shape trace) and the diagnostics.

``str(result)`` is the text report; ``result.to_json()`` the JSON contract of DESIGN.md as text (``to_dict()`` as
Python objects); ``result._repr_html_()`` the notebook view; ``bool(result)`` is ``result.ok``. ``result.exit_code`` follows the CLI: 0 no errors, 1 errors, 2 a file could not be read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class FileResult:
    path: str
    models: list = field(default_factory=list)  # ModelResult
    diagnostics: list = field(default_factory=list)  # Diagnostic
    error: Optional[str] = None  # the file could not be read at all (exit code 2)
    source: Optional[str] = None
    line_map: Optional[object] = None  # notebooks: maps script lines to (cell, line)
    encoding: str = "utf-8"  # how the source was decoded: a BOM, a PEP 263 coding line, else UTF-8
    # a fix contract's re-check only: the evaluator that checked it, for where the edited file writes its batch size
    evaluator: Optional[object] = field(default=None, repr=False, compare=False)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


@dataclass
class Result:
    files: list = field(default_factory=list)

    @property
    def diagnostics(self) -> list:
        return [d for f in self.files for d in f.diagnostics]

    @property
    def models(self) -> list:
        return [m for f in self.files for m in f.models]

    @property
    def errors(self) -> list:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and not any(f.error for f in self.files)

    @property
    def exit_code(self) -> int:
        if any(f.error for f in self.files):
            return 2
        return 1 if self.errors else 0

    def __bool__(self) -> bool:
        """``if shapelint.check(path): ...`` reads as "if it is fine" (a result is truthy only when ``ok``)."""
        return self.ok

    def to_dict(self) -> dict:
        """The JSON report (DESIGN.md) as Python objects."""
        from .reporters.json import to_json  # deferred: every check makes a Result; few are rendered as JSON
        return to_json(self)

    def to_json(self, indent: int = 1) -> str:
        """The JSON report (DESIGN.md) as text, as ``check --format json`` prints it."""
        import json  # deferred, as in to_dict (the json module alone is several ms of start-up)
        return json.dumps(self.to_dict(), indent=indent, default=str)

    def __str__(self) -> str:
        from .reporters.text import render_text  # deferred, as in to_dict
        return render_text(self, color=False)

    def _repr_html_(self) -> str:
        try:
            from .reporters.html import render_notebook  # deferred, as in to_dict; it needs rich (optional)
        except ImportError:
            import html  # deferred, as in to_dict
            return "<pre>" + html.escape(str(self)) + "</pre>"
        return render_notebook(self)
