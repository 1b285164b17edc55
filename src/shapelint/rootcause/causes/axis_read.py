"""A layer sized by reading the wrong axis of the data: ``Net(X.shape[0])`` for ``X`` of shape (500, 12) builds
``nn.Linear(500, ...)`` -- the number of rows (samples, graph nodes) where the features per row were meant. The
layer then receives its 12 features and raises; the number 500 is not wrong where the layer is built, the axis it
was read from is. The fix reads the axis the layer consumes (``X.shape[1]``): setting ``in_features`` to 12 by hand
would hide where the size comes from, and ``X.T`` would bend the data to the model."""
from __future__ import annotations

import ast
from ...checks.facts import LossFacts
from ...core.dims import is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import node_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ...frontends.source.axis_reads import axis_read
from ..cause import Cause
from ..sites import name_reads
from .numbers import matmul_sides, sized

# classes whose size arguments legitimately read the number of rows: they hold or walk the data, not a layer
_DATA_CLASSES = frozenset(("Tensor", "DataLoader", "TensorDataset", "Size", "DataFrame", "Series"))


def size_read_from_another_axis(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    tree = tree_of(ctx.lines)
    module_vars = getattr(getattr(getattr(ctx, "ev", None), "module", None), "vars", None)
    if tree is None or not isinstance(module_vars, dict):
        return
    for expected, received, shape in _sides(f):
        if not _known(shape) or not isinstance(expected, int) or not isinstance(received, int) or \
                int(expected) == int(received):
            continue
        consumed = [k for k, dim in enumerate(shape) if int(dim) == int(received)]
        read_from = [j for j, dim in enumerate(shape) if int(dim) == int(expected)]
        if len(consumed) != 1 or not read_from:
            continue
        names = [name for name, v in list(module_vars.items()) if _known(getattr(v, "shape", None))
                 and tuple(int(s) for s in v.shape) == tuple(int(s) for s in shape)]
        if not names:
            continue  # no module-level tensor of the data's shape: no read of it to find
        reads = [(node, name, j) for node in ast.walk(tree) for found in [axis_read(node)] if found is not None
                 for name, j in [found] if name in names and j % len(shape) in read_from and _sizes_a_model(tree, node)]
        if len(reads) != 1:
            continue
        node, name, j = reads[0]
        k = consumed[0]
        edit, spelled = _reread(node, name, j, k, len(shape))
        help_text = remedies.read_consumed_axis(spelled)
        yield Cause("axis-read", 88, Label(Span.of(node), remedies.axis_read_label(name, j % len(shape), int(expected)),
                                           d.file),
                    remedies.axis_read_note(name, tuple(int(s) for s in shape), j % len(shape), k, int(received)),
                    help_text, fix=Fix("unsafe", help_text, [edit]), strong=True)
        return


def _sides(f) -> list:
    """[(the size the failing layer was built with, the size the data brings, the shape of that data)]."""
    m = f.mismatch
    if sized(m) and f.op.inputs:
        return [(m.expected, m.received, getattr(f.op.inputs[0], "shape", None))]
    return matmul_sides(m)


def _known(shape) -> bool:
    return isinstance(shape, tuple) and len(shape) >= 2 and all(isinstance(s, int) and not isinstance(s, bool)
                                                                for s in shape)


def _sizes_a_model(tree, node) -> bool:
    """The read is passed to a constructor (``Net(X.shape[0])``, ``GraphConvolution(features.shape[0], 16)``), or
    bound to a name that is (``n_in = X.shape[0]``): not a loop bound, an index draw or a data constructor."""
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.keyword):
        parent = getattr(parent, "_shapelint_parent", None)
    if isinstance(parent, ast.Call) and node is not parent.func:
        return _builds_a_layer(parent)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        scope = tree
        return any(isinstance(p, ast.Call) and _builds_a_layer(p)
                   for read in name_reads(scope, parent.targets[0].id)
                   for p in [getattr(read, "_shapelint_parent", None), getattr(getattr(
                       read, "_shapelint_parent", None), "_shapelint_parent", None)])
    return False


def _builds_a_layer(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    return name is not None and name[:1].isupper() and name not in _DATA_CLASSES


def _reread(node, name: str, j: int, k: int, rank: int) -> tuple:
    """(the edit that reads axis ``k`` where axis ``j`` was read, the read it makes), written as the code wrote it:
    a negative axis stays negative, ``x.size(j)`` stays a ``size`` call."""
    axis = str(k - rank if j < 0 else k)
    if isinstance(node, ast.Subscript):
        return Edit(Span.of(node.slice), axis), f"{name}.shape[{axis}]"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # x.size(j)
        return Edit(Span.of(node.args[0]), axis), f"{name}.size({axis})"
    return Edit(Span.of(node), f"{name}.shape[{axis}]"), f"{name}.shape[{axis}]"  # len(x)


# the constructors that make one target per item of a count: ``torch.arange(n)`` (contrastive targets, one class per
# row of the similarity matrix), ``torch.zeros(n, dtype=torch.long)`` (SimCLR's positives at column 0)
_COUNTED_TARGETS = ("arange", "zeros", "ones", "full", "empty")


def labels_counted_on_another_axis(ctx, d):
    """Contrastive targets counted from the wrong axis: ``torch.arange(img.shape[-1])`` makes one class per embedding
    width (64) where the similarity matrix has one row per sample (16). The count is read from the embeddings' feature
    axis, so the targets are wrong whatever the batch size; the fix reads axis 0, the samples. Giving the loss 64 rows
    or cutting the targets to 16 would keep the wrong count."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch":
        return
    pred, target = getattr(f.pred, "shape", None), getattr(f.target, "shape", None)
    if not pred or not target or len(target) != 1 or not is_known(pred[0]) or not is_known(target[0]) or \
            int(pred[0]) == int(target[0]):
        return
    made = node_at(getattr(f.target, "origin", None), ctx.lines)
    if not isinstance(made, ast.Call) or not isinstance(made.func, (ast.Attribute, ast.Name)):
        return
    name = made.func.attr if isinstance(made.func, ast.Attribute) else made.func.id
    if name not in _COUNTED_TARGETS or not made.args:
        return
    count = made.args[-1] if name == "arange" and len(made.args) == 2 and _zero(made.args[0]) else made.args[0]
    found = axis_read(count)
    if found is None or found[1] == 0:
        return
    tensor, axis = found
    edit, spelled = _reread(count, tensor, 0, 0, 1)  # axis 0, written as 0 whatever sign the read had
    help_text = remedies.count_targets_per_sample(spelled)
    yield Cause("axis-read", 88, Label(Span.of(count), remedies.targets_counted_label(tensor, axis, int(target[0])),
                                       d.file),
                remedies.targets_counted_note(tensor, axis, int(target[0]), int(pred[0])), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)


def _zero(node) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and type(node.value) is int
