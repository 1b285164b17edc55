"""Differential tests for torch functions, tensor methods, operators, indexing and F.* ops: generated one-op
scripts, real torch 2.13 vs shapelint's evaluator (output shape, error vs no error)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
pytest.importorskip("torch")

from torch_ops_harness import compare, run_generated  # noqa: E402


def _shape(rng, rank=None, lo=1, hi=5):
    rank = rng.choice([0, 1, 2, 2, 3, 3, 4]) if rank is None else rank
    return tuple(rng.randint(lo, hi) for _ in range(rank))


def _t(shape):
    if not shape:
        return "torch.randn(())"
    return f"torch.randn({', '.join(map(str, shape))})" if len(shape) != 1 else f"torch.randn({shape[0]})"


def _dim(rng, rank):
    return rng.randint(-rank - 1, rank) if rank else rng.choice([0, -1, 1])


def _factor(rng, shape):
    total = 1
    for d in shape:
        total *= d
    out, rest = [], total
    for _ in range(rng.randint(0, 3)):
        ds = [d for d in range(1, rest + 1) if rest % d == 0]
        d = rng.choice(ds)
        out.append(d)
        rest //= d
    out.append(rest)
    if rng.random() < 0.3:
        out[rng.randrange(len(out))] = -1
    if rng.random() < 0.15:
        out[rng.randrange(len(out))] += 1
    rng.shuffle(out)
    return out


def _variant(rng, shape):
    """A shape that broadcasts with / matches / conflicts with ``shape``."""
    s = list(shape)
    r = rng.random()
    if r < 0.3:
        return tuple(s)
    if r < 0.5 and s:
        s[rng.randrange(len(s))] = 1
        return tuple(s[rng.randint(0, len(s) - 1):])
    if r < 0.75 and s:
        i = rng.randrange(len(s))
        s[i] = s[i] + rng.choice([1, 2])
        return tuple(s)
    return _shape(rng)


def gen_tensor_op(rng):
    x = _shape(rng)
    r = len(x)
    setup = f"x = {_t(x)}"
    k = rng.random()
    d = _dim(rng, r)
    if k < 0.08:
        return setup, rng.choice([f"torch.flatten(x, {d})", f"x.flatten({d}, {_dim(rng, r)})", "x.flatten()",
                                  f"torch.flatten(x, start_dim={d})"])
    if k < 0.2:
        f = _factor(rng, x)
        m = rng.choice(["view", "reshape"])
        return setup, rng.choice([f"x.{m}({', '.join(map(str, f))})", f"x.{m}({tuple(f)!r})",
                                  f"torch.reshape(x, {tuple(f)!r})", f"x.view(x.size(0), -1)" if r else "x.view(-1)"])
    if k < 0.28:
        return setup, rng.choice(["x.squeeze()", f"x.squeeze({d})", f"x.unsqueeze({_dim(rng, r + 1)})",
                                  f"torch.unsqueeze(x, {d})", f"x.squeeze(dim={d})"])
    if k < 0.36:
        p = list(range(r))
        rng.shuffle(p)
        if rng.random() < 0.2:
            p = p[:-1] if p else [0]
        return setup, rng.choice([f"x.permute({', '.join(map(str, p))})", f"x.permute({tuple(p)!r})",
                                  f"x.transpose({d}, {_dim(rng, r)})", "x.t()", f"torch.transpose(x, {d}, 0)",
                                  "x.contiguous()", "x.T" if r == 2 else "x.mT" if r >= 2 else "x.clone()"])
    if k < 0.48:
        kd = rng.choice(["", ", keepdim=True"])
        return setup, rng.choice([f"x.mean({d}{kd})", "x.sum()", f"x.sum(dim={d}{kd})", f"x.max({d}{kd})", "x.max()",
                                  f"x.min(dim={d})", f"x.argmax({d}{kd})", "x.argmax()", f"torch.mean(x, {d})",
                                  f"x.mean(dim=({d}, {_dim(rng, r)}))", f"torch.softmax(x, {d})",
                                  f"x.log_softmax({d})", f"torch.max(x, {d})[0]", f"x.amax({d})"])
    if k < 0.6:
        y = _variant(rng, x)
        setup += f"\nz = {_t(y)}"
        return setup, rng.choice([f"torch.cat([x, z], {d})", f"torch.cat((x, z), dim={d})", f"torch.stack([x, z], {d})",
                                  f"torch.cat([x, x, z])", f"torch.stack((x, z))"])
    if k < 0.72:
        y = _variant(rng, x)
        setup += f"\nz = {_t(y)}"
        return setup, rng.choice(["x + z", "x - z", "x * z", "x / z", "z ** 2 + x", "torch.add(x, z)",
                                  "torch.mul(x, z)", "torch.maximum(x, z)", "torch.where(x > 0, x, z)", "x + 1",
                                  "x.add_(z)", "x.sub_(z)", "x.mul_(z)", "x.div_(z)"])
    if k < 0.84:
        kk = rng.random()
        if kk < 0.5 and r >= 1:
            y = list(_variant(rng, x))
            if rng.random() < 0.6 and r >= 1:
                y = list(x[:-2]) + [x[-1], rng.randint(1, 4)]
            y = tuple(y)
        else:
            y = _shape(rng)
        setup += f"\nz = {_t(y)}"
        return setup, rng.choice(["x @ z", "torch.matmul(x, z)", "torch.bmm(x, z)", "torch.mm(x, z)", "x.matmul(z)",
                                  "torch.spmm(x, z)", "x.to_sparse().mm(z)"])
    parts = []
    for _ in range(rng.randint(1, max(1, r + 1))):
        c = rng.random()
        if c < 0.3:
            parts.append(str(rng.randint(-5, 4)))
        elif c < 0.55:
            parts.append(":")
        elif c < 0.7:
            parts.append(f"{rng.choice(['', '1', '-2'])}:{rng.choice(['', '2', '-1', '10'])}"
                         f"{rng.choice(['', ':2', ':1'])}")
        elif c < 0.8:
            parts.append("None")
        elif c < 0.9 and "..." not in parts:  # several `...` behave irregularly in torch; shapelint says unknown
            parts.append("...")
        else:
            parts.append("0")
    return setup, f"x[{', '.join(parts)}]"


def gen_functional(rng):
    k = rng.random()
    if k < 0.35:
        n = rng.choice([1, 2, 2, 3])
        rank = n + rng.choice([1, 2, 2])
        x = (rng.choice([1, 2]),) * (rank - n - 1) + (rng.randint(1, 4),) + tuple(rng.randint(1, 9) for _ in range(n))
        setup = f"x = {_t(x)}"
        kern = rng.choice([1, 2, 3, 4])
        pad = rng.choice([0, 0, 1, 2])
        op = rng.choice(["max_pool", "avg_pool", "adaptive_avg_pool", "adaptive_max_pool", "lp_pool"])
        if op in ("max_pool", "avg_pool"):
            return setup, f"F.{op}{n}d(x, {kern}, stride={rng.choice([None, 1, 2])}, padding={pad}" \
                          f"{', ceil_mode=True' if rng.random() < 0.3 else ''})"
        if op == "lp_pool":
            return setup, f"F.lp_pool{n}d(x, 2, {kern})"
        return setup, f"F.{op}{n}d(x, {rng.choice([1, 2, 3])})"
    if k < 0.55:
        n = rng.choice([1, 2])
        cin = rng.randint(1, 4)
        x = (2, cin) + tuple(rng.randint(3, 8) for _ in range(n)) if rng.random() < 0.85 else (cin,) + (5,) * n
        w_in = cin if rng.random() < 0.8 else cin + 1
        cout, kern = rng.choice([2, 4]), rng.choice([1, 3])
        setup = f"x = {_t(x)}\nw = {_t((cout, w_in) + (kern,) * n)}"
        if rng.random() < 0.3:
            setup = f"x = {_t(x)}\nw = {_t((w_in, cout) + (kern,) * n)}"
            return setup, f"F.conv_transpose{n}d(x, w, stride={rng.choice([1, 2])})"
        return setup, f"F.conv{n}d(x, w, padding={rng.choice([0, 1, 'same'])!r}, stride={rng.choice([1, 1, 2])})"
    if k < 0.7:
        x = _shape(rng, rng.choice([1, 2, 3]), 1, 6)
        w_in = x[-1] if rng.random() < 0.8 else x[-1] + 1
        setup = f"x = {_t(x)}\nw = {_t((3, w_in))}"
        return setup, rng.choice(["F.linear(x, w)", f"F.layer_norm(x, ({w_in},))", f"F.layer_norm(x, [{x[-1]}])",
                                  f"F.softmax(x, dim={_dim(rng, len(x))})", "F.relu(x)", "F.gelu(x)",
                                  f"F.glu(x, {_dim(rng, len(x))})", "F.dropout(x, 0.2)", "F.normalize(x, dim=-1)",
                                  f"F.log_softmax(x, {_dim(rng, len(x))})", "F.leaky_relu(x, 0.1)"])
    if k < 0.85:
        x = (2, rng.randint(1, 4)) + tuple(rng.randint(1, 6) for _ in range(rng.choice([1, 2, 3])))
        setup = f"x = {_t(x)}"
        return setup, rng.choice([f"F.interpolate(x, scale_factor={rng.choice([2, 0.5, 1.5])})",
                                  f"F.interpolate(x, size={rng.choice([4, (4, 5), (3, 3, 3)])!r})",
                                  f"F.interpolate(x, scale_factor=2, mode={rng.choice(['bilinear', 'linear'])!r})",
                                  f"F.pad(x, {rng.choice([(1, 1), (1, 2, 0, 1), (2, 2, 2, 2, 2, 2)])!r})",
                                  f"F.pad(x, (1, 1), mode={rng.choice(['reflect', 'replicate', 'circular'])!r})",
                                  f"F.pad(x, (3, 3), mode='reflect')"])
    x = (2, rng.choice([2, 4, 8, 9]), rng.choice([2, 4]), rng.choice([2, 3, 4]))
    setup = f"x = {_t(x)}"
    groups = rng.choice([2, 3])
    return setup, rng.choice(["F.pixel_shuffle(x, 2)", "F.pixel_unshuffle(x, 2)", f"F.group_norm(x, {groups})",
                              "F.local_response_norm(x, 2)", "F.adaptive_avg_pool2d(x, (None, 1))",
                              "torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)", "F.relu(x).mean((2, 3))"])


def gen_unpool(rng):
    """MaxUnpool1d/2d/3d and F.max_unpool*: zero indices (always valid: which indices are valid depends on the data,
    which shapelint does not check), indices a real MaxPool returned, wrong-shaped / float indices, output_size."""
    n = rng.choice([1, 2, 3])
    rank = rng.choice([n + 2] * 5 + [n + 1] * 3 + [n, n + 3])
    x = tuple(rng.randint(1, 3) for _ in range(rank - n)) + tuple(rng.randint(0 if rng.random() < 0.05 else 1, 5)
                                                                  for _ in range(n))
    kern = rng.choice([1, 2, 2, 2, 3, 3, (2,) * n, (3,) * n, (2,) * (n + 1)])
    stride = rng.choice([None, None, 1, 2, 3])
    pad = rng.choice([0, 0, 0, 0, 1, 1, 2])
    k = kern[0] if isinstance(kern, tuple) else kern
    s = k if stride is None else stride
    args = f"{kern!r}" + (f", stride={stride}" if stride is not None else "") + (f", padding={pad}" if pad else "")
    module = rng.random() < 0.5
    if rng.random() < 0.3 and rank in (n + 1, n + 2) and isinstance(kern, int) and pad <= k // 2:
        # indices from a real MaxPool with the same window; output_size = the pooled tensor's size, so every index
        # is valid
        x0 = x[:-n] + tuple(max(d * s, k) for d in x[-n:])
        setup = f"x0 = {_t(x0)}\nx, i = F.max_pool{n}d(x0, {args}, return_indices=True)"
        size = rng.choice(["x0.size()", "x0.shape[-%d:]" % n, "x0.size()[2:]" if rank == n + 2 else "x0.shape"])
    else:
        setup = f"x = {_t(x)}"
        r = rng.random()
        ishape = x if r < 0.8 else tuple(d + 1 for d in x) if r < 0.9 else x[1:]
        dtype = "torch.long" if rng.random() < 0.9 else rng.choice(["torch.float", "torch.int32"])
        setup += f"\ni = torch.zeros({ishape!r}, dtype={dtype})"
        sp = [(d - 1) * s + k - 2 * pad + rng.choice([-s, -1, 0, 0, 1, s]) for d in x[-n:]]
        size = rng.choice([None, None, None, tuple(sp), [2, 1] + sp, tuple(sp[:-1]) or None])
    if module:
        setup = "import torch.nn as nn\n" + setup + f"\nm = nn.MaxUnpool{n}d({args})"
        if size is None:
            return setup, "m(x, i)"
        return setup, rng.choice([f"m(x, i, {size})", f"m(x, i, output_size={size})"])
    return setup, f"F.max_unpool{n}d(x, i, {args}" + (f", output_size={size})" if size is not None else ")")


def gen_pairwise(rng):
    """F.pairwise_distance and nn.PairwiseDistance: the last axis of the broadcast inputs is reduced."""
    a = _shape(rng, rng.choice([0, 1, 1, 2, 2, 3]), 1, 4)
    b = _variant(rng, a)
    setup = f"a = {_t(a)}\nb = {_t(b)}"
    kd = rng.choice(["", ", keepdim=True", ", keepdim=False"])
    p = rng.choice(["", ", p=1.0", ", 3"])
    if rng.random() < 0.3:
        return "import torch.nn as nn\n" + setup + f"\nm = nn.PairwiseDistance({(p + kd)[2:]})", "m(a, b)"
    return setup, rng.choice([f"F.pairwise_distance(a, b{p}{kd})", f"F.pairwise_distance(a, b{kd})",
                              f"F.pairwise_distance(x1=a, x2=b{kd})"])


@pytest.mark.parametrize("gen,n,seed", [(gen_tensor_op, 900, 27), (gen_functional, 600, 27)])
def test_generated_ops_agree_with_torch(gen, n, seed):
    bad, counts = run_generated(gen, n, seed=seed)
    assert counts["ok"] > n // 5 and counts["error"] > n // 10, counts
    assert not bad, f"{len(bad)} of {n} disagree:\n" + "\n".join(bad[:12])


CASES = [
    ("x = torch.randn(8, 16, 4, 4)", "torch.flatten(x, 1)"),
    ("x = torch.randn(8, 16, 4, 4)", "x.view(x.size(0), -1)"),
    ("x = torch.randn(8, 16, 4, 4)", "x.view(-1, 16 * 5 * 5)"),
    ("x = torch.randn(4, 7, 20)", "x[:, -1]"),
    ("x = torch.randn(4, 7, 20)", "x[:, 0, :]"),
    ("x = torch.randn(4, 7, 20)", "x[..., None, 2:5]"),
    ("x = torch.randn(4, 7, 20)\nz = torch.randn(4, 7, 3)", "torch.cat([x, z], dim=-1)"),
    ("x = torch.randn(4, 7, 20)\nz = torch.randn(4, 6, 20)", "torch.cat([x, z], dim=-1)"),
    ("x = torch.randn(8, 256)\nw = torch.randn(120, 400)", "F.linear(x, w)"),
    ("x = torch.randn(8, 256)\nw = torch.randn(400, 120)", "x @ w"),
    # a tensor as the whole index: integer rows (a permutation's slice, a 2-D table of ids)
    ("x = torch.randn(10, 4)\ni = torch.randperm(10)[:3]", "x[i]"),
    ("x = torch.randn(10, 4, 2)\ni = torch.randint(0, 10, (2, 3))", "x[i]"),
    ("x = torch.randint(0, 3, (90, 1))\ni = torch.randperm(90)[30:60]", "x[i]"),
]


@pytest.mark.parametrize("setup, expr", [("x = torch.randn(10, 4)\nm = torch.rand(10) > 0.5", "x[m]"),
                                         ("x = torch.randn(6, 5, 3)\nm = torch.rand(6, 5) > 0.5", "x[m]")])
def test_a_boolean_mask_keeps_an_unknown_number_of_rows(setup, expr):
    from torch_ops_harness import shapelint_result, torch_result
    real, ours = torch_result(setup, expr), shapelint_result(setup, expr)
    assert real[0] == ours[0] == "ok"
    assert ours[1][0] is None and tuple(ours[1][1:]) == tuple(real[1][1:]), (real, ours)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_named_ops(case):
    setup, expr = CASES[case]
    assert compare(setup, expr) is None


@pytest.mark.parametrize("gen,n,seed", [(gen_unpool, 500, 7), (gen_pairwise, 300, 7)])
def test_generated_unpool_and_distance_agree_with_torch(gen, n, seed):
    bad, counts = run_generated(gen, n, seed=seed)
    print(gen.__name__, counts)
    assert counts["ok"] > n // 5 and counts["error"] > n // 10, counts
    assert not bad, f"{len(bad)} of {n} disagree:\n" + "\n".join(bad[:12])


# NumPy's names for `dim` and `keepdim`: torch's native functions and tensor methods take them, the functions written
# in Python (torch.nn.functional, split, norm, unique) reject them
_ALIASED = ["torch.cat([x, x], {k}={d})", "torch.concat([x, x], {k}={d})", "torch.stack([x, x], {k}={d})",
            "torch.sum(x, {k}={d}{kd})", "torch.mean(x, {k}={d}{kd})", "torch.amax(x, {k}={d}{kd})",
            "torch.argmax(x, {k}={d}{kd})", "torch.softmax(x, {k}={d})", "torch.log_softmax(x, {k}={d})",
            "torch.squeeze(x, {k}={d})", "torch.unsqueeze(x, {k}={d})", "torch.cumsum(x, {k}={d})",
            "torch.logsumexp(x, {k}={d}{kd})", "torch.std(x, {k}={d}{kd})", "torch.chunk(x, 2, {k}={d})[0]",
            "torch.max(x, {k}={d}{kd})[0]", "x.sum({k}={d}{kd})", "x.mean({k}={d}{kd})", "x.argmax({k}={d})",
            "x.max({k}={d}{kd})[1]", "x.unsqueeze({k}={d})", "x.softmax({k}={d})", "x.var({k}={d}{kd})",
            "x.all({k}={d})", "x.prod({k}={d}{kd})", "F.softmax(x, {k}={d})", "F.normalize(x, {k}={d})",
            "torch.split(x, 1, {k}={d})[0]", "x.split(1, {k}={d})[0]", "x.norm({k}={d})"]


def gen_numpy_alias(rng):
    x = _shape(rng, rng.choice([1, 2, 3, 3]), 1, 4)
    k = rng.choice(["axis", "axis", "dim"])
    kd = rng.choice(["", "", ", keepdims=True", ", keepdim=True", ", keepdims=False"])
    return f"x = {_t(x)}", rng.choice(_ALIASED).format(k=k, d=_dim(rng, len(x)), kd=kd)


def test_generated_numpy_aliases_agree_with_torch():
    bad, counts = run_generated(gen_numpy_alias, 400, seed=5)
    assert counts["ok"] > 150 and counts["error"] > 20, counts
    assert not bad, f"{len(bad)} of 400 disagree:\n" + "\n".join(bad[:12])


def gen_fft(rng):
    """torch.fft's 1-D transforms along one axis, with and without ``n``, and window functions for STFT frames."""
    x = _shape(rng, rng.choice([1, 2, 3]), 1, 7)
    setup = f"x = {_t(x)}"
    if rng.random() < 0.3:
        setup += f"\nx = x * torch.{rng.choice(['hann_window', 'hamming_window'])}({x[-1]})"
    if rng.random() < 0.3:
        setup += "\nx = torch.fft.fft(x)"  # a complex input
    fn = rng.choice(["fft", "ifft", "rfft", "irfft"])
    args = rng.choice(["", ", n=%d" % rng.randint(0, 9), ", dim=%d" % _dim(rng, len(x)),
                       ", n=%d, dim=0" % rng.randint(1, 9)])
    return setup, rng.choice([f"torch.fft.{fn}(x{args})", f"torch.fft.{fn}(x{args}).abs()"])


