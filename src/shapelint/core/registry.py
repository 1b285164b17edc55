"""The rule registry: one pure shape rule per (framework, layer class).

A rule is registered with its constructor signature, written as Python parameters::

    @rule("keras", "Dense", "units, activation=None, use_bias=True, **kwargs")
    def dense(layer, x): ...

The signature lets every front-end bind positional and keyword arguments the same way the framework does and
fill in defaults, so rules read ``layer.arg("use_bias")`` without caring how the user wrote the call.

Rule calling convention: ``fn(layer, *inputs) -> Value``. Inputs are :class:`~shapelint.core.values.Value`.
Unless ``accepts_unknown=True``, inference skips the rule (output unknown) when an input's rank is unknown.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

REQUIRED = object()  # marker for a parameter without default


@dataclass(frozen=True)
class Signature:
    params: tuple  # positional-or-keyword parameter names, in order
    defaults: dict  # name -> default (REQUIRED when none)
    var_kwargs: bool = True
    var_args: Optional[str] = None  # name of *args: extra positionals are bound to it as a tuple

    @classmethod
    def parse(cls, text: str) -> "Signature":
        fn = ast.parse(f"def _({text}): pass").body[0]
        a = fn.args
        names = [p.arg for p in a.posonlyargs + a.args]
        defaults = {n: REQUIRED for n in names}
        for name, node in zip(names[len(names) - len(a.defaults):], a.defaults):
            defaults[name] = ast.literal_eval(node)
        kwonly = [p.arg for p in a.kwonlyargs]
        for name, node in zip(kwonly, a.kw_defaults):
            defaults[name] = REQUIRED if node is None else ast.literal_eval(node)
        return cls(tuple(names), defaults, a.kwarg is not None, a.vararg.arg if a.vararg else None)

    def bind(self, positional: list, keywords: dict) -> tuple[dict, list, list]:
        """Bind call arguments. Returns (args with defaults, names given by the user, problems).

        ``positional`` and ``keywords`` hold already-evaluated values. Problems are human-readable strings
        (too many positional arguments, unexpected keyword, missing required argument).
        """
        args: dict = {}
        given: list = []
        problems: list = []
        for i, value in enumerate(positional):
            if i >= len(self.params):
                if self.var_args:
                    args[self.var_args] = tuple(positional[i:])
                    given.append(self.var_args)
                else:
                    problems.append(f"takes at most {len(self.params)} positional arguments")
                break
            args[self.params[i]] = value
            given.append(self.params[i])
        if self.var_args and self.var_args not in args:
            args[self.var_args] = ()
        for name, value in keywords.items():
            if name in args:
                problems.append(f"got multiple values for argument `{name}`")
            elif name not in self.defaults and not self.var_kwargs and name != self.var_args:
                problems.append(f"got an unexpected keyword argument `{name}`")
            args[name] = value
            given.append(name)
        for name, default in self.defaults.items():
            if name not in args:
                if default is REQUIRED:
                    problems.append(f"missing required argument `{name}`")
                else:
                    args[name] = default
        return args, given, problems

    def position_of(self, name: str) -> Optional[int]:
        return self.params.index(name) if name in self.params else None


@functools.lru_cache(maxsize=None)
def parse_signature(text: str) -> Signature:
    """Parsed once per distinct signature text, on first use: parsing every rule's signature at import time was
    most of shapelint's start-up time."""
    return Signature.parse(text)


@dataclass
class Rule:
    framework: str
    kind: str
    fn: Callable
    signature_text: str
    accepts_unknown: bool = False
    implied_input: Optional[Callable] = None  # layer -> Tensor the first layer implies (torch, no input known)
    meta: dict = field(default_factory=dict)

    @property
    def signature(self) -> Signature:
        return parse_signature(self.signature_text)


_RULES: dict = {}


def rule(framework: str, kinds, signature: str = "**kwargs", *, accepts_unknown: bool = False,
         implied_input: Optional[Callable] = None, **meta: Any):
    """Register ``fn`` as the shape rule for one or more layer classes of ``framework``."""
    names = (kinds,) if isinstance(kinds, str) else tuple(kinds)

    def deco(fn: Callable) -> Callable:
        for kind in names:
            key = (framework, kind)
            if key in _RULES:
                raise RuntimeError(f"rule for {key} registered twice")
            _RULES[key] = Rule(framework, kind, fn, signature, accepts_unknown, implied_input, dict(meta))
        return fn

    return deco


def lookup(framework: str, kind: str) -> Optional[Rule]:
    _load(framework)
    return _RULES.get((framework, kind))


def fact(framework: str, kind: str, name: str, default: Any = None) -> Any:
    """A fact declared where the layer's rule is registered (``recurrent=True``, ``loss_target="class-index"``)."""
    r = lookup(framework, kind)
    return r.meta.get(name, default) if r is not None else default


def fact_of(layer, name: str, default: Any = None) -> Any:
    """The fact ``name`` declared for ``layer``'s rule (``fact`` for a layer object)."""
    return fact(layer.framework, layer.kind, name, default)


def has(layer, name: str) -> bool:
    """Whether ``layer``'s rule declares the fact ``name`` (true-valued)."""
    return bool(fact(layer.framework, layer.kind, name))


@functools.lru_cache(maxsize=None)
def kinds_with(framework: str, name: str, value: Any = True) -> frozenset:
    """The layer classes of ``framework`` whose rule declares ``name`` (equal to ``value``): the one place a check
    asks "which layers are recurrent", instead of a list of names kept by hand."""
    _load(framework)
    return frozenset(k for (fw, k), r in _RULES.items() if fw == framework and r.meta.get(name) == value)


def known_kinds(framework: str) -> list:
    _load(framework)
    return sorted(k for (fw, k) in _RULES if fw == framework)


FRAMEWORKS = ("keras", "torch")
_loaded: set = set()


def _load(framework: str) -> None:
    """Import one framework's rule modules (each registers itself) the first time a rule of it is looked up, so a
    Keras-only file never pays for loading the PyTorch rules and vice versa."""
    if framework not in _loaded and framework in FRAMEWORKS:
        _loaded.add(framework)
        import importlib  # deferred: a framework's rules load on first lookup
        importlib.import_module(f"shapelint.rules.{framework}")


def _load_all() -> None:
    for fw in FRAMEWORKS:
        _load(fw)
