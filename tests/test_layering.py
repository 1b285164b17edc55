"""The package's import layers (DESIGN.md, "Layers"), checked on every import statement -- also the ones inside
functions, which run later but are dependencies all the same. Bottom to top; a module may import from its own layer
and the layers below it, never from a layer above, and no imports may form a cycle, within a layer or across:

    core            the framework-free core: dims, values, the Program IR, the rule registry, inference
    helpers         modules that import nothing from shapelint (reading files, inline suppressions, library names,
                    how often the garbage collector runs)
    diagnostics     the diagnostic model, codes, wording, remedies, fix intents and edits, Mismatch -> Diagnostic
    rules, report   shape rules per layer and op | the Result of a check and the reporters that render it
    analysis        front-ends (source, notebook, live, saved), cross-op checks, root-cause analysis
    files           checking one path (files.py), then many (runner.py)
    api             the Python API
    commands        --fix, explain, settings, `shapelint run`, the Jupyter extension, the language server
    cli             the command line
    root            the package itself (it wires the core to the diagnostics layer) and ``python -m shapelint``

An import of a module's own enclosing package (``from .. import __version__``) is not an edge: the package has run
before any of its modules can (as in the layering tool, /work/shared/tools/layering.py).

Optional heavy dependencies (the frameworks, libcst, rich, pygls, IPython, h5py) are imported inside the functions
that need them, so the core runs without them and a run loads only what it uses; each such import says why in a
comment on its line or the line above.
"""
from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "shapelint"
OPTIONAL = ("torch", "keras", "tensorflow", "tf_keras", "jax", "libcst", "rich", "pygls", "lsprotocol", "IPython",
            "h5py")
# modules that are nothing without their optional dependency; their package imports them where needed, with the why
BUILT_ON_AN_OPTIONAL_DEPENDENCY = {"lsp.server"}  # the language server, on pygls (lsp/__init__.py: the `lsp` extra)

LAYERS = [  # bottom to top: module names relative to the package ("" is the package's __init__)
    ("core", ["core"]),
    ("helpers", ["reading", "suppress", "libnames", "collection"]),
    ("diagnostics", ["diagnostics"]),
    ("rules, report", ["rules", "result", "reporters"]),
    ("analysis", ["frontends", "checks", "rootcause"]),
    ("files", ["files", "runner"]),
    ("api", ["api"]),
    ("commands", ["fixing", "explain", "config", "runtime", "jupyter", "lsp"]),
    ("cli", ["cli"]),
    ("root", ["", "__main__"]),
]


@functools.lru_cache(maxsize=None)  # read and scanned once for all the tests here
def _scanned() -> dict:
    """Module -> (its lines, its import statements, the lines hiding an import)."""
    out = {}
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        out[module] = (text.splitlines(), *import_statements(text))
    return out


def _modules() -> dict:
    """Dotted module name (``shapelint.core.infer``; a package by its own name) -> its file."""
    mods = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return mods


def _targets(module: str, is_package: bool, node, mods: dict) -> list:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        # ``from . import feed`` names a module; ``from .api import check`` a name in one
        names = [f"{target}.{a.name}" if f"{target}.{a.name}" in mods else target for a in node.names]
    out = []
    for name in names:
        while name and name not in mods:  # ``import shapelint.core.dims.foo``: the longest module it names
            name = name.rpartition(".")[0]
        if name and name != module and not module.startswith(name + "."):
            out.append(name)
    return out


_IMPORT = re.compile(r"[ \t]*(?:import[ \t]|from[ \t]+[\w.]+[ \t]+import\b)")
_HIDDEN_IMPORT = re.compile(r"[:;][ \t]*(?:import[ \t]|from[ \t]+[\w.]+[ \t]+import\b)")
_TRIPLE_QUOTE = re.compile(r'"""|\'\'\'')


def import_statements(text: str):
    """(line, ast node) of every import statement of a module, at any depth (in functions too), and the lines that
    hide an import after a ``:`` or ``;``. Only the import statements are parsed -- parsing whole files takes seconds
    on a busy machine, and this test is meant to take a fraction of one -- so lines inside triple-quoted strings are
    skipped, and an import must start its own line (``_HIDDEN_IMPORT`` finds the ones that do not)."""
    lines = text.splitlines()
    found, hidden = [], []
    quote = None
    i = 0
    while i < len(lines):
        code = lines[i].split("#", 1)[0] if quote is None else ""
        if quote is None and _IMPORT.match(code):
            j, statement = i, lines[i]
            while j + 1 < len(lines):
                bare = statement.split("#", 1)[0].rstrip()  # a comment on the statement's last line so far
                if bare.count("(") <= bare.count(")") and not bare.endswith("\\"):
                    break
                j += 1
                statement = bare + "\n" + lines[j]
            for node in ast.parse(statement.lstrip()).body:
                found.append((i + 1, node))
            i = j + 1
            continue
        if quote is None and _HIDDEN_IMPORT.search(code) and not code.lstrip().startswith(("\'", '"')):
            hidden.append(i + 1)
        for m in _TRIPLE_QUOTE.finditer(lines[i]):
            quote = m.group() if quote is None else None if m.group() == quote else quote
        i += 1
    return found, hidden


