"""Configuration: ``[tool.shapelint]`` in the nearest ``pyproject.toml`` and the matching command-line flags.

```toml
[tool.shapelint]
select = ["SHP1", "SHP3"]                   # code prefixes to report (default: every code)
ignore = ["SHP201"]                         # code prefixes to drop; the longest matching prefix wins, as in ruff
exclude = ["build", "legacy/*.py"]          # paths (relative to this file) never checked
per-file-ignores = {"tests/*" = ["SHP2"]}   # code prefixes dropped in the files a pattern matches
keras-version = "3.15"                      # the framework versions the code targets (see MODELLED)
torch-version = "2.13"

[tool.shapelint.input-shapes]              # the input where the code does not state it
net = [8, 1, 28, 28]                        # a model, by the name shapelint reports
"scripts/train.py" = [8, 3, 32, 32]         # every model of that file that no call feeds
```

The command line wins over the file: ``--select`` replaces ``select``, ``--ignore`` adds to ``ignore``,
``--input-shape`` replaces the input shapes. Inline suppressions (``# shapelint: ignore[SHP201]``) are applied where
files are checked (suppress.py), so the API and the language server honour them too.
"""
from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable, Optional

from . import __version__

# The framework versions whose behaviour the rules reproduce (the differential tests run against them).
MODELLED = {"keras": "3.15", "torch": "2.13"}
KNOWN_KEYS = {"select", "ignore", "exclude", "per-file-ignores", "input-shapes", "keras-version", "torch-version"}


class ConfigError(ValueError):
    """A setting shapelint cannot use; the message names the file and the key."""


def version_text() -> str:
    return (f"shapelint {__version__} (shape rules of Keras {MODELLED['keras']} and PyTorch {MODELLED['torch']}; "
            f"Python {sys.version.split()[0]})")


