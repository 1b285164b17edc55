"""Causes in a generator's start size. A DCGAN-style generator reshapes a Dense output to a small map (7x7) and
upsamples it (x2, x2) to the image size; copied from a 28x28 model, it gives 28x28 where the discriminator (and the
real images) are 32x32. The mismatch shows where the discriminator is called on the generator's output; the number
that is wrong is the start size, which must be the image size divided by the upsampling factor. Padding or resizing
the output, or shrinking the discriminator, would run and leave the real images unfit."""
from __future__ import annotations

import ast
import re
from math import prod
from typing import Optional

from ...checks.facts import LabelFacts, LossFacts, ModelCallFacts
from ...core import provenance
from ...core.dims import is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, module_value, node_at, size_arguments, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


_RESHAPES = ("Reshape", "view", "reshape", "Unflatten")


def _output_against_wanted(ctx, f) -> Optional[tuple]:
    """(the value the model made, its shape, the shape wanted of it, the run, who wants it) when a model's image
    output meets a size it must have: the discriminator it feeds (GAN), the targets it is fitted to (an
    autoencoder's images, Keras) or the target of its loss (PyTorch)."""
    if isinstance(f, ModelCallFacts):
        return f.given, getattr(f.given, "shape", None), getattr(f.declared, "shape", None), f.inference, "model"
    inference = getattr(f.run, "inference", None) if isinstance(f, LabelFacts) else None
    output = getattr(getattr(f.run, "program", None), "output", None) if inference is not None else None
    if output is not None and f.pred is not None:  # (one output of a multi-output model: its run is a stand-in)
        return output, tuple(f.pred), getattr(f.y, "shape", None), inference, "targets"
    if isinstance(f, LossFacts) and f.pred is not None and f.target is not None:
        run = ctx.run_returning(f.pred.value)
        if run is not None:
            return f.pred.value, getattr(f.pred.value, "shape", None), getattr(f.target.value, "shape", None), \
                run.inference, "targets"
    return None


def _image_axes(inference) -> tuple:
    """(channels, height, width) axes of a 4-D image batch in this run's framework: Keras channels-last, PyTorch
    channels-first. (A Keras model that says ``channels_first`` anywhere is left alone.)"""
    if inference.program.framework == "keras":
        if any(op.layer.args.get("data_format") == "channels_first" for op in inference.program.ops):
            return None
        return 3, 1, 2
    return 1, 2, 3


