"""shapelint: find tensor-shape mismatches in Keras and PyTorch models before they run."""
from .api import check  # noqa: F401
from .result import Result  # noqa: F401

__version__ = "0.1.0"
