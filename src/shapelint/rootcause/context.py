"""What the root-cause analysis knows about one checked file: the evaluator's models and runs, the data fed to them
and where each batch size was written, and a cached re-check of edited source (the fix contract's oracle)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..core import provenance
from ..core.program import Span
from ..core.values import Tensor
from ..core.registry import lookup


@dataclass
class Feed:
    """Data ``x`` (a TensorVal) fed to ``model`` by ``call``."""
    model: object
    x: object
    call: object


@dataclass
class Context:
    ev: object  # the Evaluator that checked the file
    source: str
    recheck: Callable  # str -> FileResult, without root-cause analysis (cached)
    lines: list = field(default_factory=list)
    _runs: dict = field(default_factory=dict)  # id(inference) -> (model, run)
    _cache: dict = field(default_factory=dict)
    _segment_lines: Optional[list] = None
    compiler_warnings: dict = field(default_factory=dict)  # "own": the compiler's warnings on the file itself
    parse_verdicts: dict = field(default_factory=dict)  # edited text -> True (compiles and parses) or the Verdict
    decided: dict = field(default_factory=dict)  # key of a diagnostic already diagnosed -> the fix it ended with

    def __post_init__(self):
        # the evaluator's own lines when it read this very text: the parsed tree the fixes made during the check
        # cached for them (diagnostics/fixes/source.py) serves the analysis too, instead of a second parse
        same = getattr(self.ev, "source", None) == self.source and isinstance(getattr(self.ev, "lines", None), list)
        self.lines = self.ev.lines if same else self.source.splitlines()
        for m in self.ev.models:
            for r in m.runs:
                self._runs[id(r.inference)] = (m, r)

    # -- runs and data -------------------------------------------------------------------------------------------
    def run_of(self, inference) -> tuple:
        """(model object, run) of an inference, or (None, None) for a script-level computation."""
        return self._runs.get(id(inference), (None, None))

    def run_holding(self, op) -> tuple:
        """(model object, run) whose program holds ``op``: the run of the inference that applied it, or the model a
        Keras functional graph's op belongs to (the graph's own inference has no inputs of its own)."""
        for m in self.ev.models:
            for r in m.runs:
                if any(o is op for o in r.program.ops):
                    return m, r
        return None, None

    def run_returning(self, value) -> Optional[object]:
        """The model run whose output is ``value``, or returns it together with others (``recon, mu, logvar =
        model(x)``); None for a value no model run returned."""
        for m in self.ev.models:
            for r in getattr(m, "runs", []):
                if r.output is value or any(item is value for item in getattr(r.output, "items", ())):
                    return r
        return None

    def feeds(self) -> list:
        """Every call that fed data to a model, in file order (checks/data_input.record_feed)."""
        return [Feed(m, x, c) for m, x, c in self.ev.state.fed_data]

    def feed_into(self, inference) -> Optional[Feed]:
        """The call that fed the model run ``inference`` belongs to (``feed_of`` its model and run)."""
        return self.feed_of(*self.run_of(inference))

    def feed_of(self, model, run) -> Optional[Feed]:
        """The call that fed ``run`` of ``model`` its input (same model, same input shape)."""
        if model is None or run is None or not run.program.inputs:
            return None
        shape = getattr(run.program.inputs[0], "shape", None)
        for f in self.feeds():
            if f.model is model and f.x.shape is not None and tuple(f.x.shape) == tuple(shape or ()):
                return f
        return None

    def batch_dim(self, inference):
        """The run's batch size as the Sized the data was built with (its axis 0), or None when not known."""
        model, run = self.run_of(inference)
        x = inference.program.inputs[0] if inference.program.inputs else None
        if not isinstance(x, Tensor) or not x.shape:
            return None
        d = x.shape[0]
        return d if isinstance(d, provenance.Sized) else None

    def batch_spans(self) -> list:
        """(span, value) of each literal that wrote the batch size of data fed to a model: perturbing them all
        (the contract's second batch size) changes the batch and nothing else."""
        spans = {}
        for f in self.feeds():
            if self.unbatched(f) or self._short_of_declared(f) or getattr(f.x, "run", None) is not None:
                continue  # (a submodule called inside a forward: its axis 0 is what the outer call made it)
            inputs = [f.x] + [a for a in f.call.args if a is not f.x and getattr(a, "shape", None)]
            if len({int(x.shape[0]) if isinstance(x.shape[0], int) else None for x in inputs}) != 1:
                continue  # inputs whose axis 0 differ (a seq-first query, a batch-first context): no batch to vary
            if not all(isinstance(provenance.origin_of(x.shape[0]), provenance.Written) for x in inputs):
                continue  # one of them has a batch no literal wrote (np.stack of a list): it could not follow
            for x in inputs:  # every input of a multi-input model, the labels of fit(x, y)
                _add_axis0(spans, x)
        sizes = set(spans.values())
        for t in self.ev.state.fed_targets:  # labels, loss targets and validation data: same batch
            _add_axis0(spans, t, sizes)
        return sorted(spans.items(), key=lambda kv: (kv[0].line, kv[0].column))

    def target_batches(self) -> set:
        """The axis-0 sizes (2 or more) of the labels and loss targets fed in the file: how many samples a batch holds
        where the data reaching the model no longer says so."""
        return {int(t.shape[0]) for t in self.ev.state.fed_targets
                if getattr(t, "shape", None) and isinstance(t.shape[0], int) and int(t.shape[0]) >= 2}

    def target_batch_spans(self) -> set:
        """Where the axis-0 size of the labels and loss targets was written as a literal: the batch size of the data
        even when what reaches the model lost it (``images.view(1, -1)``)."""
        spans: dict = {}
        for t in self.ev.state.fed_targets:
            _add_axis0(spans, t)
        return {s for s, v in spans.items() if v >= 2}

    @staticmethod
    def _short_of_declared(feed: Feed) -> bool:
        """One sample fed without its batch axis (``predict(x_test[0])`` to a model declared (None, 28, 28)): its
        axis 0 is the sample's first axis, not a batch to vary."""
        rank = len(feed.x.shape) if feed.x.shape is not None else None
        declared = [len(r.program.inputs[0].shape) for r in getattr(feed.model, "runs", [])
                    if r.program.inputs and getattr(r.program.inputs[0], "shape", None) is not None]
        return rank is not None and bool(declared) and all(d > rank for d in declared)

    def unbatched(self, feed: Feed) -> bool:
        """Whether the model took ``feed.x`` as one sample without a batch axis (a 3-D image into ``nn.Conv2d``)."""
        rank = len(feed.x.shape) if feed.x.shape is not None else None
        for r in getattr(feed.model, "runs", []):
            ops = r.program.ops
            if not ops or not r.program.inputs or ops[0].inputs[:1] != r.program.inputs[:1]:
                continue
            rule = lookup(ops[0].layer.framework, ops[0].layer.kind)
            if rule is not None and rule.meta.get("unbatched_rank") == rank:
                return True
        return False

    # -- re-checking edited source ----------------------------------------------------------------------------
    def check(self, text: str, tree=None):
        """The re-check of ``text`` (cached); ``tree``, when given, is ``text`` parsed already."""
        hit = self._cache.get(text)
        if hit is None:
            hit = self.recheck(text) if tree is None else self.recheck(text, tree)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[text] = hit
        return hit

    def has_check(self, text: str) -> bool:
        return text in self._cache

    def seed(self, text: str, result) -> None:
        """Record ``result`` as the re-check of ``text`` (the unedited source: its own check)."""
        self._cache[text] = result

    def segment(self, node) -> Optional[str]:
        """``ast.get_source_segment(self.source, node)``, with the source split into lines once per file rather
        than once per call (a finder asking for a few nodes of a 10,000-line file split it each time)."""
        split = getattr(ast, "_splitlines_no_ff", None)
        try:
            one_line = node.end_lineno is not None and node.end_col_offset is not None and \
                node.end_lineno == node.lineno
        except AttributeError:
            return None
        if split is None or not one_line:
            return ast.get_source_segment(self.source, node)
        if self._segment_lines is None:
            self._segment_lines = split(self.source)
        return self._segment_lines[node.lineno - 1].encode()[node.col_offset:node.end_col_offset].decode()

    def text(self, span: Optional[Span]) -> Optional[str]:
        """The source text at a one-line span."""
        if span is None or span.line != span.end_line or not 0 < span.line <= len(self.lines):
            return None
        line = self.lines[span.line - 1]
        raw = line.encode()[span.column - 1: span.end_column - 1]
        try:
            return raw.decode()
        except UnicodeDecodeError:
            return None


def _add_axis0(spans: dict, value, sizes=None) -> None:
    """Record where the axis-0 size of a data value was written, if it was written as a literal (of one of
    ``sizes``, when given)."""
    shape = getattr(value, "shape", None)
    d = shape[0] if shape else None
    o = provenance.origin_of(d)
    if isinstance(o, provenance.Written) and (sizes is None or int(d) in sizes):
        spans[o.span] = int(d)
