"""Cross-op checks: where data, labels, losses and models meet, and silent shape bugs that no single rule sees.

The checks install themselves on every evaluator (``api.on_start``) once this package is imported; the source
front-end's entry point (frontends/source/check.py) imports it:

* ``on_call`` records the calls that feed a model (``model(x)``, ``predict``, ``fit``, ``evaluate``,
  ``train_on_batch``) and ``compile``; PyTorch loss calls (``criterion(output, target)``, ``F.cross_entropy``) are
  checked at once with the loss rules of rules/torch/loss.py;
* a finalizer, run after every model has been run, checks the recorded calls (data vs declared input, sample counts,
  labels vs output vs loss), then the silent bugs of each model (Dense/Linear on an unflattened tensor at the
  output), adds where-the-data-came-from notes and the input-size reasoning to existing diagnostics.

Checks report through :mod:`shapelint.checks.report`; wording lives in diagnostics/wording.py.
"""
from __future__ import annotations

from ..frontends.source import api


@api.on_start
def install(ev) -> None:
    ev.state.on_call = _on_call
    ev.state.finalizers.append(_finalize)


# The checks are imported on the first call the file makes: a file that calls nothing has no model, data or loss to
# check, and never loads them.
def _on_call(ev, func, call) -> None:
    from . import feed  # deferred: see the comment above _on_call
    ev.state.checks_called = True
    ev.state.on_call = feed.on_call
    feed.on_call(ev, func, call)


def _finalize(ev) -> None:
    if ev.state.checks_called or ev.models:
        from . import feed  # deferred: see the comment above _on_call
        feed.finalize(ev)
