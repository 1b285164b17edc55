"""Check a live ``torch.nn.Module``: run it on meta tensors (shapes only: no memory for weights or activations, no
FLOPs) with forward hooks that record every leaf module's input and output shapes, and build the same Program the
source front-end builds (``Layer.origin.path`` is the qualified name, ``features.3``) so the reporters work as usual.

The user's module is never touched: we run a structural copy made with ``copy.deepcopy`` whose memo already maps
every parameter, buffer and tensor attribute to a meta tensor of the same shape, so the copy costs no tensor
memory, and the original is neither moved, re-parametrised nor given hooks.

On a failure the report names the failing module by qualified name and type, the shapes flowing into it, and the
shape table up to it. When a shapelint rule exists for the failing module, the rule explains the failure in the
module's own terms (``in_features`` 400 vs 256 features); otherwise PyTorch's own message is reported (SHP140).
PyTorch is imported lazily, only here.
"""
from __future__ import annotations

import contextlib
import copy
import linecache
import os
import traceback
from typing import Optional

from ..core.errors import Mismatch
from ..core.infer import Inference
from ..core.program import Layer, Op, Origin, Program
from ..core.registry import lookup
from ..core.values import UNKNOWN, Tensor, TensorTuple
from ..diagnostics import codes
from ..diagnostics.model import Label
from ..result import FileResult, Result
from .source.models import ModelResult

FW = "torch"


def check_torch_module(module, input_shape=None, exact: bool = False) -> Result:
    """``shapelint.check(module, input_shape=(8, 3, 32, 32))``: a Result with one entry holding the module's
    shape table and any diagnostics. ``input_shape`` may be one shape or a list of shapes (several inputs); a
    ``None`` batch axis is run as 2. ``exact=True`` runs every module with torch's own meta kernels (slower on
    large models) instead of taking the output shapes of rule-backed leaf modules from the rules."""
    return Result([module_file_result(module, input_shape, exact)])


# -- the meta copy --------------------------------------------------------------------------------------------
def meta_copy(module, deep: bool = False):
    """A copy of ``module`` whose parameters, buffers and tensor attributes are meta tensors of the same shapes;
    the original is not modified. By default a structural copy: each submodule is shallow-copied with its own
    parameter, buffer, submodule and hook tables (fast, ~1 ms per module). ``deep=True`` deep-copies everything
    else too (for models that keep modules or tensors in plain containers)."""
    import torch  # optional: only a live nn.Module needs torch
    memo: dict = {}

    def meta_of(t):
        if id(t) not in memo:
            if t.is_meta and not deep:
                memo[id(t)] = t  # already storage-less: sharing it cannot change the user's module
            elif isinstance(t, torch.nn.Parameter):
                memo[id(t)] = torch.nn.Parameter(_meta_empty(t), requires_grad=t.requires_grad)
            else:
                memo[id(t)] = _meta_empty(t)
        return memo[id(t)]

    if deep:
        for m in module.modules():
            for t in list(m._parameters.values()) + list(m._buffers.values()) + \
                    [v for v in vars(m).values() if isinstance(v, torch.Tensor)]:
                if t is not None:
                    meta_of(t)
        clone = copy.deepcopy(module, memo)
        for m in list(clone.modules()):  # modules kept in plain lists/dicts were copied for real: move the copies
            for v in list(vars(m).values()):
                items = v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else ()
                for item in items:
                    if isinstance(item, torch.nn.Module):
                        item.to("meta")
    else:
        clone = _shallow_tree(module, meta_of, {})
    for m in clone.modules():
        # user hooks may print or inspect values; the ones torch installs (weight_norm ...) stay
        for attr in ("_forward_hooks", "_forward_pre_hooks", "_forward_hooks_with_kwargs",
                     "_forward_pre_hooks_with_kwargs", "_forward_hooks_always_called"):
            hooks = getattr(m, attr, None)
            if hooks is None:
                continue
            hooks = type(hooks)(hooks)
            object.__setattr__(m, attr, hooks)
            if attr in ("_forward_hooks", "_forward_pre_hooks"):
                for k in [k for k, fn in hooks.items() if not _from_torch(fn)]:
                    del hooks[k]
        if isinstance(m, torch.nn.modules.dropout._DropoutNd):
            m.training = False  # dropout keeps shapes; on meta its random mask is slow to "compute"
    return clone


