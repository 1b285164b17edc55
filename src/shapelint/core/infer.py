"""Shape inference: apply rules op by op, record every op (the trace), turn contract violations into diagnostics.

Front-ends drive an :class:`Inference` incrementally (``apply(layer, inputs)``), which is what lets the source
front-end follow ``x.size(0)`` or ``model(x)`` in a script; ``infer(program)`` replays a whole Program.

Recovery: when a rule reports a Mismatch, inference continues with ``mismatch.recover`` (the shape the fix would give)
or an unknown shape -- so one mistake yields one diagnostic, and the shape table survives the error.

A Mismatch is worded into a Diagnostic by the diagnostics layer, which the core reaches only through the hook in
core/diagnoser.py.
"""
from __future__ import annotations

import contextvars
import dataclasses
from typing import Callable, Iterator, Optional

from . import diagnoser, provenance
from .errors import Mismatch, OnlyWithFreeBatch, Unresolved
from .facts import RuleFacts
from .program import Layer, Op, Program
from .registry import lookup
from .values import UNKNOWN, Tensor, TensorTuple, Value


# Layers (Keras and PyTorch) that hand their input on with the same shape; a fix aimed at "the layer before" and
# the silent-bug checks look through them.
PASS_THROUGH = frozenset({
    "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "ActivityRegularization", "BatchNormalization", "LayerNormalization", "GroupNormalization",
    "UnitNormalization", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Masking",
    "ReLU6", "GELU", "SiLU", "Tanh", "Sigmoid", "BatchNorm1d", "LayerNorm"})


# Set by a front-end that bounds its work (the source evaluator's budget): called once per rule application, it may
# raise to stop the analysis of the file (issue #11: the budget counts rule applications, not only evaluated nodes).
METER: contextvars.ContextVar = contextvars.ContextVar("shapelint_infer_meter", default=None)


