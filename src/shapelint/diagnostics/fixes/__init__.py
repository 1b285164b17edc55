"""Fixes: what a rule wants changed (intents.py) and how that is spelled in the user's source (edits.py); edits on
calls that the checks make themselves (calls.py); applying and checking text edits (text.py). Every fix is attached
where its diagnosis is made -- a rule's Mismatch, a check's emit, a root cause (rootcause/) -- from typed facts, and
kept only if the fix contract (rootcause/contract.py) holds; nothing reads a diagnostic's prose to decide a fix.

Applicability follows ruff:

* ``safe``          -- a literal fully determined by the inferred shape (``in_features``)
* ``unsafe``        -- changes the architecture or the data (insert ``Flatten``, ``return_sequences=True``)
* ``display-only``  -- several valid remedies; shown, never applied

Intents: :class:`SetArg` (set / replace a constructor argument; a class parameter given as a literal where the class
is instantiated is set there), :class:`InsertBefore` / :class:`InsertAfter` (a layer next to this one, in a
``Sequential([...])`` list, ``nn.Sequential(...)`` arguments, a ``model.add(...)`` / ``ModuleList.append(...)`` chain
or a functional call), :class:`ReplaceText` (any expression, e.g. a loss string), :class:`WrapValue` (append a method
call such as ``.permute(0, 3, 1, 2)``), :class:`WrapInput` (rewrite the expression one of an op's inputs came from:
``k`` -> ``k.transpose(-2, -1)``; front-ends record those spans in ``layer.extra["input_spans"]``),
:class:`WrapCall` (rewrite the call applying a layer: transpose around a BatchNorm1d), :class:`SelectFromTuple`
(an RNN's tuple output inside ``nn.Sequential``) and :class:`DisplayOnly`. Where the layer sits is read from the
source itself (``ast``), so front-ends need not describe it.
"""
import importlib

# Each name is loaded from its module on first use (PEP 562): a file with nothing to fix never imports the edit
# machinery, and a rule module that only names an intent (``SetArg``) imports intents.py alone.
_WHERE = {
    "insert_layer_edit": "edits", "resolve": "edits", "set_arg_edit": "edits", "tuple_fix": "edits",
    "wrap_edit": "edits",
    "DisplayOnly": "intents", "InsertAfter": "intents", "InsertBefore": "intents", "ReplaceText": "intents", "ReplaceCall": "intents",
    "SelectFromTuple": "intents", "SetArg": "intents", "WrapCall": "intents", "WrapInput": "intents",
    "WrapValue": "intents",
    "_prefix": "source", "node_at": "source", "spell": "source",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
