"""Recurrent modules: nn.RNN, nn.LSTM, nn.GRU and the cells.

Contract (torch 2.13, ``torch/nn/modules/rnn.py``): input (L, N, H_in), (N, L, H_in) with batch_first, or unbatched
(L, H_in); H_in == input_size. Output: (L, N, D*H_out) / (N, L, D*H_out) / (L, D*H_out) with D = 2 if bidirectional,
H_out = proj_size or hidden_size; h_n: (D*num_layers, N, H_out) (never batch-first); LSTM's c_n: (D*num_layers, N,
hidden_size). LSTM returns (output, (h_n, c_n)); RNN and GRU return (output, h_n).
"""
from __future__ import annotations

from ...core.dims import dim_eq, dim_ne, fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg, WrapInput
from ._common import FW, is_int, require_rank

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3, "RNNCell": 1, "LSTMCell": 4, "GRUCell": 3}


def _invalid(arg, detail, remedy):
    return Mismatch("invalid-argument", arg=arg, detail=detail, remedy=remedy)


def _config(layer):
    a = layer.arg
    size, hidden, layers = a("input_size"), a("hidden_size"), a("num_layers")
    if not is_int(size) or size < 0:
        raise _invalid("input_size", f"must be a non-negative integer, got {size!r}", remedies.pass_input_size())
    if not is_int(hidden) or hidden <= 0:
        raise _invalid("hidden_size", "hidden_size must be greater than zero", remedies.pass_positive_hidden_size())
    if not is_int(layers) or layers <= 0:
        raise _invalid("num_layers", "num_layers must be greater than zero", remedies.pass_positive_num_layers())
    p = a("dropout")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise _invalid("dropout", "dropout should be a number in range [0, 1]", remedies.pass_dropout_probability())
    proj = a("proj_size")
    if not is_int(proj) or proj < 0:
        raise _invalid("proj_size", "proj_size should be a positive integer or zero to disable projections",
                       remedies.remove_proj_size())
    if proj and layer.kind != "LSTM":
        raise _invalid("proj_size", "proj_size argument is only supported for LSTM, not RNN or GRU",
                       remedies.remove_proj_size())
    if proj >= hidden:
        raise _invalid("proj_size", "proj_size has to be smaller than hidden_size", remedies.use_smaller_proj_size())
    if layer.kind == "RNN" and a("nonlinearity") not in ("tanh", "relu"):
        raise _invalid("nonlinearity", f"unknown nonlinearity {a('nonlinearity')!r}", remedies.use_tanh_or_relu())
    return size, hidden, layers, proj, 2 if a("bidirectional") else 1


def rnn_params(kind, size, hidden, layers, proj, dirs, bias) -> int:
    gate = GATES[kind] * hidden
    real = proj or hidden

    def per(lin):
        return gate * lin + gate * real + (2 * gate if bias else 0) + (proj * hidden if proj else 0)
    # layer 0 reads the input, every later layer the (both-direction) output of the one before: in closed form, as
    # num_layers may be anything a script says (2**31 layers must not mean 2**31 iterations)
    return dirs * (per(size) + (layers - 1) * per(real * dirs)) if layers > 0 else 0


def _implied(layer):
    size = layer.arg("input_size")
    return Tensor(("N", "L", size) if layer.arg("batch_first") else ("L", "N", size), "float32")


def rnn(layer, x: Tensor, *state):
    size, hidden, layers, proj, dirs = _config(layer)
    bad = require_rank(x, (2, 3), layout="(L, N, H_in), (N, L, H_in) with batch_first=True, or (L, H_in)",
                       remedy=remedies.give_rnn_a_sequence(layer.kind))
    if bad:
        return bad
    h_out = proj or hidden
    batched = x.rank == 3
    if batched:
        n = x.shape[0] if layer.arg("batch_first") else x.shape[1]
        length = x.shape[1] if layer.arg("batch_first") else x.shape[0]
        out_shape = (n, length, dirs * h_out) if layer.arg("batch_first") else (length, n, dirs * h_out)
        h = (dirs * layers, n, h_out)
        c = (dirs * layers, n, hidden)
    else:
        length = x.shape[0]
        out_shape = (length, dirs * h_out)
        h = (dirs * layers, h_out)
        c = (dirs * layers, hidden)
    out = Tensor(out_shape, x.dtype)
    hn = Tensor(h, x.dtype)
    result = TensorTuple((out, TensorTuple((hn, Tensor(c, x.dtype))))) if layer.kind == "LSTM" \
        else TensorTuple((out, hn))
    if dim_ne(x.shape[-1], size):
        return Mismatch("feature-count-mismatch", arg="input_size", expected=size, received=x.shape[-1],
                        fix=SetArg("input_size", str(x.shape[-1]), "safe"), recover=result)
    if is_known(length) and length == 0:
        return Mismatch("incompatible-input-shape", received_shape=x.shape,
                        detail="the sequence length is 0", remedy=remedies.feed_a_time_step())
    wants = (h, c) if layer.kind == "LSTM" else (h,)
    if layer.kind == "LSTM" and len(state) == 1:
        if _one_tensor_breaks(state[0], batched):
            return Mismatch("incompatible-input-shape", received_shape=state[0].shape, recover=result,
                            detail=remedies.lstm_state_is_a_pair_detail(fmt_shape(h), fmt_shape(c)),
                            remedy=remedies.give_lstm_state_pair(), state_not_pair=True)
        # unbatched, a (2, layers, hidden) tensor unpacks into h_0 and c_0: each is checked as a state
        s = state[0].shape
        state = (Tensor(tuple(s[1:]), state[0].dtype), Tensor(tuple(s[1:]), state[0].dtype))
    if layer.kind != "LSTM" and len(state) > 1:
        return Mismatch("incompatible-input-shape", received_shape=state[0].shape, recover=result,
                        detail=remedies.rnn_state_is_one_tensor_detail(layer.kind, fmt_shape(h)),
                        remedy=remedies.give_rnn_one_state(layer.kind))
    for given, want in zip(state, wants):
        if isinstance(given, Tensor) and given.shape is not None and (
                len(given.shape) != len(want) or any(dim_ne(g, w) for g, w in zip(given.shape, want))):
            return Mismatch("incompatible-input-shape", received_shape=given.shape, expected_shape=want, recover=result,
                            detail="the initial state must have shape %s (num_layers * num_directions, "
                                   "[batch,] hidden size; never batch-first)" % fmt_shape(want),
                            remedy=remedies.give_state_layers_first(), fix=_state_fix(state, wants))
    layer.params = rnn_params(layer.kind, size, hidden, layers, proj, dirs, bool(layer.arg("bias")))
    return result


