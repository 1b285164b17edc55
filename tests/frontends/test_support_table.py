"""The library-support modules load by need (frontends/source/api.py): ``ALWAYS`` for every file with an import or a
class, the others the first time a name under one of their packages in ``SUPPORT`` is looked up. That is only the
same as loading everything if a lazily loaded module registers nothing another file could reach before it loads:
handlers for names under its own packages, methods and attributes of its own classes, no start hooks. A handler
added to the wrong module, or a module or package missing from the table, fails here with what to change."""
import json
import pkgutil
import subprocess
import sys

import pytest

import shapelint.frontends.source as source
from shapelint.frontends.source import api

LAZY = sorted({m for mods in api.SUPPORT.values() for m in mods})

# In a fresh interpreter: the registrations ALWAYS makes, then what importing one lazy module adds or replaces.
_ADDED = """
import importlib, json, sys
from shapelint.frontends.source import api
def table():
    return ({k: v for k, v in api._HANDLERS.items()}, {p: f for p, f in api._PREFIX_HANDLERS},
            {(c, n): f for (c, n), f in api._METHODS.items()}, {(c, n): f for (c, n), f in api._ATTRS.items()},
            list(api._START_HOOKS))
api.load_always()
before = table()
importlib.import_module("shapelint.frontends.source." + sys.argv[1])
after = table()
# what each module imported with it registered: {module of the function: [key, ...]}
new = lambda i, key=str: [[f.__module__, key(k)] for k, f in after[i].items() if before[i].get(k) is not f]
cls = lambda k: [k[0].__module__, k[0].__qualname__, k[1]]
print(json.dumps({"handlers": new(0), "prefixes": new(1), "methods": new(2, cls), "attributes": new(3, cls),
                  "hooks": [f.__module__ for f in after[4] if f not in before[4]]}))
"""


def _added(module: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _ADDED, module], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_every_support_module_is_in_the_table_once():
    modules = [m.name for m in pkgutil.iter_modules(source.__path__) if m.name.endswith("_api")]
    listed = list(api.ALWAYS) + LAZY
    missing = [m for m in modules if m not in listed]
    assert missing == [], f"add {missing} to api.ALWAYS or to the packages it supports in api.SUPPORT"
    assert not set(api.ALWAYS) & set(LAZY), "a module is in both api.ALWAYS and api.SUPPORT"


@pytest.mark.parametrize("module", LAZY)
def test_a_lazy_module_registers_only_what_its_packages_reach(module):
    packages = [p for p, mods in api.SUPPORT.items() if module in mods]
    own = f"{source.__name__}.{module}"
    added = _added(module)
    others = {m for kind in ("handlers", "prefixes", "methods", "attributes") for m, _ in added[kind] if m != own}
    assert not others - {f"{source.__name__}.{m}" for m in LAZY}, \
        f"importing {module} loads {sorted(others)}, which register handlers: add them to api.SUPPORT"

    def mine(kind):  # the other modules' registrations are tested on their own
        return [k for m, k in added[kind] if m == own]
    wrong = [k for k in mine("handlers") + [p.rstrip(".") for p in mine("prefixes")]
             if not any(_under(k, p) for p in packages)]
    assert wrong == [], (f"{module} loads only for names under {packages} (api.SUPPORT) but registers handlers "
                         f"for {wrong}: register them in a module that is loaded for them, or map their package "
                         "to this module in api.SUPPORT")
    foreign = [f"{q}.{n} (class of {m})" for m, q, n in mine("methods") + mine("attributes") if m != own]
    assert foreign == [], (f"{module} registers methods or attributes of classes it does not define: {foreign}; "
                           "objects of those classes exist before it loads, so register these in an api.ALWAYS "
                           "module (or the class's own module)")
    assert added["hooks"] == [], f"{module} registers an api.on_start hook: an evaluator started before it loaded " \
                                "would miss it; put the hook in an api.ALWAYS module"


_ORDER = """
import importlib, sys
from shapelint.frontends.source import api
api.load_always()
for m in sys.argv[1:]:
    importlib.import_module("shapelint.frontends.source." + m)
name = lambda f: f"{f.__module__}.{f.__qualname__}"
rows = [f"{k} {name(v)}" for k, v in api._HANDLERS.items()] + [f"{p} {name(f)}" for p, f in api._PREFIX_HANDLERS]
rows += [f"{c.__name__}.{n} {name(f)}" for (c, n), f in list(api._METHODS.items()) + list(api._ATTRS.items())]
print("\\n".join(sorted(rows)))
"""


def test_the_lazy_modules_give_the_same_table_in_any_order():
    def table(order):
        return subprocess.run([sys.executable, "-c", _ORDER] + order, capture_output=True, text=True, check=True).stdout
    assert table(LAZY) == table(LAZY[::-1])


def test_a_name_under_a_package_loads_its_modules_before_the_lookup():
    code = ("import sys\nfrom shapelint.frontends.source import api\napi.load_always()\n"
            "before = 'shapelint.frontends.source.torchvision_api' in sys.modules\n"
            "fn, rest = api.find_handler('torchvision.models.resnet18')\n"
            "print(before, fn.__module__, rest)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "shapelint.frontends.source.torchvision_api", "resnet18"]
