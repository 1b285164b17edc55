"""Root-cause analysis: from where a mismatch surfaces to where it was written (engine.py)."""
from .engine import diagnose

__all__ = ["diagnose"]
