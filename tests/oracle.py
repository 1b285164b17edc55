"""The real framework as the oracle of a test: run a test's script in-process and hand back its globals.

``run(src)`` executes ``src`` as ``__main__`` (so ``if __name__ == "__main__":`` blocks run too); a test asserts on
the values it defines, or wraps the call in ``pytest.raises`` for a script that must fail."""
from __future__ import annotations


def run(src: str, name: str = "case.py") -> dict:
    scope = {"__name__": "__main__"}
    exec(compile(src, name, "exec"), scope)  # noqa: S102 -- the tests' own scripts
    return scope