def _one_tensor_breaks(given, batched: bool) -> bool:
    """One tensor given where an LSTM takes ``(h_0, c_0)``. With a batch, PyTorch indexes it as ``hx[0]``/``hx[1]``
    and wants two 3-D tensors, so no tensor passes (a stacked 4-D one is refused as not a tuple). Unbatched, a 3-D
    tensor of two or more slices unpacks into ``h_0, c_0``; anything else fails."""
    if not isinstance(given, Tensor) or given.shape is None:
        return False
    if batched:
        return True
    return len(given.shape) != 3 or given.shape[0] == 1


def _swapped(given, want) -> bool:
    """A state laid out batch-first: (batch, layers, hidden) where (layers, batch, hidden) is needed."""
    return isinstance(given, Tensor) and given.shape is not None and len(given.shape) == len(want) == 3 and \
        all(dim_eq(g, w) is True for g, w in zip(given.shape, (want[1], want[0], want[2])))


def _state_fix(state, wants):
    """Transpose the states that are batch-first back to (layers, batch, hidden); None unless every wrong state is
    exactly that."""
    wrong = [i for i, (g, w) in enumerate(zip(state, wants))
             if isinstance(g, Tensor) and g.shape is not None and
             (len(g.shape) != len(w) or any(dim_ne(a, b) for a, b in zip(g.shape, w)))]
    if not wrong or not all(_swapped(state[i], wants[i]) for i in wrong):
        return None
    return WrapInput(1 + wrong[0], "{x}.transpose(0, 1).contiguous()", also=tuple(1 + i for i in wrong[1:]),
                     title="put the state's layer axis first with `.transpose(0, 1).contiguous()`")


_COMMON = "bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None"
# facts: recurrent (a time axis is read step by step); sequence_first (reads (seq, batch, ...) unless batch_first)
rule(FW, ["LSTM", "GRU"], "input_size, hidden_size, num_layers=1, " + _COMMON, implied_input=_implied,
     unbatched_rank=2, recurrent=True, sequence_first=True)(rnn)
rule(FW, "RNN", "input_size, hidden_size, num_layers=1, nonlinearity='tanh', " + _COMMON,
     implied_input=_implied, unbatched_rank=2, recurrent=True, sequence_first=True)(rnn)


def _cell_implied(layer):
    return Tensor(("N", layer.arg("input_size")), "float32")


def cell(layer, x: Tensor, *state):
    size, hidden = layer.arg("input_size"), layer.arg("hidden_size")
    if not is_int(size) or not is_int(hidden) or hidden <= 0:
        return _invalid("hidden_size", "input_size and hidden_size must be positive integers", remedies.check_sizes())
    if layer.kind == "RNNCell" and layer.arg("nonlinearity") not in ("tanh", "relu"):
        return _invalid("nonlinearity", f"unknown nonlinearity {layer.arg('nonlinearity')!r}",
                        remedies.use_tanh_or_relu())
    bad = require_rank(x, (1, 2), layout="(N, H_in) or (H_in,)", remedy=remedies.loop_over_time_steps())
    if bad:
        return bad
    h = Tensor(x.shape[:-1] + (hidden,), x.dtype)
    out = TensorTuple((h, Tensor(h.shape, x.dtype))) if layer.kind == "LSTMCell" else h
    if dim_ne(x.shape[-1], size):
        return Mismatch("feature-count-mismatch", arg="input_size", expected=size, received=x.shape[-1],
                        fix=SetArg("input_size", str(x.shape[-1]), "safe"), recover=out)
    gate = GATES[layer.kind] * hidden
    layer.params = gate * (size + hidden) + (2 * gate if layer.arg("bias") else 0)
    return out


rule(FW, ["LSTMCell", "GRUCell"], "input_size, hidden_size, bias=True, device=None, dtype=None",
     implied_input=_cell_implied)(cell)
rule(FW, "RNNCell", "input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None",
     implied_input=_cell_implied)(cell)
