"""Command line: ``shapelint check PATH...`` and ``shapelint explain CODE``.

Exit codes: 0 no errors; 1 at least one error-severity diagnostic; 2 usage error, unreadable file, or shapelint failed.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from .collection import fewer_collections
from .config import parse_shape


def _parse_shape(text: str) -> tuple:  # argparse names the type function in its error: "invalid _parse_shape value"
    return parse_shape(text)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own formatter asks ``shutil`` for the terminal width each time an argument is added (shutil and the
    compression modules it imports are a twentieth of a run's start-up); the width matters only to print help."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:  # as shutil.get_terminal_size(): $COLUMNS, else the terminal, else 80; less 2 as argparse
            try:
                width = int(os.environ.get("COLUMNS", "0"))
            except ValueError:
                width = 0
            if width <= 0:
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns
                except (AttributeError, ValueError, OSError):
                    width = 0
            width = (width or 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """Every parser and sub-command parser (add_subparsers makes them of this class) uses _HelpFormatter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)
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
    ap = _Parser(prog="shapelint",
                                 description="Find tensor-shape mismatches in Keras and PyTorch models before they run.")
    ap.add_argument("--version", action="store_true", help="print the version and the framework versions modelled")
    sub = ap.add_subparsers(dest="command")
    c = sub.add_parser("check", help="check Python files, folders and notebooks")
    c.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or notebooks; - for stdin")
    c.add_argument("--format", choices=["text", "json", "concise", "sarif", "html", "github"], default="text",
                   help="github: workflow-command annotations for GitHub Actions")
    c.add_argument("--input-shape", type=_parse_shape, default=None, metavar="SHAPE",
                   help="the model input shape where the code does not state it, e.g. 8,3,32,32")
    c.add_argument("--no-tables", action="store_true", help="text format: do not print the layer tables")
    c.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when errors are found (unreadable files still exit 2)")
    c.add_argument("--fix", action="store_true", help="apply safe fixes")
    c.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply unsafe fixes")
    c.add_argument("--diff", action="store_true", help="show the fixes as a diff, change nothing")
    c.add_argument("--select", metavar="CODES", help="report only these codes or prefixes, e.g. SHP1,SHP301")
    c.add_argument("--ignore", metavar="CODES", help="do not report these codes or prefixes, e.g. SHP201")
    c.add_argument("--statistics", action="store_true", help="print how often each code occurs instead of the report")
    c.add_argument("--config", metavar="PYPROJECT", help="read [tool.shapelint] from this file (default: the nearest "
                   "pyproject.toml above the first path)")
    r = sub.add_parser("run", help="run a script; explain a shape error it dies of under its traceback")
    r.add_argument("script", help="the Python script, run as `python script.py` would")
    r.add_argument("args", nargs=argparse.REMAINDER, help="the script's own arguments")
    sub.add_parser("lsp", help="start the language server on stdin/stdout (needs the `lsp` extra)")
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
    # the whole command under the raised threshold: a check allocates millions of objects and frees few, its report
    # is built from as many, and the modules it loads (most of a small file's run) are collected less often too
    with fewer_collections():
        return _main(argv)


