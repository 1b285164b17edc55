"""One diagnostic model for every reporter: codes, wording, fixes."""


def __getattr__(name: str):  # Diagnostic, Edit, Fix, Label from model.py, loaded on first use (PEP 562)
    if name in ("Diagnostic", "Edit", "Fix", "Label"):
        from . import model  # deferred: PEP 562, see the line above
        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
