"""PyTorch shape rules, matching torch 2.13 (meta registrations and module forward checks)."""
import importlib
import pkgutil

# Every module in this package registers its rules on import; new family modules are picked up automatically.
for _m in pkgutil.iter_modules(__path__):
    if not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")
