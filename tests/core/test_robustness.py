"""Non-model code must never crash the checker nor produce an error: run it over the standard library."""
import os
import sysconfig

from shapelint.frontends.source.check import check_source


def _stdlib_files(limit=150):
    root = sysconfig.get_paths()["stdlib"]
    out = []
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "test", "tests", "idlelib", "lib2to3"))
        for f in sorted(files):
            if f.endswith(".py"):
                out.append(os.path.join(dirpath, f))
    return out[::max(1, len(out) // limit)][:limit]


def test_stdlib_gives_no_errors_and_no_crash():
    for path in _stdlib_files():
        with open(path, encoding="utf-8", errors="replace") as fh:
            src = fh.read()
        result = check_source(path, src)
        errors = [d for d in result.diagnostics if d.severity == "error" and d.code != "SHP004"]
        assert not errors, (path, [d.message for d in errors])
