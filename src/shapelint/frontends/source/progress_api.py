"""Progress bars around an iterable: ``for x, y in tqdm(loader):`` iterates the loader itself.

``tqdm(iterable, ...)`` (tqdm, tqdm.auto, tqdm.notebook, tqdm.std, tqdm.rich) is its first argument, and
``trange(n)`` is ``range(n)``; a bar without an iterable (``tqdm(total=n)``) is unknown.
"""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api

_MODULES = ("tqdm", "tqdm.auto", "tqdm.notebook", "tqdm.std", "tqdm.rich", "tqdm.autonotebook")


@api.handles(*[f"{m}.tqdm" for m in _MODULES])
def tqdm(ev, call):
    it = call.get(0, "iterable")
    return it if it is not None else UNRESOLVED


@api.handles(*[f"{m}.trange" for m in _MODULES])
def trange(ev, call):
    args = call.args
    if call.kwargs and set(call.kwargs) - {"desc", "leave", "position", "ncols", "disable", "unit", "colour"}:
        return UNRESOLVED
    if not args or len(args) > 3 or not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return UNRESOLVED
    return range(*args)