def _shallow_tree(m, meta_of, seen: dict):
    import torch  # optional: only a live nn.Module needs torch
    if id(m) in seen:
        return seen[id(m)]
    c = type(m).__new__(type(m))  # not copy.copy: parametrized modules refuse to be pickled
    c.__dict__.update(m.__dict__)
    seen[id(m)] = c
    d = c.__dict__
    d["_parameters"] = type(m._parameters)((k, meta_of(p) if p is not None else None)
                                           for k, p in m._parameters.items())
    d["_buffers"] = type(m._buffers)((k, meta_of(b) if b is not None else None) for k, b in m._buffers.items())
    d["_modules"] = type(m._modules)((k, _shallow_tree(s, meta_of, seen) if s is not None else None)
                                     for k, s in m._modules.items())
    for k, v in list(d.items()):
        if isinstance(v, torch.Tensor):
            d[k] = meta_of(v)
        elif isinstance(v, (list, tuple)) and any(isinstance(i, torch.Tensor) for i in v):
            d[k] = type(v)(meta_of(i) if isinstance(i, torch.Tensor) else i for i in v)  # RNN _flat_weights
    return c


def _meta_empty(t):
    """A meta tensor like ``t`` (torch.empty_like on meta runs Python reference code that imports sympy: seconds)."""
    import torch  # optional: only a live nn.Module needs torch
    return torch.empty(tuple(t.shape), dtype=t.dtype, device="meta")


def _from_torch(fn) -> bool:
    mod = getattr(fn, "__module__", None) or getattr(type(fn), "__module__", "") or ""
    return mod.startswith("torch")


def _shape_of(v):
    import torch  # optional: only a live nn.Module needs torch
    if isinstance(v, torch.Tensor):
        return Tensor(tuple(int(d) for d in v.shape), str(v.dtype).replace("torch.", ""))
    if isinstance(v, (tuple, list)):
        items = [_shape_of(i) for i in v]
        items = [i for i in items if i is not None]
        return TensorTuple(tuple(items)) if items else None
    if isinstance(v, dict):
        return _shape_of(list(v.values()))
    if hasattr(v, "_fields"):  # namedtuple-like outputs (e.g. PackedSequence)
        return _shape_of(tuple(v))
    return None


def _layer_for(name: str, m, origin_file: str) -> Layer:
    """A Layer describing a live module: its class, qualified name and constructor arguments read back from the
    module's attributes (as far as the rule's signature names them)."""
    kind = type(m).__name__
    layer = Layer(FW, kind, name=name or kind, origin=Origin(origin_file, None, name or kind))
    rule = lookup(FW, kind)
    if rule is not None:
        args = {}
        for p in rule.signature.params:
            if p == "bias" and hasattr(m, "bias"):
                args[p] = getattr(m, "bias") is not None
            elif p in ("device", "dtype"):
                continue
            elif hasattr(m, p):
                v = getattr(m, p)
                if isinstance(v, (int, float, str, bool, tuple, list, type(None))):
                    args[p] = v
        if rule.meta.get("recurrent") and "bias" in rule.signature.params:
            args["bias"] = getattr(m, "bias", True)
        if kind in ("LayerNorm",) and hasattr(m, "elementwise_affine"):
            args.setdefault("elementwise_affine", m.elementwise_affine)
        bound, given, _ = rule.signature.bind([], args)
        layer.args, layer.given = bound, set(given)
    try:
        layer.params = sum(int(p.numel()) for p in m.parameters(recurse=False))
    except Exception:
        layer.params = None
    return layer


# -- running --------------------------------------------------------------------------------------------------
def _inputs_for(module, input_shape):
    import torch  # optional: only a live nn.Module needs torch
    shapes = input_shape
    if shapes and all(isinstance(d, (int, type(None))) for d in shapes):
        shapes = [shapes]
    first = next((m for m in module.modules() if not list(m.children())), None)
    long_input = isinstance(first, (torch.nn.Embedding, torch.nn.EmbeddingBag))
    out = []
    for s in shapes:
        if any(d is None for d in list(s)[1:]):
            raise ValueError("only the batch axis may be None")
        dims = tuple(2 if d is None else int(d) for d in s)
        out.append(torch.empty(dims, device="meta", dtype=torch.long if long_input else torch.float32))
    return out