class Inference:
    def __init__(self, program: Program, source_lines: Optional[list] = None):
        self.program = program
        self.source_lines = source_lines or []
        self.diagnostics: list = []
        self._producer: dict = {}  # id(value) -> Op
        self._elementwise_of: dict = {}  # id(value) -> (value, source): made element-wise without a recorded op
        self._adopted_from: Optional["Inference"] = None
        # the runs whose outputs this one's ops read (the models a script's loss or metric code is given the output
        # of): what their axes are (core/roles.py) carries over
        self.feeding_runs: list = []

    # -- public -------------------------------------------------------------------------------------------
    def apply(self, layer: Layer, inputs: list, call_span=None) -> Value:
        """Apply one layer to input values, record the op and return its output value."""
        meter = METER.get()
        if meter is not None:
            meter()
        op = Op(index=len(self.program.ops), layer=layer, inputs=list(inputs), output=UNKNOWN)
        if call_span is not None:
            layer.extra.setdefault("call_span", call_span)
        self.program.ops.append(op)
        out = self._run_rule(op)
        out = _attribute_sizes(self._fresh(out, inputs), op)
        op.output = out
        self._record_producer(op)
        self.program.output = out
        return out

    def adopt(self, ops: list, source: Optional["Inference"] = None) -> None:
        """Take ``ops``, recorded by ``source`` (a Keras functional graph a model is cut from), as this run's
        program, knowing which op made each of their values -- and any other value of ``source`` -- as it did."""
        self.program.ops = list(ops)
        self._adopted_from = source
        for op in ops:
            self._record_producer(op)

    def _record_producer(self, op: Op) -> None:
        self._producer[id(op.output)] = op
        if isinstance(op.output, TensorTuple):
            for item in _flatten(op.output):
                self._producer.setdefault(id(item), op)

    def producer_of(self, value) -> Optional[Op]:
        op = self._producer.get(id(value))
        if op is None and self._adopted_from is not None:  # a value of the graph the ops were cut from (a mask
            op = self._adopted_from.producer_of(value)      # passed to a layer by keyword is no input of it)
        return op

    def upstream(self, values, limit: int = 4096) -> list:
        """The values ``values`` were computed from by the ops of this run, themselves included, each once (a walk
        back through producers, bounded by ``limit`` values)."""
        found, seen, todo = [], set(), list(values)
        while todo and len(seen) < limit:
            v = todo.pop()
            if id(v) in seen:
                continue
            seen.add(id(v))
            found.append(v)
            op = self.producer_of(v)
            if op is not None:
                todo.extend(op.inputs)
        return found

    def derives_from(self, value, ancestor, limit: int = 4096) -> bool:
        """Whether ``value`` was computed from ``ancestor`` by the ops of this run (or is it)."""
        seen, todo = set(), [value]
        while todo and len(seen) < limit:
            v = todo.pop()
            if v is ancestor:
                return True
            if id(v) in seen:
                continue
            seen.add(id(v))
            op = self.producer_of(v)
            if op is not None:
                todo.extend(op.inputs)
        return False

    def note_elementwise(self, value, source) -> None:
        """``value`` was computed from ``source`` element by element by something not worth an op (``x > 0.5``,
        ``x.float()``): it keeps ``source``'s rows, which a check following predictions needs to know."""
        if value is not source:
            self._elementwise_of[id(value)] = (value, source)

    def elementwise_source(self, value):
        """The value ``value`` was made from element by element (see ``note_elementwise``), or None."""
        entry = self._elementwise_of.get(id(value))
        return entry[1] if entry is not None and entry[0] is value else None

    def walk_back(self, value, through: Optional[Callable] = None, depth: Optional[int] = None) -> Iterator[tuple]:
        """The backward walk from ``value`` through the ops of this run that made it: yields ``(value, op)``, ``op``
        the op that made ``value`` -- None where no op of this run did, and the walk ends there --, then goes on to
        the input ``through(op, value)`` picks (by default ``first_input``); None ends the walk (``op`` is not one to
        look past). At most ``depth`` pairs (None: no bound).

        A check or a root-cause finder that follows a tensor back to the op that set a size or an axis is this walk:
        ``through`` says which ops it may look past (activations, dropout, normalisations, casts, ops that keep the
        axis in question) and which of their inputs carries on; the loop over the pairs tests each op for the one it
        looks for, or for where it must stop. The walk is lazy: ``through`` is asked only when the next pair is, so
        leaving the loop stops it where the caller stopped."""
        through = through or first_input
        walked = 0
        while True:
            op = self.producer_of(value)
            yield value, op
            walked += 1
            if op is None or walked == depth:
                return
            value = through(op, value)
            if value is None:
                return

    def walk_end(self, value, through: Optional[Callable] = None, depth: Optional[int] = None) -> Optional[Op]:
        """The op the backward walk from ``value`` (``walk_back``) ends at: the first that ``through`` does not look
        past, the last reached after ``depth`` ops, or None when a value on the way was made by no op of this run."""
        op = None
        for _, op in self.walk_back(value, through, depth):
            pass
        return op

    def source_of(self, value) -> Optional[Op]:
        """The op that made ``value``, looking through layers that pass their input on unchanged in shape
        (``LSTM -> Dropout -> LSTM``: the first LSTM is where ``return_sequences=True`` belongs)."""
        return self.walk_end(value, _passes_unchanged, depth=17)

    def report(self, mismatch: Mismatch, op: Optional[Op], severity: Optional[str] = None) -> None:
        """Record a diagnostic for a Mismatch found outside a rule (cross-op checks)."""
        self._emit(mismatch, op, severity)

    # -- internals ----------------------------------------------------------------------------------------
    def _batch_free(self) -> bool:
        """Whether this run's batch axis is free (a model built on a declared input), not data of a known batch. A
        graph still being built (layers called on ``keras.Input`` tensors) has no inputs yet: its batch is free."""
        if not self.program.inputs:
            return True
        x = self.program.inputs[0]
        return isinstance(x, Tensor) and bool(x.shape) and x.shape[0] is None

    def _run_rule(self, op: Op) -> Value:
        layer, inputs = op.layer, op.inputs
        rule = lookup(layer.framework, layer.kind)
        if rule is None:
            op.status = "unsupported"
            self._emit(Mismatch("unsupported-layer"), op)
            return UNKNOWN
        problems = layer.extra.get("bind_problems")
        if problems:
            self._fail(op, Mismatch("invalid-argument", arg=None, detail="; ".join(problems),
                                    remedy=diagnoser.port().check_arguments(layer.kind)))
            return UNKNOWN
        tuple_in = next((v for v in inputs if isinstance(v, TensorTuple)), None)
        if tuple_in is not None and not rule.meta.get("accepts_tuple"):
            producer = self.producer_of(tuple_in)
            remedy = rule.meta.get("tuple_remedy") or _tuple_remedy(producer)
            self._fail(op, Mismatch("tuple-output-into-layer", received=tuple_in,
                                    received_shape=str(tuple_in),
                                    producer=producer.layer.kind if producer else "the previous layer",
                                    remedy=remedy,
                                    fix=diagnoser.port().tuple_fix(producer.layer if producer else None)))
            return UNKNOWN
        if not rule.accepts_unknown and any(isinstance(v, Tensor) and v.shape is None for v in inputs):
            op.status = "unknown"
            return UNKNOWN
        if inputs:  # rules may word a remedy for the layer that produced their first input (stacked RNNs)
            p = self.source_of(inputs[0])
            layer.extra["producer_kind"] = p.layer.kind if p else None
            layer.extra["producer_args"] = p.layer.args if p else {}
        try:
            out = rule.fn(layer, *inputs)
            if isinstance(out, Mismatch):
                raise out
        except Mismatch as m:
            if isinstance(m.holds_if, OnlyWithFreeBatch) and not self._batch_free():
                return m.holds_if.otherwise  # a size read from the batch while tracing, replayed on data of a known batch
            self._fail(op, m)
            out = m.recover if m.recover is not None else UNKNOWN
        except Unresolved as u:
            op.status = "unknown"
            self._emit(Mismatch("unresolved-argument", arg=u.arg), op)
            out = UNKNOWN
        except Exception as exc:  # a bug in a rule must never become a traceback or a false error
            op.status = "unknown"
            self._emit(Mismatch("internal-error", detail=f"{type(exc).__name__}: {exc}"), op)
            out = UNKNOWN
        for w in layer.warnings:
            self._emit(w, op)
        layer.warnings.clear()
        return out if out is not None else UNKNOWN

    def _fail(self, op: Op, m: Mismatch) -> None:
        op.status = "error"
        self._emit(m, op)

    def _emit(self, m: Mismatch, op: Optional[Op], severity: Optional[str] = None) -> None:
        producer = source = None
        if op is not None and op.inputs:
            p = self.producer_of(op.inputs[0])
            producer = p.layer if p else None
            p = self.source_of(op.inputs[0])
            source = p.layer if p else None
        diagnostics = diagnoser.port()  # the layer that words a Mismatch (core/diagnoser.py)
        d = diagnostics.diagnostic_for(m, op, self.program, producer, self.source_lines, severity,
                                       history=self.program.ops[: op.index] if op else [])
        if m.fix is not None and op is not None:
            d.fix = diagnostics.resolve_fix(m.fix, op.layer, source, self.source_lines)
        if op is not None:
            d.facts = RuleFacts(op, self, m)
        if op is not None:
            op.diagnostics.append(d)
        self.diagnostics.append(d)

    def _fresh(self, out, inputs):
        """Give every op its own output object so producers are tracked per op (identity layers return inputs)."""
        if isinstance(out, Tensor) and (out is UNKNOWN or any(out is v for v in inputs)):
            return dataclasses.replace(out)  # UNKNOWN is shared: without a copy every unknown op is one producer
        return out


