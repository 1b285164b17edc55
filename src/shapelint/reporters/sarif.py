"""SARIF 2.1.0 (the format code-scanning services read): one run, the code table as the rule list, one result per
diagnostic with its primary location, secondary labels as related locations, and the fix edits as SARIF fixes.
Columns are counted in Unicode code points (``columnKind``), converted from the checker's byte offsets.
In a notebook a region's lines are the lines of its cell, and the location's ``properties.cell`` names the cell
(counted from 1 over all cells, as the text report says ``cell 5, line 2``)."""
from __future__ import annotations

import json
from pathlib import Path

from ..diagnostics import codes
from ..diagnostics.fixes.text import char_column
from .. import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def _in_cell(line: int, line_map):
    cell = line_map.cell_of(line) if line_map is not None else None
    return cell if cell is not None else (None, line)


def _region(span, lines: list, line_map=None) -> dict:
    first = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    last = lines[span.end_line - 1] if 0 < span.end_line <= len(lines) else ""
    region = {"startLine": _in_cell(span.line, line_map)[1], "startColumn": char_column(first, span.column),
              "endLine": _in_cell(span.end_line, line_map)[1], "endColumn": char_column(last, span.end_column)}
    if span.line == span.end_line and first:
        region["snippet"] = {"text": first[region["startColumn"] - 1: region["endColumn"] - 1]}
    return region


def _location(path: str, span, lines: list, message: str = "", line_map=None) -> dict:
    loc = {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": _region(span, lines, line_map)}}
    if message:
        loc["message"] = {"text": message}
    cell = _in_cell(span.line, line_map)[0]
    if cell is not None:
        loc["properties"] = {"cell": cell}
    return loc


def rules() -> list:
    out = []
    for c in codes.all_codes():
        rule = {"id": c.code, "name": c.name, "shortDescription": {"text": c.summary},
                "defaultConfiguration": {"level": LEVEL.get(c.severity, "warning")},
                "help": {"text": f"run `shapelint explain {c.code}`; docs/codes/{c.code}.md"},
                "properties": {"tags": [c.name]}}
        if c.retired:
            rule["properties"]["retired"] = True
        out.append(rule)
    return out


def _fix(d, path: str, lines: list, line_map=None):
    if d.fix is None or not d.fix.edits:
        return None
    replacements = []
    for e in d.fix.edits:
        region = _region(e.span, lines, line_map)
        region.pop("snippet", None)
        replacements.append({"deletedRegion": region, "insertedContent": {"text": e.text}})
    return {"description": {"text": f"{d.fix.title} ({d.fix.applicability})"},
            "artifactChanges": [{"artifactLocation": {"uri": _uri(path)}, "replacements": replacements}]}


def result_entry(d, path: str, lines: list, index: dict, line_map=None) -> dict:
    text = d.message + (f"\nhelp: {d.help}" if d.help else "")
    entry = {"ruleId": d.code, "ruleIndex": index[d.code], "level": LEVEL.get(d.severity, "warning"),
             "message": {"text": text}}
    if d.primary is not None:
        entry["locations"] = [_location(path, d.primary.span, lines, d.primary.text, line_map)]
    related = [_location(path, l.span, lines, l.text, line_map) for l in d.secondary]
    if related:
        for k, r in enumerate(related):
            r["id"] = k
        entry["relatedLocations"] = related
    fix = _fix(d, path, lines, line_map)
    if fix is not None:
        entry["fixes"] = [fix]
    props = {"name": d.name, "model": d.model, "layer": d.layer, "layerName": d.layer_name}
    if d.notes:
        props["notes"] = list(d.notes)
    if d.fix is not None:
        props["fixApplicability"] = d.fix.applicability
    entry["properties"] = {k: v for k, v in props.items() if v is not None}
    return entry


def to_sarif(result) -> dict:
    table = rules()
    index = {r["id"]: i for i, r in enumerate(table)}
    results, notifications = [], []
    for f in result.files:
        lines = (f.source or "").splitlines()
        if f.error:
            notifications.append({"level": "error", "message": {"text": f"{f.path}: {f.error}"},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}}}]})
        for d in f.diagnostics:
            results.append(result_entry(d, d.file or f.path, lines, index, f.line_map))
    run = {"tool": {"driver": {"name": "shapelint", "version": __version__, "semanticVersion": __version__,
                               "rules": table}},
           "columnKind": "unicodeCodePoints",
           "invocations": [{"executionSuccessful": not notifications,
                            "toolExecutionNotifications": notifications}],
           "results": results}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(result) -> str:
    return json.dumps(to_sarif(result), indent=1, default=str)