def module_file_result(module, input_shape=None, exact: bool = False) -> FileResult:
    name = type(module).__name__
    path = f"<torch module {name}>"
    result = FileResult(path)
    program = Program(name, FW, Origin(path, None, ""))
    inf = Inference(program)
    model = ModelResult(name, FW, None, program)
    result.models.append(model)
    module = getattr(module, "_orig_mod", module)  # torch.compile wrapper
    if input_shape is None:
        program.inputs = [UNKNOWN]
        inf.report(Mismatch("unknown-input-shape", model=name, hint="shapelint.check(module, input_shape=(...))"),
                   None)
        d = inf.diagnostics[-1]  # a live module: say so, without the file and command-line wording
        d.message = f"cannot infer shapes for `{name}`: a module does not state its input shape"
        d.help = "pass `input_shape=(batch, ...)` to `shapelint.check(module, input_shape=...)`"
        result.diagnostics.extend(_finish(inf, path, name))
        return result
    try:
        inputs = _inputs_for(module, input_shape)
    except (TypeError, ValueError, RuntimeError) as exc:
        inf.report(Mismatch("invalid-argument", arg="input_shape", kind="shapelint.check",
                            detail=f"{input_shape!r} is not a shape ({str(exc).splitlines()[0][:80]})",
                            remedy="pass input_shape as a tuple of ints, e.g. (8, 3, 32, 32)"), None)
        result.diagnostics.extend(_finish(inf, path, name))
        return result
    program.inputs = [_shape_of(x) for x in inputs]
    program.input_note = "input_shape="
    try:
        _run(module, inputs, inf, path, use_rules=not exact)
    except Exception as exc:  # shapelint's own failure (an unusual module): say so, never a traceback
        inf.report(Mismatch("internal-error", detail=f"cannot run `{name}` on meta tensors: "
                                                     f"{type(exc).__name__}: {exc}"), None)
    result.diagnostics.extend(_finish(inf, path, name))
    return result


def _run(module, inputs: list, inf: Inference, path: str, use_rules: bool = True) -> None:
    lookup(FW, "Linear")  # load the rules now, not inside a hook
    attempt = _attempt(meta_copy(module), inputs, device_context=False, use_rules=use_rules)
    if attempt[2] is not None and _meta_gap(attempt[2]):
        # a tensor created without a device inside forward, or a module kept outside the module tables:
        # retry with a deep copy and with meta as the default device
        attempt = _attempt(meta_copy(module, deep=True), inputs, device_context=True, use_rules=use_rules)
    done, open_calls, failure, out, names, leaves = attempt
    produced: dict = {}  # shape value -> the op output it equals, so producers are found by identity
    for m, ins, nargs, output in done:
        layer = _layer_for(names.get(id(m), ""), m, path)
        op_inputs = [produced.get(v, v) for v in _as_inputs(ins, nargs)]
        op = Op(len(inf.program.ops), layer, op_inputs, output or UNKNOWN)
        inf.program.ops.append(op)
        inf.program.output = op.output
        if output is not None:
            produced[output] = output
            inf._producer[id(output)] = op
    _silent_warnings(inf)
    if failure is not None:
        open_calls = [(m, produced.get(ins, ins), n) for m, ins, n in open_calls]
        _explain_failure(failure, open_calls, leaves, names, inf, path)
    else:
        shape = _shape_of(out)
        if shape is not None:
            inf.program.output = shape


