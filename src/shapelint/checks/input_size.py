"""Input-size reasoning: when a layer's expectation depends on an input size (H, W, sequence length) that the code
leaves to the data, say which input sizes satisfy it -- "`Linear(400, 120)` fits 32x32 inputs; these are 28x28,
giving 256 features".

The failing run is replayed op by op (following each op's producers, so residual DAGs replay too) on inputs whose
spatial sizes are varied; a size "fits" when every op of the replay passes. The answer becomes a note on the existing
diagnostic; nothing new is reported.

Which sizes in 1..MAX_SIZE fit is found without trying them all:

* Replays are quiet: an op that fails records its Mismatch and stops the replay; no diagnostic, label or fix is
  built for a size that is thrown away.
* A *monotone chain* -- every op up to the failing one is a size-monotone layer (conv, pool, padding, upsampling,
  activations, normalisation, flatten, linear ...) and no op merges two size-dependent tensors -- fits an interval of
  sizes: each of its ops passes on an interval (a kernel needs an input at least so large: upward-closed; a layer
  that wants N features passes where a nondecreasing feature count equals N) and the replay stops at the first op
  that fails, which says on which side of its interval the size lies (too small for a kernel; fewer or more features
  than wanted). So each replay classifies a size as *below*, *fits* or *above*, in that order along 1..MAX_SIZE, and
  two bisections find the interval: about 2 x log2(MAX_SIZE) replays, each linear in depth.
* Anything else (a residual ``x + f(x)`` or skip concatenation merges two size-dependent tensors and may fit only
  even sizes; a ``view(-1, n)`` wants divisibility; a failure that names no side) is scanned size by size with quiet
  replays, stopping as soon as the note's answer is settled (it lists three ranges and then "...").
"""
from __future__ import annotations

from typing import Optional

from ..core.dims import is_known
from ..core.facts import RuleFacts
from ..core.infer import Inference
from ..core.program import Program
from ..core.provenance import plain_sizes
from ..core.values import Tensor, TensorTuple
from ..diagnostics import codes

_CODES = ("feature-count-mismatch", "reshape-size-mismatch", "matmul-shape-mismatch")
MAX_SIZE = 512
_RANGES_SHOWN = 3  # the note lists this many ranges of sizes, then "..."

# Layers whose output sizes are nondecreasing functions of their input sizes and whose shape contract, on one
# size-dependent input, holds on an interval of sizes (see the module docstring). Checked against the brute-force
# answer on generated chains by tests/checks/test_input_size.py.
_MONOTONE = frozenset({
    # torch modules
    "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d", "LazyConv1d", "LazyConv2d",
    "LazyConv3d", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "LPPool1d", "LPPool2d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
    "InstanceNorm3d", "GroupNorm", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d",
    "ConstantPad3d", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "Flatten", "Linear", "LazyLinear",
    "Identity", "ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
    "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus", "LogSigmoid", "Softmax", "LogSoftmax", "Dropout", "Dropout1d",
    "Dropout2d", "Dropout3d", "AlphaDropout", "LSTM", "GRU", "RNN",
    # torch functions and tensor methods
    "F.conv1d", "F.conv2d", "F.conv3d", "F.max_pool1d", "F.max_pool2d", "F.max_pool3d", "F.avg_pool1d",
    "F.avg_pool2d", "F.avg_pool3d", "F.adaptive_avg_pool1d", "F.adaptive_avg_pool2d", "F.adaptive_max_pool1d",
    "F.adaptive_max_pool2d", "F.interpolate", "F.linear", "F.relu", "F.relu_", "F.relu6", "F.leaky_relu", "F.elu",
    "F.selu", "F.gelu", "F.silu", "F.mish", "F.sigmoid", "F.tanh", "F.softmax", "F.log_softmax", "F.dropout",
    "F.dropout2d", "flatten", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "dropout", "contiguous", "clone",
    "detach", "float",
    # keras layers
    "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D", "Conv1DTranspose",
    "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "AveragePooling1D",
    "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAvgPool1D", "GlobalAvgPool2D",
    "GlobalMaxPool1D", "GlobalMaxPool2D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
    "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "BatchNormalization", "Dropout",
    "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "Activation", "Softmax", "Rescaling",
    "Dense", "SimpleRNN", "Masking",
})

# Ops that join two size-dependent tensors. Where both sides have the same size they pass and keep it, so the sizes
# after them still grow with the input size; where they do not, the failure says nothing about which side.
_MERGES = frozenset({"add", "sub", "mul", "cat", "concat", "concatenate", "Add", "Subtract", "Multiply", "Average",
                     "Maximum", "Minimum", "Concatenate"})

# At most this many op applications are replayed for one note (about a quarter of a second): a 10,000-layer model
# with an error keeps the cost of a correct one; the note then says the sizes were not worked out.
BUDGET = 20_000