def _load_toml(path: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib  # deferred: only when a settings file exists
    else:  # pragma: no cover - the tomli dependency on Python < 3.11
        import tomli as tomllib  # deferred, as tomllib
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def find_pyproject(start: str) -> Optional[str]:
    """The nearest ``pyproject.toml`` with a ``[tool.shapelint]`` table, from ``start`` upwards."""
    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                if "shapelint" in _load_toml(candidate).get("tool", {}):
                    return candidate
            except ValueError as exc:  # broken TOML: ours to report only if it holds our table
                if b"tool.shapelint" in open(candidate, "rb").read():
                    raise ConfigError(f"{candidate}: not valid TOML ({exc})") from None
            except OSError:
                pass
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _codes(value, where: str) -> list:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of code prefixes such as [\"SHP201\", \"SHP3\"]")
    out = []
    for v in value:
        v = v.strip().upper()
        if v in ("ALL", ""):
            v = "SHP"
        if not v.startswith("SHP") or not v[3:].isdigit() and v != "SHP":
            raise ConfigError(f"{where}: `{v}` is not a shapelint code or code prefix (SHP101, SHP1, ...)")
        out.append(v)
    return out


def parse_shape(text: str) -> tuple:
    """A shape as the command line and the settings write it: ``8,3,32,32``, ``(None, 28, 28, 1)``, ``32x32``
    (``None``, ``?``, ``N``, ``B`` or ``batch`` for an unknown size). Raises ValueError."""
    parts = [p.strip() for p in text.replace("(", "").replace(")", "").replace("x", ",").split(",") if p.strip()]
    dims = []
    for p in parts:
        if p.lower() in ("none", "?", "n", "b", "batch"):
            dims.append(None)
        else:
            dims.append(int(p))
    return tuple(dims)


def _shape(value, where: str) -> tuple:
    if isinstance(value, str):
        try:
            return parse_shape(value)
        except ValueError:
            raise ConfigError(f"{where}: `{value}` is not a shape such as [8, 3, 32, 32]") from None
    if not isinstance(value, list) or not all(v is None or isinstance(v, int) or v in ("None", "?", "batch")
                                              for v in value):
        raise ConfigError(f"{where} must be a shape such as [8, 3, 32, 32] (\"None\" for an unknown size)")
    return tuple(v if isinstance(v, int) else None for v in value)


@dataclass
class Settings:
    root: str = "."  # the folder of the pyproject.toml; patterns are relative to it
    source: Optional[str] = None  # the pyproject.toml read, if any
    select: list = field(default_factory=lambda: ["SHP"])
    ignore: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    per_file_ignores: dict = field(default_factory=dict)
    input_shapes: dict = field(default_factory=dict)  # model name or file pattern -> shape
    versions: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    # -- which files --
    def relative(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def excluded(self, path: str) -> bool:
        return path != "-" and any(_matches(self.relative(path), p) for p in self.exclude)

    def filter_paths(self, paths: Iterable[str]):
        return (p for p in paths if not self.excluded(p))

    # -- which codes --
    def selected(self, code: str, path: Optional[str] = None) -> bool:
        ignore = list(self.ignore)
        if path is not None and path != "<stdin>":
            rel = self.relative(path)
            for pattern, codes in self.per_file_ignores.items():
                if _matches(rel, pattern):
                    ignore += codes
        chosen = max([(len(p), True) for p in self.select if code.startswith(p)] +
                     [(len(p), False) for p in ignore if code.startswith(p)], default=(0, False))
        return chosen[1]

    def apply(self, result) -> None:
        """Drop the diagnostics that the settings do not select, file by file."""
        for f in result.files:
            f.diagnostics = [d for d in f.diagnostics if self.selected(d.code, d.file or f.path)]

    # -- input shapes --
    def input_shape_for(self, path: str):
        """What ``check_path`` takes as ``input_shape``: None, one shape, or {model name or "*": shape}."""
        if not self.input_shapes:
            return None
        rel = self.relative(path) if path != "-" else path
        out = {}
        for key, shape in self.input_shapes.items():
            if "/" in key or key.endswith((".py", ".ipynb")) or any(c in key for c in "*?["):
                if _matches(rel, key):
                    out.setdefault("*", shape)
            else:
                out[key] = shape
        return out or None


def _matches(rel: str, pattern: str) -> bool:
    """gitignore-like: a pattern matches the path, a folder above it, or (without a slash) any path component."""
    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern + "/*"):
        return True
    if "/" not in pattern:
        return any(fnmatch.fnmatch(part, pattern) for part in rel.split("/"))
    return False


def from_table(table: dict, root: str, source: Optional[str]) -> Settings:
    where = f"{source or 'settings'}: [tool.shapelint]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    s = Settings(root=root, source=source)
    for key in table:
        if key.replace("_", "-") not in KNOWN_KEYS:
            s.warnings.append(f"{where}: unknown setting `{key}` (known: {', '.join(sorted(KNOWN_KEYS))})")
    get = {k.replace("_", "-"): v for k, v in table.items()}
    if "select" in get:
        s.select = _codes(get["select"], f"{where} select")
    if "ignore" in get:
        s.ignore = _codes(get["ignore"], f"{where} ignore")
    if "exclude" in get:
        ex = get["exclude"]
        if not isinstance(ex, list) or not all(isinstance(p, str) for p in ex):
            raise ConfigError(f"{where} exclude must be a list of path patterns")
        s.exclude = ex
    pfi = get.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where} per-file-ignores must be a table of pattern = [codes]")
    s.per_file_ignores = {p: _codes(c, f"{where} per-file-ignores.{p}") for p, c in pfi.items()}
    shapes = get.get("input-shapes", {})
    if not isinstance(shapes, dict):
        raise ConfigError(f"{where} input-shapes must be a table of model name or file = shape")
    s.input_shapes = {k: _shape(v, f"{where} input-shapes.{k}") for k, v in shapes.items()}
    for fw in ("keras", "torch"):
        v = get.get(f"{fw}-version")
        if v is None:
            continue
        v = str(v)
        s.versions[fw] = v
        if v.split(".")[0] != MODELLED[fw].split(".")[0]:
            name = {"keras": "Keras", "torch": "PyTorch"}[fw]
            s.warnings.append(f"{where}: {fw}-version = \"{v}\": shapelint models {name} {MODELLED[fw]}; "
                              f"shapes that differ between {name} {v.split('.')[0]} and "
                              f"{MODELLED[fw].split('.')[0]} are reported as {name} {MODELLED[fw]} computes them")
    return s


def load_settings(paths: list, config: Optional[str] = None) -> Settings:
    """The settings for a run on ``paths``: ``config`` if given, else the nearest pyproject.toml with a
    ``[tool.shapelint]`` table above the first path (or the working directory)."""
    if config is None:
        start = next((p for p in paths if p != "-"), ".")
        config = find_pyproject(start)
        if config is None:
            return Settings(root=os.getcwd())
    try:
        data = _load_toml(config)
    except FileNotFoundError:
        raise ConfigError(f"{config}: no such file") from None
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigError(f"{config}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("shapelint", {}) if isinstance(data.get("tool"), dict) else {}
    return from_table(table, os.path.dirname(os.path.abspath(config)), config)


def apply_cli(settings: Settings, args) -> Settings:
    """Command-line flags over the file: --select replaces, --ignore adds."""
    if getattr(args, "select", None):
        settings.select = _codes(args.select.split(","), "--select")
    if getattr(args, "ignore", None):
        settings.ignore = settings.ignore + _codes(args.ignore.split(","), "--ignore")
    return settings