def _attempt(clone, inputs: list, device_context: bool, use_rules: bool = True) -> tuple:
    """Run the meta copy with recording hooks: (leaf calls done, calls still open, exception, output, names,
    leaf ids). ``use_rules``: leaf modules with a shapelint rule compute their output shape with the rule."""

    import torch  # optional: only a live nn.Module needs torch
    names = {id(m): n for n, m in clone.named_modules()}
    leaves = {id(m) for m in clone.modules() if not m._modules}
    open_calls: list = []  # (module, input value, n args) entered and not yet left
    done: list = []  # (module, input value, n args, output value) of leaf modules, in execution order
    handles = []

    # hooks only record; they must never raise into the user's forward
    def pre(m, args, kwargs):
        try:
            open_calls.append((m, _shape_of(args[0]) if len(args) == 1 else _shape_of(list(args)), len(args)))
        except Exception:
            open_calls.append((m, None, len(args)))

    def post(m, args, kwargs, output):
        try:
            entry = open_calls.pop() if open_calls else (m, None, 1)
            if id(m) in leaves or getattr(m, "_shapelint_by_rule", False):
                m._shapelint_by_rule = False
                done.append(entry + (_shape_of(output),))
        except Exception:
            pass

    for m in clone.modules():
        handles.append(m.register_forward_pre_hook(pre, with_kwargs=True))
        handles.append(m.register_forward_hook(post, with_kwargs=True))
        if use_rules and (id(m) in leaves or type(m).__name__ in _ATTENTION):
            _shape_only_forward(m, names.get(id(m), ""))
    failure, out = None, None
    try:
        with torch.no_grad(), (torch.device("meta") if device_context else contextlib.nullcontext()), \
                (_elementwise_mode() if use_rules else contextlib.nullcontext()):
            out = clone(*inputs)
    except Exception as exc:  # the model raised: explained by the caller
        failure = exc
    finally:
        for h in handles:
            h.remove()
    return done, open_calls, failure, out, names, leaves


def _broadcast(a: tuple, b: tuple) -> tuple:
    """Broadcast two shapes like torch's elementwise ops, with their error message (torch.broadcast_shapes is a
    Python function whose first call imports torch's reference implementations: seconds)."""
    out = []
    n = max(len(a), len(b))
    for i in range(1, n + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and da != 1 and db != 1:
            raise RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                               f"non-singleton dimension {n - i}")
        out.append(db if da == 1 else da)
    return tuple(reversed(out))


def _elementwise_mode():
    """A TorchFunctionMode that answers the hottest shape-preserving and broadcasting ops on meta tensors directly
    (``F.relu``, ``x + y`` ...): torch's meta kernels for them run Python reference code, ~1 ms per call. Shapes and
    errors are torch's own (``torch.broadcast_shapes``, ``torch.result_type``); in-place forms are left to torch."""
    import torch  # optional: only a live nn.Module needs torch
    import torch.nn.functional as F  # optional: only a live nn.Module needs torch
    from torch.overrides import TorchFunctionMode  # optional: only a live nn.Module needs torch
    unary = {F.relu, torch.relu, F.gelu, F.silu, F.elu, F.leaky_relu, F.dropout, torch.tanh, torch.sigmoid,
             F.sigmoid, F.tanh, torch.Tensor.relu, torch.Tensor.sigmoid, torch.Tensor.tanh, torch.exp,
             torch.Tensor.exp, F.mish, F.hardswish}
    binary = {torch.add, torch.sub, torch.mul, torch.div, torch.Tensor.add, torch.Tensor.sub, torch.Tensor.mul,
              torch.Tensor.div, torch.Tensor.__add__, torch.Tensor.__radd__, torch.Tensor.__sub__,
              torch.Tensor.__rsub__, torch.Tensor.__mul__, torch.Tensor.__rmul__, torch.Tensor.__truediv__}

    def meta(t):
        return type(t) is torch.Tensor and t.is_meta

    class ShapeOnly(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if "out" not in kwargs and args:
                if func in unary and meta(args[0]) and not kwargs.get("inplace") and \
                        not (len(args) > 1 and args[-1] is True and func in (F.relu, F.leaky_relu, F.elu)):
                    return _meta_empty(args[0])
                if func in binary and len(args) == 2 and not kwargs and meta(args[0]) and \
                        (meta(args[1]) or isinstance(args[1], (int, float))):
                    shape = _broadcast(tuple(args[0].shape), tuple(args[1].shape)) if meta(args[1]) \
                        else args[0].shape
                    return torch.empty(shape, dtype=torch.result_type(args[0], args[1]), device="meta")
            return func(*args, **kwargs)
    return ShapeOnly()


class _RuleFailure(Exception):
    """A leaf module's shape rule found a definite contract violation (raised inside the meta run)."""


def _shape_only_forward(m, name: str) -> None:
    """Make a leaf module of the meta copy compute its output with its shapelint rule instead of torch's meta
    kernels (which run op by op in Python and dominate the time on large models). Only a plain tensor in, plain
    tensor out with every dimension known is taken from the rule; anything else runs torch's own forward. The
    rules are the ones the differential tests check against real PyTorch."""
    import torch  # optional: only a live nn.Module needs torch
    rule = lookup(FW, type(m).__name__)
    if rule is None:
        return
    layer = _layer_for(name, m, "")
    real = type(m).forward
    dtype = next((p.dtype for p in m.parameters(recurse=False) if p.dtype.is_floating_point), None)

    attention = type(m).__name__ in _ATTENTION

    def forward(*args, **kwargs):
        if attention:
            return _attention_by_rule(m, rule, layer, name, real, dtype, args, kwargs)
        x = args[0] if len(args) == 1 and not kwargs else None
        if isinstance(x, torch.Tensor) and type(x) is torch.Tensor:
            value = Tensor(tuple(int(d) for d in x.shape), str(x.dtype).replace("torch.", ""))
            probe = copy.copy(layer)
            probe.__post_init__()
            try:
                out = rule.fn(probe, value)
            except Exception as exc:
                out = exc if isinstance(exc, Mismatch) else None
            if isinstance(out, Mismatch):
                code = codes.lookup(out.code)
                if code is not None and code.severity == "error":
                    raise _RuleFailure(name)
                out = None  # a warning: let torch decide
            if isinstance(out, Tensor) and out.shape is not None and \
                    all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in out.shape):
                out_dtype = dtype if dtype is not None and x.dtype.is_floating_point else x.dtype
                if type(m).__name__ in ("Embedding", "EmbeddingBag"):
                    out_dtype = dtype or torch.float32
                return torch.empty(out.shape, dtype=out_dtype, device="meta")
        return real(m, *args, **kwargs)
    m.forward = forward


