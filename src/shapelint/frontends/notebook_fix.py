"""``check --fix`` / ``--diff`` on a notebook: the fixes worked out on its joined code go back into its cells
(notebook.edit_notebook); the file is written only if it still holds the checked code."""
from __future__ import annotations

import sys

from .notebook import cell_diff, edit_notebook


def fix_notebook_file(f, done, diff_only: bool):
    """Write (or with ``diff_only`` print as a diff) the fixed notebook. Returns the re-checked FileResult after a
    write, True after printing a diff, None when nothing was written (the reason is printed)."""
    from ..api import check_path
    from ..fixing import _read_text, write_if_unchanged
    try:
        raw, _ = _read_text(f.path)
        new_raw, changes = edit_notebook(raw, f.source, done.source)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"shapelint: {f.path}: not fixed: {exc}", file=sys.stderr)
        return None
    if not changes:
        return None
    if diff_only:
        sys.stdout.write(cell_diff(f.path, changes))
        return True
    problem = write_if_unchanged(f.path, raw, new_raw)
    if problem:
        print(f"shapelint: {f.path}: not fixed: {problem}", file=sys.stderr)
        return None
    return check_path(f.path)