def generator_start(ctx, d):
    found = _output_against_wanted(ctx, d.facts)
    if found is None:
        return
    value, given, declared, inference, wanter = found
    axes = _image_axes(inference)
    if axes is None or not given or not declared or len(given) != 4 or len(declared) != 4:
        return
    c, h, w = axes
    if given[c] != declared[c]:
        return
    (gh, gw), (th, tw) = (given[h], given[w]), (declared[h], declared[w])
    if not all(isinstance(v, int) for v in (gh, gw, th, tw)) or (gh, gw) == (th, tw):
        return
    found = _start(inference, value, (h, w))
    if found is None:
        return
    reshape, factor = found
    sh, sw = reshape.output.shape[h], reshape.output.shape[w]
    if not isinstance(sh, int) or not isinstance(sw, int) or (sh * factor, sw * factor) != (gh, gw) or \
            th % factor or tw % factor:
        return
    wh, ww = th // factor, tw // factor
    span = reshape.layer.origin.span
    if span is None:
        return
    counted = _upsampling_count(ctx, inference, value, factor, th // sh if th % sh == 0 else None,
                                tw // sw if tw % sw == 0 else None, (h, w)) if min(sh, sw) >= 4 else None
    if counted is not None:  # a 4x4 (or larger) seed doubled once too often: the loop's count is what is off
        count_span, old, new, where = counted
        help_text = remedies.upsample_count(old, new)
        yield Cause("generator-start", 84, Label(count_span, remedies.upsample_count_label(old, sh, gh), d.file),
                    remedies.upsample_count_note(sh, sw, old, gh, gw, th, tw, new, wanter), help_text,
                    fix=Fix("unsafe", help_text, [Edit(count_span, str(new))]),
                    secondary=[Label(where, remedies.upsampled_here(), d.file)], strong=True)
        return
    edits = _edits(ctx, inference, reshape, (sh, sw), (wh, ww), channels_last=c == 3)
    setting = _start_setting(ctx, reshape, sh, wh, th, factor, channels_last=c == 3) \
        if not edits and (sh, wh) == (sw, ww) else None
    if setting is not None:  # `SEED_SQUARE = 4` read by the Reshape and the Dense: the setting is the mistake
        at, text = setting
        help_text = remedies.start_setting(ctx.text(at), text)
        yield Cause("generator-start", 84, Label(at, remedies.generator_start_label(sh, sw, factor, gh, gw, wanter),
                                                 d.file),
                    remedies.generator_start_note(th, tw, factor, wh, ww, wanter), help_text,
                    fix=Fix("unsafe", help_text, [Edit(at, text)], resizes_all_readers=True),
                    secondary=[Label(span, remedies.start_setting_read_here(), d.file)], strong=True)
        return
    maker = inference.producer_of(reshape.inputs[0])
    help_text = remedies.generator_start(wh, ww, wanter, reshape.layer.kind,
                                         maker.layer.kind if maker is not None else "layer")
    fix = Fix("unsafe", help_text, edits) if edits else None
    label = remedies.generator_start_label(sh, sw, factor, gh, gw, wanter)
    yield Cause("generator-start", 83, Label(span, label, d.file),
                remedies.generator_start_note(th, tw, factor, wh, ww, wanter), help_text, fix=fix, strong=True)


def _upsampling_count(ctx, inference, value, factor: int, want_h, want_w, hw: tuple) -> Optional[tuple]:
    """(span of the count, its value, the count that gives the wanted size, span of the loop) when the ops that
    scale the map are built in one ``for _ in range(COUNT)`` loop doubling once per turn, and another count of
    doublings gives exactly the wanted size. The count is the literal in ``range(...)`` or the module constant it
    names (``GEN_UPSAMPLES = 5``)."""
    n = factor.bit_length() - 1
    if factor != 2 ** n or want_h != want_w or not want_h or want_h & (want_h - 1):
        return None
    m = want_h.bit_length() - 1
    h, w = hw
    loops = set()
    for _, op in inference.walk_back(value, depth=256):
        if op is None or not op.inputs:
            break
        if op.layer.kind in _RESHAPES:
            break
        x, out = getattr(op.inputs[0], "shape", None), getattr(op.output, "shape", None)
        if x and out and len(x) == 4 and len(out) == 4 and (x[h], x[w]) != (out[h], out[w]):
            if not isinstance(x[h], int) or not isinstance(out[h], int) or out[h] != 2 * x[h]:
                return None  # one scaling op that does not double: the count alone does not set the size
            node = node_at(op.layer.origin.span, ctx.lines)
            loop = enclosing(node, (ast.For,)) if node is not None else None
            if loop is None:
                return None
            loops.add(loop)
    if len(loops) != 1 or m < 1 or m == n:
        return None
    loop = loops.pop()
    it = loop.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and
            len(it.args) == 1):
        return None
    count = it.args[0]
    if isinstance(count, ast.Name):
        count = module_value(tree_of(ctx.lines), count.id)
    if not (isinstance(count, ast.Constant) and type(count.value) is int and count.value == n):
        return None
    return Span.of(count), n, m, Span.of(loop.iter)


def _start(inference, value, hw: tuple) -> Optional[tuple]:
    """(the reshape op that starts the map, the factor the ops after it scale its height and width by)."""
    h, w = hw
    factor = 1
    for _, op in inference.walk_back(value, depth=256):
        if op is None or not op.inputs:
            return None
        if op.layer.kind in _RESHAPES:
            out = getattr(op.output, "shape", None)
            return (op, factor) if factor > 1 and out is not None and len(out) == 4 else None
        x, out = getattr(op.inputs[0], "shape", None), getattr(op.output, "shape", None)
        if not x or not out or len(x) != 4 or len(out) != 4:
            return None
        if (x[h], x[w]) != (out[h], out[w]):
            if not all(isinstance(v, int) and v for v in (x[h], x[w], out[h], out[w])) or out[h] % x[h] or \
                    out[w] % x[w] or out[h] // x[h] != out[w] // x[w]:
                return None  # a size-changing op that does not scale evenly: not a plain upsampling chain
            factor *= out[h] // x[h]
    return None