_BELOW, _FITS, _ABOVE = -1, 0, 1


def annotate(ev, model) -> None:
    for run in model.runs:
        prog = run.program
        if len(prog.inputs) != 1 or not isinstance(prog.inputs[0], Tensor) or prog.inputs[0].shape is None:
            continue
        for d in run.inference.diagnostics:
            if isinstance(d.facts, RuleFacts) and d.facts.unflattened():
                continue  # the flatten is missing: no input size would fit better
            if d.name in _CODES and d.severity == "error" and d.layer is not None and \
                    not any(n.startswith("fits ") or " fits " in n or " would fit " in n for n in d.notes):
                note = _reason(ev, run, d.layer, model.framework)
                if note:
                    d.notes.append(note)
                    d.size_note = note


def _spatial_axes(shape: tuple, framework: str) -> Optional[list]:
    """The axes whose size comes from the images / sequences: H, W (or L), in the framework's layout."""
    r = len(shape)
    if r == 4:
        axes = [2, 3] if framework == "torch" else [1, 2]
    elif r == 3:
        axes = [2] if framework == "torch" else [1]
    else:
        return None
    if not all(is_known(shape[a]) for a in axes):
        return None
    if len(axes) == 2 and shape[axes[0]] != shape[axes[1]]:
        return None  # only square images are varied
    return axes


class _QuietInference(Inference):
    """Inference that keeps the error-severity Mismatches a replay meets instead of building diagnostics for them."""

    def __init__(self, program: Program):
        super().__init__(program)
        self.errors: list = []

    def _emit(self, m, op, severity=None) -> None:
        code = codes.lookup(m.code) or codes.lookup("internal-error")
        if (severity or code.severity) == "error":
            self.errors.append(m)


