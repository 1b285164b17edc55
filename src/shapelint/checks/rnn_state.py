"""RNN states used the wrong way, found once a file's model runs are complete: one direction of a bidirectional
state fed to a layer sized for both."""
from __future__ import annotations

import ast

from ..core.program import Span
from ..core.registry import has
from ..diagnostics.fixes import node_at, spell
from ..diagnostics.fixes.source import _parent
from ..diagnostics import remedies
from ..diagnostics.model import Edit, Fix, Label


def one_direction_of_a_bidirectional_state(ev) -> None:
    """``self.fc(h_n[-1])`` after a bidirectional RNN, with ``fc = nn.Linear(2 * hidden, ...)``: ``h_n[-1]`` is the
    last layer's *backward* state only. Shrinking ``in_features`` would run and hide that; the fix is to join both
    directions, ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, so no edit is offered and the help says so."""
    for m in ev.models:
        for r in m.runs:
            inf = r.inference
            for op in inf.program.ops:
                d = next((d for d in op.diagnostics if d.name == "feature-count-mismatch"), None)
                if d is None or op.layer.kind != "Linear" or not op.inputs or \
                        not (isinstance(d.expected, int) and isinstance(d.received, int)) or \
                        d.expected != 2 * d.received:
                    continue
                pick = inf.source_of(op.inputs[0])
                rnn = inf.producer_of(pick.inputs[0]) if pick is not None and pick.layer.kind == "getitem" and \
                    pick.inputs else None
                if rnn is None or not has(rnn.layer, "recurrent") or \
                        not rnn.layer.args.get("bidirectional") or rnn.output is None:
                    continue
                items = getattr(rnn.output, "items", ())
                states = [items[1]] if len(items) > 1 else []
                states += list(getattr(states[0], "items", ())) if states else []
                if not any(pick.inputs[0] is s_ for s_ in states):
                    continue
                d.help = ("the index picks one direction of the bidirectional state (the backward one for [-1]); "
                          "join both: `torch.cat((h_n[-2], h_n[-1]), dim=1)`, which has the "
                          f"{d.expected} features the layer expects")
                d.fix = _join_directions_fix(ev, pick)
                site = pick.layer.origin.span
                if site is not None and d.primary is not None and d.primary.span != site:
                    # the mistake is the index that picked one direction, not the layer sized for both
                    d.secondary.insert(0, Label(d.primary.span, d.primary.text, d.primary.file))
                    d.primary = Label(site, remedies.one_direction_label(), d.primary.file)


def _join_directions_fix(ev, pick):
    """``h_n[-1]`` -> ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, spelled as the file imports torch; else show only."""
    title = "join both directions of the last layer's state with torch.cat"
    node = node_at(pick.layer.origin.span, ev.lines)
    if not isinstance(node, ast.Subscript) and isinstance(_parent(node), ast.Subscript):
        node = _parent(node)  # the op is located at its index (`-1`); the edit replaces `h_n[-1]`
    cat = spell("torch.cat", ev.lines)
    index = node.slice if isinstance(node, ast.Subscript) else None
    if cat is None or not (isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and
                           isinstance(index.operand, ast.Constant) and index.operand.value == 1):
        return Fix("display-only", title, [])
    base = ast.get_source_segment(ev.source, node.value)
    if base is None or "\n" in base:
        return Fix("display-only", title, [])
    return Fix("unsafe", title, [Edit(Span.of(node), f"{cat}(({base}[-2], {base}[-1]), dim=1)")])
