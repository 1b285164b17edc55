"""einops patterns (``rearrange``, ``reduce``, ``repeat`` and the Rearrange / Reduce layers), shared by the PyTorch and
Keras rules: the semantics of einops 0.8 (``einops/einops.py``, ``ParsedExpression``).

A pattern ``"b c (h p1) (w p2) -> b (h w) (p1 p2 c)"`` names the input's axes on the left (a parenthesised group is
one axis made of several; ``...`` stands for any number of axes; a number is an axis of that size) and the output's
on the right. Sizes come from the input and from the keyword lengths (``p1=16``); a group may have one unknown
member, inferred by division. einops raises when the input's rank differs from the left side, a group does not divide
its axis, a given length disagrees with the input, or ``repeat`` adds an axis without a length.
"""
from __future__ import annotations

import re
from typing import Optional

from ..core.dims import is_known
from ..core.errors import Mismatch, Unresolved
from ..core.registry import rule
from ..core.values import Tensor
from ..diagnostics import remedies

ELL = "..."  # a bare ellipsis on one side of a pattern (the axes it stands for, in place)
_TOKEN = re.compile(r"\.\.\.|\(|\)|[A-Za-z_][A-Za-z0-9_]*|\d+|\S")


def parse_side(side: str):
    """A side of a pattern as a list of groups; a group is a list of names (str) and sizes (int); a bare ``...`` is
    ELL, a ``(...)`` the group ``[ELL]``. None when the text is not a pattern."""
    groups, current = [], None
    for tok in _TOKEN.findall(side):
        if tok == "(":
            if current is not None:
                return None
            current = []
        elif tok == ")":
            if current is None:
                return None
            groups.append(current)
            current = None
        elif tok == "...":
            (current if current is not None else groups).append("...")  # bare: ELL; in a group: its product
        elif tok.isdigit():
            item = int(tok)
            if current is not None:
                current.append(item)
            else:
                groups.append([item])
        elif tok[0].isalpha() or tok[0] == "_":
            if current is not None:
                current.append(tok)
            else:
                groups.append([tok])
        else:
            return None
    return None if current is not None else groups


def _names(groups) -> list:
    return [n for g in groups if g != ELL for n in g if isinstance(n, str) and n != ELL]


def _bad(detail: str, x: Tensor, remedy: str) -> Mismatch:
    return Mismatch("incompatible-input-shape", arg="pattern", received_shape=x.shape, detail=detail, remedy=remedy)