def first_input(op: Op, value):
    """``Inference.walk_back``'s default: on to the op's first input (the data of a layer), None for an op without
    inputs."""
    return op.inputs[0] if op.inputs else None


def _passes_unchanged(op: Op, value):
    """A layer of ``PASS_THROUGH`` with one input, of the shape it gives: its input (``source_of``)."""
    if op.layer.kind not in PASS_THROUGH or len(op.inputs) != 1 or \
            getattr(op.inputs[0], "shape", None) != getattr(op.output, "shape", None):
        return None
    return op.inputs[0]


def _attribute_sizes(value, op: Op):
    """Sizes the rule computed (a conv's output height) remember which layer computed them (core/provenance.py)."""
    if isinstance(value, TensorTuple):
        return TensorTuple(tuple(_attribute_sizes(v, op) for v in value.items))
    if not isinstance(value, Tensor) or value.shape is None:
        return value
    shape = value.shape
    # a size the op passed on from an input (a permute's batch) is that input's size, not one the op computed:
    # re-tagging it would cut it from where it came from (the batch a flatten later merges)
    passed = {id(d) for x in _flatten_inputs(op.inputs) for d in (getattr(x, "shape", None) or ())}
    tagged = tuple(d if id(d) in passed else provenance.produced(d, op.layer, op.index) for d in shape)
    if all(a is b for a, b in zip(tagged, shape)):
        return value
    return dataclasses.replace(value, shape=tagged)


def _flatten_inputs(inputs):
    for v in inputs or ():
        yield from _flatten(v)


def _tuple_remedy(producer) -> str:
    if producer is None:
        return diagnoser.port().tuple_remedy("", "", None)
    return diagnoser.port().tuple_remedy(producer.layer.framework, producer.layer.kind,
                                         producer.layer.args.get("batch_first"))


def _flatten(value):
    if isinstance(value, TensorTuple):
        for v in value.items:
            yield from _flatten(v)
    else:
        yield value


def infer(program: Program, inputs: list, layers: list, source_lines: Optional[list] = None) -> Inference:
    """Run a chain of layers (a Sequential) on the given input values."""
    inf = Inference(program, source_lines)
    program.inputs = list(inputs)
    x = inputs[0] if len(inputs) == 1 else TensorTuple(tuple(inputs))
    for layer in layers:
        x = inf.apply(layer, [x])
    return inf
