"""Fixes: what a rule wants changed (intents.py) and how that is spelled in the user's source (edits.py), plus the
fixes decided once the whole file is checked (after_check.py, from_model.py).

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
from .after_check import complete_fixes, drop_conflicting_fixes
from .edits import insert_layer_edit, resolve, set_arg_edit, tuple_fix, wrap_edit
from .intents import (DisplayOnly, InsertAfter, InsertBefore, ReplaceText, SelectFromTuple, SetArg, WrapCall,
                      WrapInput, WrapValue)
from .source import _prefix, node_at, spell

__all__ = ["DisplayOnly", "InsertAfter", "InsertBefore", "ReplaceText", "SelectFromTuple", "SetArg", "WrapCall",
           "WrapInput", "WrapValue", "complete_fixes", "drop_conflicting_fixes", "insert_layer_edit", "node_at",
           "resolve", "set_arg_edit", "spell", "tuple_fix", "wrap_edit", "_prefix"]