def einops_shape(kind: str, x: Tensor, pattern, lengths: dict, reduction: Optional[str] = None) -> Tensor:
    """The output of ``einops.<kind>(x, pattern, **lengths)`` (kind: rearrange | reduce | repeat)."""
    if not isinstance(pattern, str) or "->" not in pattern:
        raise Unresolved("pattern")
    left_text, right_text = pattern.split("->", 1)
    left, right = parse_side(left_text), parse_side(right_text)
    if left is None or right is None or any(g != ELL and ELL in g and len(g) > 1 for g in left + right) or \
            any(g != ELL and ELL in g for g in left):
        raise Unresolved("pattern")
    if kind == "rearrange" and any(isinstance(n, int) and n != 1 for g in left + right if g != ELL for n in g):
        return _bad("rearrange does not take anonymous axes other than 1 (use reduce or repeat, or name the axis "
                    "and give its length)", x, remedies.einops_same_names())
    # a length we could not follow (``h=heads``) is an axis of unknown size: it is never inferred
    vague = {k for k, v in lengths.items() if not (isinstance(v, int) and not isinstance(v, bool))}
    sizes = {k: v for k, v in lengths.items() if k not in vague}
    ell = [i for i, g in enumerate(left) if g == ELL]
    fixed = len(left) - len(ell)
    if (ell and x.rank < fixed) or (not ell and x.rank != fixed):
        return _bad(f"the pattern's left side {left_text.strip()!r} names {fixed}{' or more' if ell else ''} axes "
                    f"but the tensor has {x.rank}", x, remedies.einops_one_name_per_axis(x.rank))
    n_ell = x.rank - fixed
    dims = list(x.shape)
    ell_dims = ()
    pos = 0
    for g in left:
        if g == ELL:
            ell_dims = tuple(dims[pos:pos + n_ell])
            pos += n_ell
            continue
        d = dims[pos]
        pos += 1
        if any(n in vague for n in g):
            continue  # the group has a size we cannot know: its members stay unknown
        unknown = [n for n in g if isinstance(n, str) and n not in sizes]
        product = 1
        for n in g:
            v = n if isinstance(n, int) else sizes.get(n)
            if isinstance(v, int):
                product *= v
        if len(unknown) > 1:
            if len(g) > 1:
                raise Unresolved("pattern")  # einops raises too ("could not infer sizes"): let it speak
            continue
        if len(unknown) == 1:
            if is_known(d):
                if product == 0 or d % product:
                    bad = _bad(f"axis {pos - 1} of size {d} does not split into {' x '.join(map(str, g))} "
                               f"(the known part is {product})", x, remedies.einops_lengths_divide(d))
                    # the lengths given by keyword that fail to divide it (h=self.heads): the root-cause analysis
                    # looks for where they were written
                    bad.facts["split_size"] = d
                    bad.facts["split_lengths"] = {n: lengths[n] for n in g if isinstance(n, str) and n in lengths}
                    return bad
                sizes[unknown[0]] = d if product == 1 else d // product  # an axis moved whole keeps its identity
                # (the batch stays the batch the data was made with)
            elif len(g) == 1:
                sizes[unknown[0]] = d  # a symbol (the batch) keeps its name
            continue
        if is_known(d) and d != product:
            return _bad(f"axis {pos - 1} has size {d} but the pattern gives {' x '.join(map(str, g))} = {product}",
                        x, remedies.einops_lengths_divide(d))
    lnames, rnames = set(_names(left)), set(_names(right))
    if kind == "rearrange" and lnames != rnames:
        return _bad(f"rearrange needs the same names on both sides; {sorted(lnames ^ rnames)} appear on one only",
                    x, remedies.einops_same_names())
    if kind == "reduce" and not rnames <= lnames:
        return _bad(f"reduce cannot add the axes {sorted(rnames - lnames)}", x, remedies.einops_same_names())
    if kind == "repeat":
        missing = [n for n in rnames - lnames if n not in sizes and n not in vague]
        if not lnames <= rnames:
            return _bad(f"repeat cannot drop the axes {sorted(lnames - rnames)}", x, remedies.einops_same_names())
        if missing:
            return _bad(f"repeat adds the axes {sorted(missing)} without their lengths", x,
                        remedies.einops_give_lengths(sorted(missing)))
    out = []
    for g in right:
        if g == ELL:
            out.extend(ell_dims)
            continue
        if g == [ELL]:  # (...): the product of the axes the ellipsis stands for
            prod = 1
            for d in ell_dims:
                prod = prod * d if is_known(d) and is_known(prod) else None
            out.append(prod)
            continue
        if len(g) == 1 and isinstance(g[0], str) and isinstance(sizes.get(g[0]), int):
            out.append(sizes[g[0]])  # one axis, moved whole: the same size (the data's batch stays its batch)
            continue
        size, symbolic = 1, None
        for n in g:
            v = n if isinstance(n, int) else sizes.get(n)
            if isinstance(v, int):
                size *= v
            elif isinstance(v, str) and len(g) == 1:
                symbolic = v
            else:
                size = None
                break
        out.append(symbolic if symbolic is not None else size)
    return Tensor(tuple(out), x.dtype)


# -- the rules, registered for each framework that has einops (rules/keras and rules/torch call register) ---------
_OWN = ("pattern", "reduction")


def _lengths(layer) -> dict:
    return {k: v for k, v in layer.args.items() if k not in _OWN}


def _rearrange(layer, x: Tensor):
    return einops_shape("rearrange", x, layer.arg("pattern"), _lengths(layer))


def _reduce(layer, x: Tensor):
    return einops_shape("reduce", x, layer.arg("pattern"), _lengths(layer))


def _repeat(layer, x: Tensor):
    return einops_shape("repeat", x, layer.arg("pattern"), _lengths(layer))


def register(framework: str) -> None:
    """einops.rearrange / reduce / repeat and the Rearrange / Reduce layers of ``einops.layers.<framework>``: the
    pattern semantics are the same on every framework's tensors."""
    rule(framework, ["einops.rearrange", "Rearrange"], "pattern, **axes_lengths")(_rearrange)
    rule(framework, ["einops.reduce", "Reduce"], "pattern, reduction='mean', **axes_lengths")(_reduce)
    rule(framework, "einops.repeat", "pattern, **axes_lengths")(_repeat)
