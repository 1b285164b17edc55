"""What the names in the user's code say an axis is: ``Input(shape=(steps, features))`` declares time then
features; ``(len(FEATURES), LOOKBACK)`` declares features then time. Names are evidence an expert reads first; an
axis whose name says nothing (a literal, ``n``, ``dim2``) has no role from its name."""
from __future__ import annotations

import ast
import re
from typing import Optional

from . import roles

_WORDS = {
    roles.T: ("step", "steps", "timestep", "timesteps", "time", "seq", "sequence", "len", "length", "maxlen",
              "window", "lookback", "frames", "frame", "horizon", "history", "lag", "lags", "tokens", "context"),
    roles.F: ("feature", "features", "feat", "feats", "dim", "input", "inputs", "sensors", "sensor", "vars",
              "variables", "signals", "columns", "cols", "embed", "embedding", "hidden", "units", "model"),
    roles.C: ("channel", "channels", "chans", "chan", "c", "bands", "colors", "electrodes", "electrode", "leads"),
    roles.S: ("height", "width", "h", "w", "img", "image", "size", "side", "rows", "pixels", "res", "resolution"),
}
_LOOKUP = {w: role for role, words in _WORDS.items() for w in words}


def role_of_name(name: str) -> Optional[str]:
    """The role a variable name states (``n_timesteps`` -> time, ``NUM_FEATURES`` -> features), or None."""
    parts = [p for p in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()) if p and p not in ("n", "num", "max",
                                                                                                    "nb", "the", "of")]
    joined = [a + b for a, b in zip(parts, parts[1:])]  # LOOK_BACK, time_steps, seq_len: the words written apart
    found = {_LOOKUP[p] for p in parts + joined if p in _LOOKUP}
    if roles.T in found:
        return roles.T  # seq_len, input_len: the length wins over "input"
    return found.pop() if len(found) == 1 else None


_SIDES = {"height": ("h", "height", "rows", "hgt", "ht"), "width": ("w", "width", "cols", "wid", "wd")}


def image_side(node) -> Optional[str]:
    """"height" or "width" when the names in a size expression say which side of an image it is (``IMG_H``,
    ``cfg.width``, ``self.img_rows``), else None -- both, neither, or a literal."""
    names = [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(node) if isinstance(n, (ast.Name, ast.Attribute))]
    found = set()
    for name in names:
        parts = [p for p in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name.lower()) if p]
        found |= {side for side, words in _SIDES.items() if any(p in words for p in parts)}
    return found.pop() if len(found) == 1 else None


def element_roles(node) -> Optional[list]:
    """Roles the names of a shape tuple's elements state (``(len(FEATURES), LOOKBACK)`` -> [F, T])."""
    if not isinstance(node, (ast.Tuple, ast.List)):
        return None
    out = []
    for e in node.elts:
        keys = {id(n.value) for n in ast.walk(e) if isinstance(n, ast.Subscript) and _key(n) is not None}
        names = [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(e)
                 if isinstance(n, (ast.Name, ast.Attribute)) and not (isinstance(n, ast.Name) and n.id == "len")
                 and id(n) not in keys] + [_key(n) for n in ast.walk(e) if isinstance(n, ast.Subscript)
                                           and _key(n) is not None]
        found = {role_of_name(n) for n in names} - {None}
        out.append(found.pop() if len(found) == 1 else None)
    return out


def _key(node: ast.Subscript) -> Optional[str]:
    """The string key of a config entry (``params["seq_len"]``): it names the size, the dict does not."""
    return node.slice.value if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str) else None


_ALIKE = {roles.C: roles.F, roles.F: roles.C, roles.T: roles.S, roles.S: roles.T}


def compatible(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """Whether a name's role agrees with the role a layer reads: channels and features read alike, and so do time
    and the steps a Conv1D slides over. None when either is unknown."""
    if a is None or b is None:
        return None
    return a == b or _ALIKE.get(a) == b
