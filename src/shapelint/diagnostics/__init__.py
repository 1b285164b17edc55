"""One diagnostic model for every reporter: codes, wording, fixes."""
from .model import Diagnostic, Edit, Fix, Label  # noqa: F401