@functools.lru_cache(maxsize=None)
def import_edges() -> dict:
    """(importer, imported) -> first line of the import, for every import inside the package."""
    mods = _modules()
    edges: dict = {}
    for module, (_, found, _) in _scanned().items():
        for line, node in found:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, mods[module].name == "__init__.py", node, mods):
                    edges.setdefault((module, target), line)
    return edges


def layer_of(module: str):
    """Index of the layer a module belongs to (longest declared prefix), or None when no layer declares it."""
    rel = module.partition(".")[2]
    best = None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if rel == p or (p and rel.startswith(p + ".")):
                if best is None or len(p) > best[1]:
                    best = (i, len(p))
    return best[0] if best else None


def cycles(edges) -> list:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict = {}
    low: dict = {}
    stack, on_stack, found = [], set(), []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(graph[w])))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_module_has_a_layer():
    missing = sorted(m for m in _modules() if layer_of(m) is None)
    if missing:
        pytest.fail("declare a layer for these modules in LAYERS (tests/test_layering.py) and DESIGN.md: " +
                    ", ".join(missing))


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for (a, b), line in sorted(import_edges().items()):
        la, lb = layer_of(a), layer_of(b)
        if la is not None and lb is not None and lb > la:
            upward.append(f"{a} (line {line}, layer {LAYERS[la][0]}) -> {b} (layer {LAYERS[lb][0]})")
    if upward:
        pytest.fail("imports from a higher layer:\n  " + "\n  ".join(upward))


def test_no_import_cycles():
    edges = import_edges()
    report = []
    for component in cycles(edges):
        members = set(component)
        inside = sorted(f"{a} -> {b} (line {line})" for (a, b), line in edges.items() if a in members and b in members)
        report.append("cycle of " + ", ".join(component) + ":\n    " + "\n    ".join(inside))
    if report:
        pytest.fail("import cycles:\n  " + "\n  ".join(report))


def test_optional_dependencies_are_imported_where_needed_and_say_why():
    uncommented = []
    for module, (lines, found, _) in sorted(_scanned().items()):
        for line, node in found:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if not node.level else []
            if not any(n.split(".")[0] in OPTIONAL for n in names):
                continue
            text, above = lines[line - 1], lines[line - 2].strip() if line > 1 else ""
            if not text[:1].isspace():
                if module.partition(".")[2] not in BUILT_ON_AN_OPTIONAL_DEPENDENCY:
                    uncommented.append(f"{module} line {line}: at module level: {text.strip()}")
            elif "#" not in text and not above.startswith("#"):
                uncommented.append(f"{module} line {line}: {text.strip()}")
    if uncommented:
        pytest.fail("optional dependencies: import them inside the function that needs them, with a comment saying "
                    "why:\n  " + "\n  ".join(uncommented))


def test_every_import_inside_a_function_says_why():
    """Imports belong at the top of a module. One inside a function is a deliberate deferral (start-up: a command, a
    reporter, a framework's rules or the fix machinery loaded only when the run needs it; an optional dependency) and
    says so in a comment on its line or the line above -- or it follows such an import as one group."""
    uncommented = []
    for module, (lines, found, _) in sorted(_scanned().items()):
        for line, _node in found:
            text = lines[line - 1]
            if not text[:1].isspace():
                continue  # module level
            if not _says_why(lines, line):
                uncommented.append(f"{module} line {line}: {text.strip()}")
    if uncommented:
        pytest.fail("imports inside functions: move them to the top of the module, or say why they are deferred:\n  "
                    + "\n  ".join(uncommented))


def _says_why(lines: list, line: int) -> bool:
    """Whether the import at ``line`` (1-based) has a comment on it or above it, or follows an import that does."""
    while line >= 1:
        text = lines[line - 1]
        if "#" in text:
            return True
        above = lines[line - 2].strip() if line > 1 else ""
        if above.startswith("#"):
            return True
        if not _IMPORT.match(above):
            return False
        line -= 1
    return False


def test_every_import_starts_its_own_line():
    """What ``import_statements`` relies on: no ``if x: import y`` or ``a; import b``."""
    hidden = [f"{m} line {n}" for m, (_, _, lines) in sorted(_scanned().items()) for n in lines]
    if hidden:
        pytest.fail("put these imports on their own line:\n  " + "\n  ".join(hidden))


def test_the_check_itself_finds_what_it_should():
    """The checker sees a function-level import and reports an upward edge and a cycle with their lines."""
    assert layer_of("shapelint.core.infer") < layer_of("shapelint.diagnostics.build") < layer_of("shapelint.cli")
    assert layer_of("shapelint") == len(LAYERS) - 1
    assert cycles({("a", "b"): 1, ("b", "c"): 2, ("c", "a"): 3, ("c", "d"): 4}) == [["a", "b", "c"]]
    text = ('"""A docstring.\n\nimport shapelint.cli\n"""\nimport os\n\n\ndef f():\n    from ..diagnostics import (\n'
            '        build,  # (the builder\n        model)\n    if f: import shapelint.cli\n')
    found, hidden = import_statements(text)
    assert [line for line, _ in found] == [5, 9] and hidden == [12]
    mods = {"shapelint.core.infer": None, "shapelint.diagnostics": None, "shapelint.diagnostics.build": None,
            "shapelint.diagnostics.model": None}
    assert _targets("shapelint.core.infer", False, found[1][1], mods) == ["shapelint.diagnostics.build",
                                                                             "shapelint.diagnostics.model"]
