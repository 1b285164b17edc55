"""Shape rules, one module per layer family and framework. Importing this package registers them all."""
from . import keras, torch  # noqa: F401
