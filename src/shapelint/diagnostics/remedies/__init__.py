"""Every remedy (the ``help:`` line's imperative fix) that a rule writes itself, in one place.

wording.py holds the message templates keyed by code name; the remedies here are the sentences a rule picks for the
case it recognised, passed as ``remedy=`` (or ``help_override=``) in its Mismatch. One function per remedy, named
after what it advises, taking the values it interpolates. Grouped by rule family, in the order of rules/keras and
rules/torch.

The sentences live in shared.py, keras.py, torch.py and (the checks added for issue #10) masks.py,
data_pipelines.py, selection.py and keras_ops.py; rules call them as ``remedies.name(...)``.
"""
from .data_pipelines import *  # noqa: F401,F403
from .keras import *  # noqa: F401,F403
from .keras_ops import *  # noqa: F401,F403
from .masks import *  # noqa: F401,F403
from .selection import *  # noqa: F401,F403
from .shared import *  # noqa: F401,F403
from .torch import *  # noqa: F401,F403
from .rootcause import *  # noqa: F401,F403
