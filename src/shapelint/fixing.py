"""Applying fixes: ``shapelint check --fix`` (safe fixes), ``--unsafe-fixes`` (also unsafe ones), ``--diff``.

A fix is a list of text edits on exact source spans (diagnostics/fixes.py decides them), so everything outside the
spans -- formatting, comments, blank lines -- is kept byte for byte. ``libcst`` (the optional ``fix`` extra) is the
gate: a file that libcst cannot parse is never touched, and a fix whose result does not parse is rejected.

Every fix offered has already passed the fix contract when the file was checked (rootcause/contract.py: the
diagnostic gone, nothing new, a second batch size, applied once); a fix that did not is display-only and never
applied here. Fixes are applied one at a time: apply one, re-parse, re-check the new text (which verifies the next
fixes against it), keep it only if its diagnostic is gone and the file has no more errors and warnings than before;
then look at the fresh diagnostics for the next fix. That handles overlapping fixes (the second is recomputed on the
new text) and makes ``--fix`` idempotent. A file is never written if it changed on disk since it was checked (hash),
or if it is read-only.
"""
from __future__ import annotations

import difflib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import Optional

from .diagnostics.fixes.text import apply_edits, apply_edits_to_lines, char_column, parses  # noqa: F401 (re-exported)
from .files import check_path, failure_message
from .frontends.notebook import cell_diff, edit_notebook
from .frontends.source.check import check_source
from .reading import Unreadable, decode_source, read_bytes, too_costly
from .rootcause.contract import key, remains as contract_remains

MAX_ROUNDS = 25
SERIOUS = ("error", "warning")


# -- one file ---------------------------------------------------------------------------------------------------
def _key(d) -> tuple:
    """Identifies a diagnostic across re-checks (line numbers move when a fix inserts a line); the fix contract's
    identity (rootcause/contract.py), never its wording."""
    return key(d)


def remains(d, before: list, after: list) -> bool:
    """The fix contract's test that ``d`` survived an edit (rootcause/contract.py)."""
    return contract_remains(d, before, after)


def _attempt(d) -> tuple:
    """One fix tried once: the diagnostic's identity, the fix's title and where its edits go (the same fix of one
    misused loss module at two calls is two attempts)."""
    return _key(d), d.fix.title, tuple((e.span.line, e.span.column, e.text) for e in d.fix.edits)


def _serious(diags) -> int:
    return sum(1 for d in diags if d.severity in SERIOUS)


def fixable(d, allowed) -> bool:
    return d.fix is not None and d.fix.applicability in allowed and bool(d.fix.edits)


@dataclass
class FileFix:
    path: str
    original: str
    source: str  # after the fixes
    result: object  # FileResult of the final source
    applied: list = field(default_factory=list)  # fix titles, in order
    rejected: list = field(default_factory=list)  # (title, reason)
    skipped: Optional[str] = None  # why the file was not fixed at all

    @property
    def changed(self) -> bool:
        return self.source != self.original


def fix_source(path: str, source: str, diagnostics: list, allowed=("safe",), recheck=None,
               input_shape=None) -> FileFix:
    """Apply the allowed fixes to ``source`` one at a time, re-checking after each (with the same ``input_shape``
    as the check: without it an error that needs it would look fixed). Pure: writes nothing."""
    recheck = recheck or (lambda text: check_source(path, text, input_shape=input_shape))
    out = FileFix(path, source, source, None)
    if any(d.code == "SHP004" for d in diagnostics) or not parses(source):
        out.skipped = "does not parse; fix the syntax first"
        return out
    current, diags, tried = source, list(diagnostics), set()
    for _ in range(MAX_ROUNDS):
        todo = next((d for d in diags if fixable(d, allowed) and _attempt(d) not in tried), None)
        if todo is None:
            break
        tried.add(_attempt(todo))
        candidate = apply_edits(current, todo.fix.edits)
        if candidate == current:
            continue
        if not parses(candidate):
            out.rejected.append((todo.fix.title, "the result would not parse"))
            continue
        after = recheck(candidate)
        if remains(todo, diags, after.diagnostics):
            out.rejected.append((todo.fix.title, "the diagnostic remains after the fix"))
            continue
        if _serious(after.diagnostics) > _serious(diags):
            out.rejected.append((todo.fix.title, "the fix would add errors or warnings"))
            continue
        out.applied.append(todo.fix.title)
        current, diags = candidate, list(after.diagnostics)
        out.result = after
    out.source = current
    return out


def source_hash(text: str) -> str:
    import hashlib  # here, not at the top: showing a fix in the report needs none of --fix's machinery
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _read_text(path: str) -> tuple:
    """(text as the checker decoded it, its encoding: a BOM or a PEP 263 coding line, else UTF-8)."""
    return decode_source(read_bytes(path))