def _main(argv: Optional[list]) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if args.version:
        from .config import version_text  # deferred (as every import below): a command loads only what it runs
        print(version_text())
        return 0
    if args.command is None:
        ap.print_help()
        return 2
    if args.command == "run":  # the script's own exceptions, SystemExit and Ctrl-C are its, not shapelint's
        from .runtime import run_script  # deferred: `shapelint run` only
        return run_script(args.script, args.args)
    if args.command == "lsp":
        from .lsp import serve  # deferred: `shapelint lsp` only (pygls)
        return serve()
    try:
        if args.command == "explain":
            from .explain import explain_main  # deferred: `shapelint explain` only
            return explain_main(args.code, args.format)
        code = _check(args)
    except KeyboardInterrupt:
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # shapelint itself failed: one clear line, exit 2
        print(f"shapelint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if argv is None and getattr(sys.modules.get("__main__"), "main", None) is main:
        _leave(code)
    return code


def _leave(code: int) -> None:
    """End a ``shapelint check`` process that this function is the entry point of, without tearing its heap down:
    freeing a large model's objects one by one (and the collector's last walk over them) took a third of a
    10,000-layer check, for memory the system takes back at once. Only when the output is written out, no other
    thread runs and no ``atexit`` work is left that matters (the worker processes are joined by then); otherwise
    the usual exit."""
    import threading  # deferred: only a `check` run ends here
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a closed pipe: let the interpreter's own exit report it as it does
        return
    if threading.active_count() == 1:
        os._exit(code)


def _check(args) -> int:
    from .runner import DEFAULT_TIMEOUT, check_files  # deferred: `check` only
    if args.unsafe_fixes and not (args.fix or args.diff):  # as in ruff: it widens --fix / --diff, alone it does not edit
        print("shapelint: --unsafe-fixes only takes effect with --fix or --diff; nothing is changed", file=sys.stderr)
    from .config import ConfigError, apply_cli, load_settings  # deferred: `check` only
    try:
        settings = apply_cli(load_settings(args.paths, args.config), args)
    except ConfigError as exc:
        print(f"shapelint: {exc}", file=sys.stderr)
        return 2
    for warning in settings.warnings:
        print(f"shapelint: {warning}", file=sys.stderr)
    timeout = DEFAULT_TIMEOUT if args.timeout_per_file is None else args.timeout_per_file
    from .api import iter_files  # deferred: `check` only
    files = list(settings.filter_paths(iter_files(args.paths)))
    result = check_files(files, args.input_shape, jobs=args.jobs, timeout=timeout, expanded=True,
                         shape_for=None if args.input_shape else settings.input_shape_for)
    settings.apply(result)
    args.selected = settings.selected  # --fix re-checks: an ignored code is never fixed
    if args.fix or args.diff:
        from .fixing import fix_main  # deferred: --fix / --diff only
        code = fix_main(result, args)
        if code is not None:
            return code
        settings.apply(result)  # the files --fix re-checked
    if args.statistics:
        from .reporters.statistics import render_statistics  # deferred: --statistics only
        sys.stdout.write(render_statistics(result))
    else:
        render(result, args.format, sys.stdout, show_tables=not args.no_tables)
    for f in result.files:
        if f.error:
            print(f"shapelint: {f.path}: {f.error}", file=sys.stderr)
    if args.exit_zero and result.exit_code == 1:
        return 0
    return result.exit_code


# -- rendering, file by file if need be -----------------------------------------------------------------------------
def _render_string(result, fmt: str, show_tables: bool = True, color: bool = False) -> str:
    if fmt == "github":
        from .reporters.github import render_github  # deferred: one reporter per run
        return render_github(result)
    if fmt == "json":
        from .reporters.json import render_json  # deferred: one reporter per run
        return render_json(result) + "\n"
    if fmt == "concise":
        from .reporters.text import render_concise  # deferred: one reporter per run
        return render_concise(result)
    if fmt == "sarif":
        from .reporters.sarif import render_sarif  # deferred: one reporter per run
        return render_sarif(result) + "\n"
    if fmt == "html":
        from .reporters.html import render_html  # deferred: one reporter per run
        return render_html(result) + "\n"
    from .reporters.text import render_text  # deferred: one reporter per run
    return render_text(result, color=color, show_tables=show_tables)


def render(result, fmt: str, out, show_tables: bool = True) -> None:
    """Write the report of ``result`` in ``fmt`` to ``out``. A file whose report cannot be rendered (a bug in a
    reporter) becomes that file's one-line error; every other file is still reported in full."""
    from .reporters.text import want_color  # deferred: one reporter per run
    color = fmt == "text" and want_color(out)
    if color:  # a terminal: rich sizes the tables to it, so print to it directly
        from .reporters.text import render_text  # deferred: one reporter per run
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
    from .result import FileResult, Result  # deferred: only when a report fails to render
    from .files import failure_message  # deferred, as Result
    for i, f in enumerate(result.files):
        try:
            _render_string(Result([f]), fmt, show_tables)
        except Exception as exc:  # noqa: BLE001
            why = failure_message(exc).replace("not checked: shapelint failed on this file",
                                               "checked, but its report cannot be shown")
            result.files[i] = FileResult(f.path, error=why)
