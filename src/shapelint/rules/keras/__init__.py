"""Keras 3 shape rules, matching keras 3.15's compute_output_shape and input-spec checks."""
import importlib
import pkgutil

# Every module in this package registers its rules on import; new family modules are picked up automatically.
for _m in pkgutil.iter_modules(__path__):
    if not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")
