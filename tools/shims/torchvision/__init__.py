"""Verification shim (tools/verify_corpus.py): torchvision is not installed and nothing is downloaded. Datasets give
random images with the real sizes, channel counts and lengths; transforms do what torchvision's do to shapes."""
from . import datasets, transforms  # noqa: F401