class _Replay:
    """Replays ops 0..stop of a run on inputs of other spatial sizes."""

    def __init__(self, run, stop: int, axes: list):
        self.run, self.stop, self.axes = run, stop, axes
        self.ops = run.program.ops[: stop + 1]
        self.input = run.program.inputs[0]
        self.spent = 0  # op applications replayed so far
        self._kind = False  # not classified yet
        self.merges: set = set()  # indexes of the ops that merge two size-dependent tensors
        # What the rest of a replay gives, by the point it reached: (op position, the shapes it carries on) -> (side,
        # ops the rest applied). Sizes that a pooling or a stride maps onto the same shapes replay the rest alike.
        self._rest: dict = {}
        self._live: Optional[list] = None  # per op position: the values made so far that it or a later op reads

    def followable(self) -> bool:
        """Whether every op's inputs are the model input, an earlier op's output or a constant made in the model.
        When they are not, a replay cannot follow at any size and no note is given."""
        known = {id(self.input)}
        for op in self.ops:
            for v in op.inputs:
                if id(v) not in known and not self._constant(v):
                    return False
            known.add(id(op.output))
            known.update(id(t) for t in _flat(op.output))
        return True

    def monotone(self) -> bool:
        """A monotone chain (module docstring): size-monotone ops, none of them merging two size-dependent tensors."""
        return self._shape_kind() == "chain"

    def sizes_grow(self) -> bool:
        """Size-monotone ops, merges allowed: past a merge the sizes still grow with the input size, so a size that is
        too large for an op on one size-dependent input is too large for every op after it too."""
        return self._shape_kind() in ("chain", "dag")

    def _shape_kind(self) -> Optional[str]:
        if self._kind is False:
            self._kind = self._classify()
        return self._kind

    def _classify(self) -> Optional[str]:
        dependent = {id(self.input)}
        kind = "chain"
        self.merges = set()
        for op in self.ops:
            deps = sum(1 for v in op.inputs for t in _flat(v) if id(t) in dependent)
            if op.layer.kind not in _MONOTONE and not (deps > 1 and op.layer.kind in _MERGES):
                return None
            if op.index != self.stop and isinstance(op.output, TensorTuple):
                return None
            if deps > 1:
                kind = "dag"
                self.merges.add(op.index)
            if deps:
                dependent.add(id(op.output))
        return kind

    def _constant(self, v) -> bool:
        """A tensor made inside the model (weights, masks): its shape does not depend on the input size."""
        return isinstance(v, Tensor) and self.run.inference.producer_of(v) is None and v.shape is not None \
            and not any(isinstance(d, str) or d is None for d in v.shape[1:])

    def _live_values(self) -> Optional[list]:
        """Per op position j: the ids of the values made before op j (the input, earlier outputs) that op j or a
        later op reads, in a fixed order; None when a replay's rest cannot be keyed by them: a layer applied twice
        (the first application may change it for the second)."""
        if len({id(op.layer) for op in self.ops}) != len(self.ops):
            return None
        made = [id(self.input)]
        made_at = []  # made_at[j]: the values made before op j
        for op in self.ops:
            made_at.append(list(made))
            made.append(id(op.output))
            made.extend(id(t) for t in _flat(op.output) if t is not op.output)
        live, read_later = [], set()
        for j in range(len(self.ops) - 1, -1, -1):
            read_later.update(id(t) for v in self.ops[j].inputs for t in [v, *_flat(v)])
            live.append([i for i in made_at[j] if i in read_later])
        return live[::-1]

    def _rest_key(self, j: int, mapping: dict) -> Optional[tuple]:
        if self._live is None:
            self._live = self._live_values() or []
        if not self._live:
            return None
        parts = []
        for i in self._live[j]:
            k = _value_key(mapping.get(i))
            if k is None:
                return None
            parts.append(k)
        return (j, tuple(parts))

    def side(self, size: int) -> Optional[int]:
        """_FITS when every op passes on inputs of this size; else on which side of the ops' contracts it lies
        (_BELOW / _ABOVE), or None when the failure does not say."""
        if self.spent >= BUDGET:
            raise _OverBudget
        visited: list = []  # (key, ops applied before it) of the points this replay passed
        got, applied = self._side(size, visited)
        for key, before in visited:
            self._rest.setdefault(key, (got, applied - before))
        return got

    def _side(self, size: int, visited: list) -> tuple:
        """(side, ops applied) of one replay, the ops a remembered rest would have applied counted in (the budget
        counts the ops a full replay applies)."""
        shape = list(self.input.shape)
        for a in self.axes:
            shape[a] = size
        inf = _QuietInference(Program("<replay>", self.run.program.framework))
        mapping = {id(self.input): Tensor(tuple(shape), self.input.dtype)}
        saved = [(op.layer, op.layer.params, dict(op.layer.extra), list(op.layer.warnings)) for op in self.ops]
        applied = 0
        plain = plain_sizes().__enter__()  # a replay reads sizes, never their history
        try:
            for j, op in enumerate(self.ops):
                key = self._rest_key(j, mapping)
                if key is not None:
                    rest = self._rest.get(key)
                    if rest is not None:
                        applied = len(inf.program.ops) + rest[1]
                        return rest[0], applied
                    visited.append((key, len(inf.program.ops)))
                inputs = []
                for v in op.inputs:
                    if id(v) in mapping:
                        inputs.append(mapping[id(v)])
                    elif self._constant(v):
                        inputs.append(v)
                    else:  # an RNN's state tuple that this size did not produce
                        raise _CannotFollow
                out = inf.apply(op.layer, inputs)
                if inf.errors or inf.program.ops[-1].status != "ok":
                    applied = len(inf.program.ops)
                    return (_side_of(inf.errors[0]) if inf.errors and op.index not in self.merges else None), applied
                mapping[id(op.output)] = out
                if isinstance(op.output, TensorTuple) and isinstance(out, TensorTuple):
                    for a, b in zip(_flat(op.output), _flat(out)):
                        mapping[id(a)] = b
            applied = len(inf.program.ops)
            return _FITS, applied
        finally:
            plain.__exit__()
            # a replay stops at the first op that fails; one that raised (_CannotFollow) counts what it applied
            self.spent += applied or len(inf.program.ops)
            for layer, params, extra, warnings in saved:
                layer.params, layer.extra, layer.warnings = params, extra, warnings


def _value_key(v) -> Optional[tuple]:
    """What a replayed value carries on to the ops after it, as a key (its sizes and dtype), or None."""
    if type(v) is Tensor:
        if v.shape is None:
            return ("?", v.dtype)
        dims = []
        for d in v.shape:
            if d is None or isinstance(d, str) or isinstance(d, int) and not isinstance(d, bool):
                dims.append(d if d is None or isinstance(d, str) else int(d))
            else:
                return None
        return (tuple(dims), v.dtype)
    if type(v) is TensorTuple:
        items = tuple(_value_key(i) for i in v.items)
        return None if any(i is None for i in items) else ("tuple", items)
    return None


def _side_of(m) -> Optional[int]:
    """Which side of a size-monotone op's contract a failing size lies on: a kernel or crop larger than its input
    means the size is too small; a count that differs from the one wanted grows with the size."""
    if m.code == "non-positive-output-size":
        return _BELOW
    if isinstance(m.received, int) and isinstance(m.expected, int) and m.received != m.expected \
            and not isinstance(m.received, bool) and not isinstance(m.expected, bool):
        return _BELOW if m.received < m.expected else _ABOVE
    return None


def _flat(v):
    if isinstance(v, TensorTuple):
        for i in v.items:
            yield from _flat(i)
    else:
        yield v