_ATTENTION = ("MultiheadAttention",)


def _all_known(shape) -> bool:
    return shape is not None and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)


def _attention_by_rule(m, rule, layer, name, real, dtype, args, kwargs):
    """nn.MultiheadAttention(query, key, value) without masks: (output, weights or None) from the rule."""
    import torch  # optional: only a live nn.Module needs torch
    plain = all(v is None or isinstance(v, bool) for v in kwargs.values())
    if len(args) == 3 and plain and all(type(a) is torch.Tensor for a in args):
        values = [Tensor(tuple(int(d) for d in a.shape)) for a in args]
        probe = copy.copy(layer)
        probe.__post_init__()
        try:
            out = rule.fn(probe, *values)
        except Exception as exc:
            out = exc if isinstance(exc, Mismatch) else None
        if isinstance(out, Mismatch):
            code = codes.lookup(out.code)
            if code is not None and code.severity == "error":
                raise _RuleFailure(name)
            out = None
        if isinstance(out, TensorTuple) and len(out.items) == 2 and _all_known(out.items[0].shape):
            need = kwargs.get("need_weights", True)
            if not need or _all_known(out.items[1].shape):
                m._shapelint_by_rule = True
                dt = args[0].dtype if dtype is None else dtype
                o = torch.empty(out.items[0].shape, dtype=dt, device="meta")
                return o, (torch.empty(out.items[1].shape, dtype=dt, device="meta") if need else None)
    return real(m, *args, **kwargs)


def _meta_gap(exc: Exception) -> bool:
    if isinstance(exc, _RuleFailure):
        return False
    msg = str(exc)
    return isinstance(exc, NotImplementedError) or any(h in msg for h in _META_HINTS)