def test_generated_fft_agrees_with_torch():
    bad, counts = run_generated(gen_fft, 300, seed=11)
    assert counts["ok"] > 100 and counts["error"] > 10, counts
    assert not bad, f"{len(bad)} of 300 disagree:\n" + "\n".join(bad[:12])


def gen_stft(rng):
    """torch.stft of one signal or a batch of them: n_fft, hop and window lengths, centered or not, one- or
    two-sided, complex or (real, imaginary) output, windows of the right and wrong length, signals shorter than the
    frame, and the return_complex a real signal must give."""
    x = _shape(rng, rng.choice([1, 2, 2, 3]), 1, 3)
    x = tuple(x[:-1]) + (rng.choice([5, 16, 40, 100, 257]),)
    setup = f"x = {_t(x)}"
    n_fft = rng.choice([4, 8, 16, 32, 64, 128])
    parts = [str(n_fft) if rng.random() < 0.5 else f"n_fft={n_fft}"]
    if rng.random() < 0.6:
        parts.append(f"hop_length={rng.choice([1, 2, 4, 8, 10])}")
    win = None
    if rng.random() < 0.3:
        win = rng.choice([n_fft, n_fft // 2, n_fft + 1])
        parts.append(f"win_length={win}")
    if rng.random() < 0.4:
        parts.append(f"window=torch.hann_window({rng.choice([n_fft, win or n_fft, n_fft // 2])})")
    if rng.random() < 0.4:
        parts.append(f"center={rng.choice(['True', 'False'])}")
    if rng.random() < 0.2:
        parts.append(f"onesided={rng.choice(['True', 'False'])}")
    if rng.random() < 0.9:
        parts.append(f"return_complex={rng.choice(['True', 'True', 'False'])}")
    expr = f"torch.stft(x, {', '.join(parts)})"
    return setup, rng.choice([expr, f"{expr}.abs()", f"({expr}.abs() ** 2).mean(dim=-1)"])


def test_generated_stft_agrees_with_torch():
    bad, counts = run_generated(gen_stft, 300, seed=13)
    assert counts["ok"] > 100 and counts["error"] > 30, counts
    assert not bad, f"{len(bad)} of 300 disagree:\n" + "\n".join(bad[:12])


def gen_leading_indices(rng):
    """``x[torch.arange(n), idx]``, ``x[range(n), idx, :]``: integer index tensors (or ranges) on the leading axes,
    of shapes that broadcast or not."""
    x = _shape(rng, rng.choice([1, 2, 2, 3, 3]), 2, 6)
    k = rng.randint(1, len(x))
    n = rng.randint(1, 5)
    parts = []
    for i in range(k):
        shape = rng.choice([(n,), (n,), (1,), (n, 1), (rng.randint(1, 4),)])
        if rng.random() < 0.2 and len(shape) == 1:
            parts.append(f"range({shape[0]})" if shape[0] <= x[i] else f"range({x[i]})")
        else:
            parts.append(f"torch.randint(0, {x[i]}, {shape})")
    tail = [":"] * rng.randint(0, len(x) - k)
    return f"x = {_t(x)}", f"x[{', '.join(parts + tail)}]"


def test_leading_index_tensors_agree_with_torch():
    from torch_ops_harness import shapelint_result, torch_result
    import random
    rng, known, clashes, n = random.Random(5), 0, 0, 300
    for _ in range(n):
        setup, expr = gen_leading_indices(rng)
        ours = shapelint_result(setup, expr)
        if ours[0] == "error":  # index tensors whose shapes cannot broadcast: torch raises too
            clashes += 1
            real = torch_result(setup, expr)
            assert real[0] == "error" and "could not be broadcast" in real[1], (setup, expr, real, ours)
            continue
        if ours[1] != "?":
            known += 1
            real = torch_result(setup, expr)
            assert real == ("ok", ours[1]), (setup, expr, real, ours)
    assert known > n // 3 and clashes > 0
