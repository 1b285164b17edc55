"""``shapelint explain CODE``: the long explanation of a diagnostic code (rustc's ``--explain``).

The text lives in ``docs/codes/SHPnnn.md``, one page per code with fixed sections (ruff style); the bad / good
example files beside it (``docs/codes/examples/SHPnnn_bad.py``, ``..._good.py``) are the ones the test suite runs.
A code is accepted as ``SHP101``, ``shp101``, ``101`` or its name ``feature-count-mismatch``.
"""
from __future__ import annotations

import difflib
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Optional

from .diagnostics import codes

DOCS = Path(__file__).resolve().parents[2] / "docs" / "codes"
SECTIONS = ("What it means", "Why it happens", "Example", "Fix", "Fix safety")
GROUPS = {"0": "could not check", "1": "the framework raises", "2": "silent shape bug",
          "3": "data, labels and losses"}


def find_code(text: str) -> Optional[codes.Code]:
    key = text.strip()
    if key.isdigit():
        key = "SHP" + key.zfill(3)
    return codes.lookup(key)


def page_path(code: str) -> Path:
    return DOCS / f"{code}.md"


def example_paths(code: str) -> tuple:
    return DOCS / "examples" / f"{code}_bad.py", DOCS / "examples" / f"{code}_good.py"


def parse_page(text: str) -> dict:
    """Split a page into {section title: body}; text before the first ``## `` heading is under ``""``."""
    out, title, buf = {}, "", []
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("## "):
            out[title] = "\n".join(buf).strip()
            title, buf = line[3:].strip(), []
        else:
            buf.append(line)
    out[title] = "\n".join(buf).strip()
    return out


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def explanation(code: codes.Code) -> dict:
    """Everything known about a code, as data (the JSON form of ``explain``)."""
    page = _read(page_path(code.code))
    sections = parse_page(page) if page else {}
    bad, good = (_read(p) for p in example_paths(code.code))
    return {"code": code.code, "name": code.name, "severity": code.severity,
            "group": GROUPS.get(code.code[3], ""), "summary": code.summary, "retired": code.retired,
            "sections": {t: sections[t] for t in SECTIONS if t in sections},
            "examples": {"bad": bad, "good": good},
            "page": str(page_path(code.code)) if page else None}


def render_text(info: dict) -> str:
    head = f"{info['code']} ({info['name']}) -- {info['severity']}, {info['group']}"
    lines = [head, "", info["summary"][:1].upper() + info["summary"][1:] + "."]
    if info["retired"]:
        lines += ["", "This code is retired: shapelint no longer emits it."]
    if not info["sections"]:
        lines += ["", "(no long explanation is installed for this code)"]
    for title in SECTIONS:
        body = info["sections"].get(title)
        if body:
            lines += ["", title.upper(), _indent(_plain(body))]
    return "\n".join(lines) + "\n"


def _plain(markdown: str, width: int = 84) -> str:
    """Markdown to terminal text: drop code fences and bold markers, wrap prose, keep code lines as they are."""
    out, in_code = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line.strip():
            out.append(line)
        else:
            out.extend(textwrap.wrap(re.sub(r"\*\*(.+?)\*\*", r"\1", line), width) or [""])
    return "\n".join(out)


def _indent(text: str) -> str:
    return "\n".join(("    " + l) if l.strip() else "" for l in text.splitlines())


def explain_main(code_text: str, fmt: str = "text") -> int:
    code = find_code(code_text)
    if code is None:
        names = [c.code for c in codes.all_codes()] + [c.name for c in codes.all_codes()]
        close = difflib.get_close_matches(code_text.strip(), names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        print(f"shapelint: unknown code `{code_text}`{hint} (codes look like SHP101)", file=sys.stderr)
        return 2
    info = explanation(code)
    if fmt == "json":
        sys.stdout.write(json.dumps(info, indent=1) + "\n")
    else:
        sys.stdout.write(render_text(info))
    return 0
