"""The framework-free core: dimensions, shape formulas, the Program IR, the rule registry and inference."""