def _shape_literals(node) -> Optional[list]:
    """The shape a reshape writes, as the list of its element nodes: ``Reshape((7, 7, 128))``,
    ``nn.Unflatten(1, (128, 7, 7))``, ``x.view(-1, 128, 7, 7)`` or ``x.view((-1, 128, 7, 7))``."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    sizes = size_arguments(node)
    if sizes and isinstance(sizes[-1], (ast.Tuple, ast.List)):  # `Unflatten(dim, sizes)`: the sizes are its last
        return list(sizes[-1].elts)
    return sizes if len(sizes) > 1 else None


def _edits(ctx, inference, reshape, old: tuple, new: tuple, channels_last: bool) -> list:
    """``Reshape((7, 7, 128))`` -> ``Reshape((8, 8, 128))`` (or ``view(-1, 128, 7, 7)`` -> ``view(-1, 128, 8, 8)``)
    and the Dense / Linear before it, ``128 * 7 * 7`` -> ``128 * 8 * 8``, when both are written with those literals;
    else nothing (the help says what to change)."""
    elts = _shape_literals(node_at(reshape.layer.origin.span, ctx.lines))
    if not elts or len(elts) < 3:
        return []
    sizes = elts[-3:-1] if channels_last else elts[-2:]
    if not all(isinstance(e, ast.Constant) and type(e.value) is int for e in sizes) or \
            (sizes[0].value, sizes[1].value) != old:
        return []
    edits = [Edit(Span.of(sizes[0]), str(new[0])), Edit(Span.of(sizes[1]), str(new[1]))]
    maker = inference.producer_of(reshape.inputs[0])
    width = {"Dense": "units", "Linear": "out_features"}.get(maker.layer.kind) if maker is not None else None
    span = maker.layer.arg_spans.get(width) if width else None
    text = ctx.text(span)
    pattern = rf"^(.*\b){old[0]}\s*\*\s*{old[1]}(\b.*)$"
    m = re.match(pattern, text or "")
    if m is None or span is None:
        return []
    edits.append(Edit(span, f"{m.group(1)}{new[0]} * {new[1]}{m.group(2)}"))
    return edits


def _start_setting(ctx, reshape, old: int, new: int, image: int, factor: int, channels_last: bool):
    """(span of the literal, its new text) when the start map's height and width are both one module-level name
    bound to the literal ``old`` (``SEED_SQUARE = 4`` read by ``Reshape((SEED_SQUARE, SEED_SQUARE, 64))``): the new
    size spelled from the module name that holds the image size (``GENERATE_SQUARE // 32``), else as a number."""
    elts = _shape_literals(node_at(reshape.layer.origin.span, ctx.lines))
    sizes = (elts[-3:-1] if channels_last else elts[-2:]) if elts and len(elts) >= 3 else []
    if len(sizes) != 2 or not all(isinstance(e, ast.Name) for e in sizes) or sizes[0].id != sizes[1].id:
        return None
    tree = tree_of(ctx.lines)
    value = module_value(tree, sizes[0].id)
    if not isinstance(value, ast.Constant) or value.value != old:
        return None
    scope = getattr(getattr(ctx.ev, "module", None), "vars", None) or {}
    names = [s.targets[0].id for s in tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1 and
             isinstance(s.targets[0], ast.Name) and s.targets[0].id != sizes[0].id]
    named = [n for n in names if isinstance(scope.get(n), int) and not isinstance(scope.get(n), bool) and
             scope.get(n) == image]
    return Span.of(value), f"{named[0]} // {factor}" if len(named) == 1 else str(new)


_NOISE = ("randn", "rand", "zeros", "ones", "empty", "normal", "randint")
_CONVS = ("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "Conv1d", "Conv2d", "Conv3d")


def latent_without_spatial_axes(ctx, d):
    """A DCGAN generator whose first layer is a (transposed) convolution fed a latent batch (N, nz): the noise needs
    its 1x1 spatial axes, ``torch.randn(batch_size, nz, 1, 1)``. The mistake is where the noise is drawn; flattening
    it into the model (an ``nn.Unflatten`` in front of the generator) would bend the model to the data."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "rank-mismatch" or f.op.layer.kind not in _CONVS or \
            not f.op.inputs:
        return
    inputs = f.inference.program.inputs
    x = f.op.inputs[0]
    if not inputs or x is not inputs[0] or getattr(x, "shape", None) is None or len(x.shape) != 2:
        return
    spatial = int(f.op.layer.kind[-2])
    if x.shape[1] != f.op.layer.args.get("in_channels"):
        return
    feed = ctx.feed_into(f.inference)
    data = feed.x if feed is not None else None
    site = getattr(data, "origin", None)
    call = node_at(site, ctx.lines, ast.Call) if site is not None else None
    name = call.func.attr if call is not None and isinstance(call.func, ast.Attribute) else \
        getattr(getattr(call, "func", None), "id", None)
    if call is None or name not in _NOISE or call.keywords and name != "randint" or not call.args:
        return
    sizes = call.args if name != "randint" else []
    if len(sizes) != 2 or any(isinstance(a, ast.Starred) for a in sizes):
        return
    last = Span.of(sizes[-1])
    ones = ", 1" * spatial
    edit = Edit(Span(last.end_line, last.end_column, last.end_line, last.end_column), ones)
    spelled = ctx.text(site)
    spelled = spelled[:-1] + ones + ")" if spelled and spelled.endswith(")") and not call.keywords else None
    help_text = remedies.noise_spatial_axes(spelled or f"... {ones.strip(', ')}")
    yield Cause("missing-axes", 86, Label(site, remedies.noise_without_axes(tuple(x.shape), spatial), d.file),
                remedies.noise_note(f.op.layer.kind, spatial), help_text, fix=Fix("unsafe", help_text, [edit]),
                strong=True)


def images_larger_than_the_model_reduces(ctx, d):
    """A DCGAN discriminator reduces 64x64 images to one score each (four stride-2 convolutions, then a 4x4 valid
    one); with ``image_size`` raised to 128 it gives a 5x5 map per real image, and the loss sees 25 rows per label.
    The same model gives one score per image for the generator's 64x64 output: the architecture is right for that
    size, and the number that is wrong is where the real images' size was written. Averaging the map, or labels made
    the map's shape, would run and compare 128x128 real images with 64x64 fakes."""
    f = d.facts
    if not isinstance(f, LossFacts) or not f.pred.shape or not f.target.shape:
        return
    rows, n = f.pred.shape[0], f.target.shape[0]  # prod() reads the whole prediction; of the target, its rows
    if not all(is_known(v) for v in f.pred.shape) or not is_known(n) or rows <= n or rows % n:
        return
    for m in ctx.ev.models:
        runs = [r for r in getattr(m, "runs", []) if _image_run(r)]
        for big in runs:
            if not _per_sample(big, n, rows // n) or prod(f.pred.shape) != prod(big.output.shape):
                continue
            for small in runs:
                found = _smaller_size_it_was_built_for(big, small)
                if found is not None:
                    yield _cause(d, m, *found)
                    return


def _image_run(run) -> bool:
    x = run.program.inputs[0] if run.program.inputs else None
    out = run.output
    return isinstance(x, Tensor) and x.shape is not None and len(x.shape) == 4 and isinstance(out, Tensor) and \
        out.shape is not None and all(is_known(v) for v in (*x.shape[1:], *out.shape))


def _per_sample(run, n, per) -> bool:
    """Whether the run's output holds ``per`` values for each of ``n`` samples: (n, *map) with ``per`` values in the
    map, or those maps flattened into one axis (a discriminator's ``.view(-1)``: (n * per,))."""
    shape = run.output.shape
    return shape[0] == n and prod(shape[1:]) == per or len(shape) == 1 and per > 1 and shape[0] == n * per


def _smaller_size_it_was_built_for(big, small) -> Optional[tuple]:
    """(the sizes the big images were written with, the sizes that give one score) when ``small`` is the same model
    run on smaller images of the same channels, giving one value per image."""
    if small is big or prod(small.output.shape[1:]) != 1:
        return None
    first = big.program.ops[0].layer if big.program.ops else None
    channels_last = first is not None and first.framework == "keras"
    axes = (1, 2) if channels_last else (2, 3)
    ch = 3 if channels_last else 1
    xb, xs = big.program.inputs[0].shape, small.program.inputs[0].shape
    if xb[ch] != xs[ch] or any(xb[a] <= xs[a] for a in axes):
        return None
    dims = [xb[a] for a in axes]
    if not all(isinstance(provenance.origin_of(v), provenance.Written) for v in dims):
        return None
    return dims, [xs[a] for a in axes]


def _cause(d, m, dims, sizes) -> Cause:
    sites = {}
    for v, s in zip(dims, sizes):
        sites.setdefault(provenance.root_span(v), (int(v), int(s)))
    edits = [Edit(span, str(new)) for span, (_, new) in sites.items()]
    first = next(iter(sites))
    old, new = tuple(int(v) for v in dims), tuple(int(s) for s in sizes)
    help_text = remedies.images_sized_for_model(old, new)
    return Cause("data-size", 86, Label(first, remedies.images_sized_label(old), d.file),
                 remedies.images_sized_note(m.display_name, old, new), help_text,
                 # the constant is the image size: every reader of it follows the images' size
                 fix=Fix("unsafe", help_text, edits, resizes_all_readers=True), strong=True)
