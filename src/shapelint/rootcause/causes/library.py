"""Causes at a library model's own layers (a torchvision model, frontends/source/torchvision_api.py): its layers are
not the user's to edit, so the cause is in what the user gives it -- gray images fed to a model that takes RGB."""
from __future__ import annotations

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.model import Label
from ..cause import Cause


def gray_images_into_rgb_model(ctx, d):
    """One-channel images fed to a torchvision model whose first conv takes 3: the data is where it is decided
    (repeat the gray channel for pretrained weights, or replace the first conv). Never "set in_channels" on the
    library's own conv."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.layer.extra.get("library_part") or \
            f.mismatch.code != "channel-count-mismatch" or f.mismatch.expected != 3 or f.mismatch.received != 1:
        return
    model, run = ctx.run_of(f.inference)
    feed = ctx.feed_of(model, run)
    site = getattr(feed.x, "origin", None) if feed is not None else None
    node = feed.call.node_of(0, "x") if feed is not None else None
    call_text = ctx.text(Span.of(node)) if node is not None else None
    spelled = f"{call_text}.expand(-1, 3, -1, -1)" if call_text else "images.expand(-1, 3, -1, -1)"
    yield Cause("gray-into-rgb", 78, Label(site, remedies.gray_images_label(), d.file) if site else None,
                remedies.gray_images_note(getattr(model, "display_name", "the model")),
                remedies.repeat_gray_channel(spelled), strong=True)