def write_if_unchanged(path: str, checked: str, new: str) -> Optional[str]:
    """Write ``new`` only if the file still holds exactly the checked text. Returns None or why it was not written."""
    try:
        on_disk, encoding = _read_text(path)
    except Unreadable as exc:
        return f"cannot read it again ({exc})"
    if source_hash(on_disk) != source_hash(checked):
        return "changed since it was checked; run shapelint again"
    # the mode bits, not os.access: root may write anything, but a file made read-only says "leave me alone"
    if not os.access(path, os.W_OK) or not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "is read-only; nothing changed"
    try:
        data = new.encode(encoding)  # utf-8-sig writes the BOM back; a latin-1 file stays latin-1
    except UnicodeEncodeError:
        return f"the fix needs characters that {encoding} cannot hold; nothing changed"
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc}); nothing changed"
    return None


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=path, tofile=path))


def fix_notebook_file(f, done, diff_only: bool):
    """``--fix`` / ``--diff`` on a notebook: the fixes worked out on its joined code go back into its cells
    (notebook.edit_notebook); the file is written only if it still holds the checked code.

    Write (or with ``diff_only`` print as a diff) the fixed notebook. Returns the re-checked FileResult after a
    write, True after printing a diff, None when nothing was written (the reason is printed)."""
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


# -- the command ------------------------------------------------------------------------------------------------
def _recheck_like(f, selected=None, input_shape=None):
    """How a fixed text is re-checked: a notebook with its cell map (so the messages compare with the ones it was
    checked with), with the check's input shape; and only the codes the settings select count, so an ignored
    diagnostic is never fixed."""
    if f.line_map is None and selected is None:
        return None

    def recheck(text):
        result = check_source(f.path, text, line_map=f.line_map, input_shape=input_shape)
        if selected is not None:
            result.diagnostics = [d for d in result.diagnostics if selected(d.code, f.path)]
        return result
    return recheck


def fix_main(result, args) -> Optional[int]:
    """``check --fix`` / ``--diff``: fix every file of ``result``. With --diff print the change and return the exit
    code (1 when something would change); with --fix write, replace the file results by the re-checked ones and
    return None so the CLI reports what remains."""
    allowed = ("safe", "unsafe") if getattr(args, "unsafe_fixes", False) else ("safe",)
    diff_only = getattr(args, "diff", False)
    err = sys.stderr
    n_fixed = n_files = 0
    any_diff = False
    for i, f in enumerate(result.files):
        if f.error or f.source is None or not any(fixable(d, allowed) for d in f.diagnostics):
            continue
        if f.path == "<stdin>" and not diff_only:
            print(f"shapelint: {f.path}: not fixed: fixes are applied to files, not to standard input (--diff shows "
                  "them)", file=err)
            continue
        if too_costly(f.source):
            print(f"shapelint: {f.path}: not fixed: the file is too large to re-check after each fix", file=err)
            continue
        try:
            done = fix_source(f.path, f.source, f.diagnostics, allowed,
                              recheck=_recheck_like(f, getattr(args, "selected", None),
                                                    getattr(args, "input_shape", None)),
                              input_shape=getattr(args, "input_shape", None))
        except Exception as exc:  # one file's failure is that file's line; the others are still fixed
            print(f"shapelint: {f.path}: not fixed: {failure_message(exc).replace('not checked: ', '')}", file=err)
            continue
        for title, reason in done.rejected:
            print(f"shapelint: {f.path}: fix not applied ({title}): {reason}", file=err)
        if done.skipped:
            print(f"shapelint: {f.path}: not fixed: {done.skipped}", file=err)
            continue
        if not done.changed:
            continue
        if f.line_map is not None:  # a notebook: the edits go back into its cells
            fixed = fix_notebook_file(f, done, diff_only)
            any_diff = any_diff or fixed is not None
            if fixed is not None and not diff_only:
                n_fixed, n_files, result.files[i] = n_fixed + len(done.applied), n_files + 1, fixed
            continue
        if diff_only:
            sys.stdout.write(unified_diff(f.path, f.source, done.source))
            any_diff = True
            continue
        problem = write_if_unchanged(f.path, f.source, done.source)
        if problem:
            print(f"shapelint: {f.path}: not fixed: {problem}", file=err)
            continue
        n_fixed += len(done.applied)
        n_files += 1
        done.result.line_map = f.line_map
        result.files[i] = done.result
    if diff_only:
        # as for a check: errors that no diff removes still make the exit code 1, and say so (nothing else is shown)
        left = sum(1 for f in result.files for d in f.diagnostics if d.severity == "error")
        if left:
            print(f"shapelint: {left} error{'s' if left != 1 else ''} found; the diff shows the fixes shapelint can "
                  "make (run without --diff for the full report)", file=err)
        return max(1 if any_diff or left else 0, 2 if any(f.error for f in result.files) else 0)
    left = sum(1 for f in result.files for d in f.diagnostics if fixable(d, ("unsafe",)))
    hint = f" ({left} more with --unsafe-fixes)" if left and "unsafe" not in allowed else ""
    print(f"shapelint: fixed {n_fixed} diagnostic{'s' if n_fixed != 1 else ''} in {n_files} "
          f"file{'s' if n_files != 1 else ''}{hint}", file=err)
    return None
