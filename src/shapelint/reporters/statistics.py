"""``--statistics``: how often each code occurs, most frequent first, as ruff prints it (``[*]``: a safe fix exists)."""
from __future__ import annotations

from collections import Counter

from .text import summary_line


def render_statistics(result) -> str:
    counts, names, fixable = Counter(), {}, Counter()
    for d in result.diagnostics:
        counts[d.code] += 1
        names[d.code] = d.name
        if d.fix is not None and d.fix.edits and d.fix.applicability == "safe":
            fixable[d.code] += 1
    width = len(str(max(counts.values(), default=0)))
    rows = [f"{n:>{width}}  {code}  {'[*]' if fixable[code] else '   '} {names[code]}"
            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    for f in result.files:
        if f.error:
            rows.append(f"{f.path}: {f.error}")
    return "\n".join(rows + [summary_line(result)]) + "\n"