def _silent_warnings(inf: Inference) -> None:
    """Torch ran these modules, so errors are settled; the rules still know the silent bugs (a Linear on a 4-D
    tensor, a BatchNorm seeing one value per channel). Their warnings are reported, their errors are not (torch
    is the judge of what raises)."""
    for op in inf.program.ops:
        rule = lookup(FW, op.layer.kind)
        if rule is None or any(not isinstance(v, Tensor) or v.shape is None for v in op.inputs):
            continue
        probe = copy.copy(op.layer)
        probe.__post_init__()
        try:
            rule.fn(probe, *op.inputs)
        except Exception:
            continue
        for w in probe.warnings:
            code = codes.lookup(w.code)
            if code is not None and code.severity == "warning":
                inf.report(w, op)


def _as_inputs(ins, nargs: int) -> list:
    if ins is None:
        return [UNKNOWN]
    if nargs > 1 and isinstance(ins, TensorTuple):
        return list(ins.items)
    return [ins]


_META_HINTS = ("meta", "item()", "data-dependent", "cannot be called on meta", "NotImplemented",
               "is not on the expected device", "Expected all tensors to be on the same device", "cuda", "numpy")


def _explain_failure(exc: Exception, open_calls: list, leaves: set, names: dict, inf: Inference, path: str) -> None:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    m, ins, nargs = open_calls[-1] if open_calls else (None, None, 1)
    name = names.get(id(m), "") if m is not None else ""
    kind = type(m).__name__ if m is not None else "forward"
    leaf = m is not None and id(m) in leaves
    layer = _layer_for(name, m, path) if m is not None else Layer(FW, "forward", name="")
    where = _user_frame(exc)
    in_list = _as_inputs(ins, nargs)
    meta_gap = _meta_gap(exc)
    if leaf and not meta_gap and lookup(FW, layer.kind) is not None:
        before = len(inf.diagnostics)
        inf.apply(layer, in_list)  # the rule explains the failure in the module's own terms
        if any(d.severity == "error" for d in inf.diagnostics[before:]):
            _label_module(inf, name, kind)
            return
        inf.program.ops.pop()  # the rule saw nothing wrong: report torch's message instead
        inf.diagnostics[before:] = []
    op = Op(len(inf.program.ops), layer, in_list, UNKNOWN, status="unknown" if meta_gap else "error")
    inf.program.ops.append(op)
    code = "meta-run-incomplete" if meta_gap else "module-raised"
    label = name if leaf else f"{name or kind}.forward" if m is not None else "forward"
    detail = f"{type(exc).__name__}: {msg}"
    if where is not None:
        detail += f" (at {os.path.basename(where[0])}:{where[1]})"
    remedy = (f"make the input to `{label}` fit its contract; the shapes before it are in the table above"
              if not meta_gap else None)
    inf._fail(op, Mismatch(code, received_shape=in_list[0] if len(in_list) == 1 else ", ".join(map(str, in_list)),
                           detail=detail, remedy=remedy, name=label, kind=kind))
    if meta_gap:
        op.status = "unknown"
        for d in op.diagnostics:
            d.severity = "info"
    _label_module(inf, name, kind)


def _label_module(inf: Inference, name: str, kind: str) -> None:
    """Say which child failed, by qualified name and type, and what flowed into it."""
    for op in inf.program.ops:
        for d in op.diagnostics:
            if d.severity == "error" and not any(n.startswith("failing module") for n in d.notes):
                ins = ", ".join(str(v) for v in op.inputs)
                d.notes.insert(0, f"failing module: `{name or kind}` ({kind}), input {ins}")
            if d.primary is not None and not d.primary.text:
                d.primary = Label(d.primary.span, f"`{name or kind}` ({kind})", d.primary.file)


def _user_frame(exc: Exception) -> Optional[tuple]:
    """(file, line, line length) of the innermost traceback frame outside torch itself: the user's forward."""
    import torch  # optional: only a live nn.Module needs torch
    torch_dir = os.path.dirname(torch.__file__)
    best = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        f = frame.f_code.co_filename
        if f.startswith(torch_dir) or f == __file__:
            continue
        best = (f, lineno)
    if best is None:
        return None
    return best[0], best[1], max(1, len(linecache.getline(best[0], best[1]).rstrip()))


def _finish(inf: Inference, path: str, name: str) -> list:
    for d in inf.diagnostics:
        d.file = d.file or path
        d.model = name
    return list(inf.diagnostics)


__all__ = ["check_torch_module", "meta_copy"]
