"""Command line: ``shapelint check PATH...`` and ``shapelint explain CODE``.

Exit codes: 0 no errors; 1 at least one error-severity diagnostic; 2 usage error, unreadable file, or shapelint failed.
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional


def _parse_shape(text: str):
    parts = [p.strip() for p in text.replace("(", "").replace(")", "").replace("x", ",").split(",") if p.strip()]
    dims = []
    for p in parts:
        if p.lower() in ("none", "?", "n", "b", "batch"):
            dims.append(None)
        else:
            dims.append(int(p))
    return tuple(dims)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds, 0 for no limit")
    return value


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="shapelint",
                                 description="Find tensor-shape mismatches in Keras and PyTorch models before they run.")
    sub = ap.add_subparsers(dest="command")
    c = sub.add_parser("check", help="check Python files, folders and notebooks")
    c.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or notebooks; - for stdin")
    c.add_argument("--format", choices=["text", "json", "concise", "sarif", "html"], default="text")
    c.add_argument("--input-shape", type=_parse_shape, default=None, metavar="SHAPE",
                   help="the model input shape where the code does not state it, e.g. 8,3,32,32")
    c.add_argument("--no-tables", action="store_true", help="text format: do not print the layer tables")
    c.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when errors are found (unreadable files still exit 2)")
    c.add_argument("--fix", action="store_true", help="apply safe fixes")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    c.add_argument("--diff", action="store_true", help="show the fixes as a diff, change nothing")
    c.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help="check files in N processes (default: one per CPU; 1: in this process)")
    c.add_argument("--timeout-per-file", type=_seconds, default=None, metavar="SECONDS",
                   help="stop checking a file after this many seconds of CPU time and report it as not checked "
                        "(default: 60; 0: no limit)")
    e = sub.add_parser("explain", help="explain a diagnostic code")
    e.add_argument("code")
    e.add_argument("--format", choices=["text", "json"], default="text")
    return ap


def main(argv: Optional[list] = None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if args.command is None:
        ap.print_help()
        return 2
    try:
        if args.command == "explain":
            from .explain import explain_main
            return explain_main(args.code, args.format)
        return _check(args)
    except KeyboardInterrupt:
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # shapelint itself failed: one clear line, exit 2
        print(f"shapelint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


def _check(args) -> int:
    from .runner import DEFAULT_TIMEOUT, check_files
    if args.unsafe_fixes and not (args.fix or args.diff):  # as in ruff: it widens --fix / --diff, alone it does not edit
        print("shapelint: --unsafe-fixes only takes effect with --fix or --diff; nothing is changed", file=sys.stderr)
    timeout = DEFAULT_TIMEOUT if args.timeout_per_file is None else args.timeout_per_file
    result = check_files(args.paths, args.input_shape, jobs=args.jobs, timeout=timeout)
    if args.fix or args.diff:
        from .fixing import fix_main
        code = fix_main(result, args)
        if code is not None:
            return code
    render(result, args.format, sys.stdout, show_tables=not args.no_tables)
    for f in result.files:
        if f.error:
            print(f"shapelint: {f.path}: {f.error}", file=sys.stderr)
    if args.exit_zero and result.exit_code == 1:
        return 0
    return result.exit_code


# -- rendering, file by file if need be -----------------------------------------------------------------------------
def _render_string(result, fmt: str, show_tables: bool = True, color: bool = False) -> str:
    if fmt == "json":
        from .reporters.json import render_json
        return render_json(result) + "\n"
    if fmt == "concise":
        from .reporters.text import render_concise
        return render_concise(result)
    if fmt == "sarif":
        from .reporters.sarif import render_sarif
        return render_sarif(result) + "\n"
    if fmt == "html":
        from .reporters.html import render_html
        return render_html(result) + "\n"
    from .reporters.text import render_text
    return render_text(result, color=color, show_tables=show_tables)


def render(result, fmt: str, out, show_tables: bool = True) -> None:
    """Write the report of ``result`` in ``fmt`` to ``out``. A file whose report cannot be rendered (a bug in a
    reporter) becomes that file's one-line error; every other file is still reported in full."""
    from .reporters.text import want_color
    color = fmt == "text" and want_color(out)
    if color:  # a terminal: rich sizes the tables to it, so print to it directly
        from .reporters.text import render_text
        try:
            render_text(result, color=True, file=out, show_tables=show_tables)
            return
        except Exception:  # noqa: BLE001 - fall through to the file-by-file report below
            out.write("\n")
    try:
        text = _render_string(result, fmt, show_tables, color)
    except Exception:  # noqa: BLE001
        _isolate_unrenderable(result, fmt, show_tables)
        text = _render_string(result, fmt, show_tables, color)
    out.write(text)


def _isolate_unrenderable(result, fmt: str, show_tables: bool) -> None:
    from .result import FileResult, Result
    from .runner import failure_message
    for i, f in enumerate(result.files):
        try:
            _render_string(Result([f]), fmt, show_tables)
        except Exception as exc:  # noqa: BLE001
            why = failure_message(exc).replace("not checked: shapelint failed on this file",
                                               "checked, but its report cannot be shown")
            result.files[i] = FileResult(f.path, error=why)