def fitting_sizes(run, index: int, axes: list, here: int):
    """The sizes in 1..MAX_SIZE (other than ``here``) on which the run passes every op up to ``index``; None when the
    replay cannot follow; CUT_SHORT when finding them would replay more than about BUDGET ops. For a run that is not a
    monotone chain the list stops once it holds more ranges than the note shows."""
    replay = _Replay(run, index, axes)
    if not replay.followable():
        return None
    try:
        if replay.monotone():
            if len(replay.ops) * 2 * (MAX_SIZE.bit_length() + 1) > BUDGET:
                return CUT_SHORT  # known before replaying anything
            interval = _bisect(replay)
            if interval is not None:
                lo, hi = interval
                return [s for s in range(lo, hi + 1) if s != here]
        return _scan(replay, here)
    except _CannotFollow:
        return None
    except _OverBudget:
        return CUT_SHORT


def _bisect(replay: _Replay) -> Optional[tuple]:
    """The interval [lo, hi] of fitting sizes of a monotone chain (lo > hi: none), or None when a replay fails
    without saying on which side (then the caller scans)."""
    sides: dict = {}

    def side(s):
        if s not in sides:
            sides[s] = replay.side(s)
        return sides[s]

    def first(pred) -> Optional[int]:  # smallest s in 1..MAX_SIZE+1 with pred(side(s)); MAX_SIZE+1 when none
        lo, hi = 1, MAX_SIZE + 1
        while lo < hi:
            mid = (lo + hi) // 2
            got = side(mid)
            if got is None:
                raise _NoSide
            if pred(got):
                hi = mid
            else:
                lo = mid + 1
        return lo

    try:
        lo = first(lambda got: got != _BELOW)
        hi = first(lambda got: got == _ABOVE) - 1
    except _NoSide:
        return None
    if lo <= hi and (side(lo) != _FITS or side(hi) != _FITS):
        return None  # not the order a monotone chain gives: scan instead
    return lo, hi


class _NoSide(Exception):
    pass


class _CannotFollow(Exception):
    pass


class _OverBudget(Exception):
    pass


CUT_SHORT = "cut short"


def _scan(replay: _Replay, here: int) -> list:
    fits: list = []
    ranges = 0
    grows = replay.sizes_grow()
    for s in range(1, MAX_SIZE + 1):
        if s == here:
            continue
        side = replay.side(s)
        if side == _ABOVE and grows:
            break  # every larger size is too large as well
        if side != _FITS:
            continue
        if not fits or fits[-1] != s - 1:
            ranges += 1
            if ranges > _RANGES_SHOWN:  # the note only says "..." from here on
                fits.append(s)
                break
        fits.append(s)
    return fits


def _reason(ev, run, index: int, framework: str) -> Optional[str]:
    x = run.program.inputs[0]
    shape = tuple(x.shape)
    axes = _spatial_axes(shape, framework)
    if axes is None or index >= len(run.program.ops):
        return None
    op = run.program.ops[index]
    here = shape[axes[0]]
    fits = fitting_sizes(run, index, axes, here)
    if fits == CUT_SHORT:
        what = "image sizes" if len(axes) == 2 else "sequence lengths"
        return (f"`{_layer_text(ev, op.layer)}`: which {what} would fit was not worked out (the model is too large "
                "to replay quickly)")
    if not fits:
        return None
    return _note(ev, op, fits, axes, here)


def _note(ev, op, fits: list, axes: list, here: int) -> str:
    size = (lambda s: f"{s}x{s}") if len(axes) == 2 else (lambda s: f"length {s}")
    what = "images" if len(axes) == 2 else "sequences"
    ranges = []
    for s in fits:
        if ranges and ranges[-1][1] == s - 1:
            ranges[-1][1] = s
        else:
            ranges.append([s, s])
    parts = [size(a) if a == b else f"{size(a)} to {size(b)}" for a, b in ranges[:_RANGES_SHOWN]]
    listed = ", ".join(parts) + (", ..." if len(ranges) > _RANGES_SHOWN else "")
    received = op.inputs[0] if op.inputs else None
    giving = ""
    if isinstance(received, Tensor) and received.shape and is_known(received.shape[-1]) and len(received.shape) == 2:
        giving = f", giving {received.shape[-1]} features"
    return f"`{_layer_text(ev, op.layer)}` fits {what} of {listed}; these are {size(here)}{giving}"


def _layer_text(ev, layer) -> str:
    """The layer as the user wrote it (``nn.Linear(16 * 5 * 5, 120)``) when it fits on one line, else its name."""
    span = layer.origin.span
    if span is not None and span.line == span.end_line and 0 < span.line <= len(ev.lines):
        text = ev.lines[span.line - 1][span.column - 1: span.end_column - 1]
        if 0 < len(text) <= 60:
            return text
    return layer.label
