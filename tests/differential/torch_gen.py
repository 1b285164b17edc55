"""Random nn.Sequential generators for the torch differential tests.

Each generator builds a model step by step, running real torch as it goes so the next module's arguments usually fit
the current shape (and sometimes deliberately do not: a wrong in_features, a kernel larger than the input, ...).
Generation stops at the first module torch rejects; the harness then compares the whole model.
"""
from __future__ import annotations

import warnings

MISTAKE = 0.12


def _run(src: str, x):
    import torch
    import torch.nn as nn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = eval(src, {"nn": nn, "torch": torch})  # noqa: S307
        with torch.no_grad():
            return m(x)


def _maybe(rng, v, alt):
    return alt if rng.random() < MISTAKE else v


def _kw(rng, pairs: list, positional_upto: int = 0) -> str:
    """Render arguments: the first ``positional_upto`` positionally (in signature order), the rest as keywords
    when they differ from the default (value None means: leave out)."""
    out = []
    for i, (name, value) in enumerate(pairs):
        if value is None:
            continue
        if i < positional_upto and all(p[1] is not None for p in pairs[:i]):
            out.append(repr(value))
        else:
            out.append(f"{name}={value!r}")
    return ", ".join(out)


def build(rng, input_src: str, pick, max_len: int = 6):
    """Grow a model with ``pick(rng, shape) -> module source`` until max_len or the first failure."""
    import torch
    ns = {"torch": torch}
    x = eval(input_src, ns)  # noqa: S307
    mods = []
    for _ in range(rng.randint(1, max_len)):
        if not isinstance(x, torch.Tensor):
            src = pick(rng, None)
        else:
            src = pick(rng, tuple(x.shape))
        if src is None:
            break
        mods.append(src)
        try:
            x = _run(src, x)
        except Exception:
            break
        if isinstance(x, tuple) and rng.random() < 0.7:
            break
    return input_src, mods


ACTS = ["nn.ReLU()", "nn.GELU()", "nn.Tanh()", "nn.Sigmoid()", "nn.LeakyReLU(0.2)", "nn.ELU()", "nn.SiLU()",
        "nn.Mish()", "nn.Hardswish()", "nn.ReLU6()", "nn.SELU()", "nn.CELU()", "nn.Softplus()", "nn.Hardtanh()",
        "nn.Threshold(0.1, 0.0)", "nn.Identity()", "nn.Dropout(0.1)", "nn.AlphaDropout(0.1)", "nn.Softsign()",
        "nn.LogSigmoid()", "nn.Tanhshrink()", "nn.Hardsigmoid()", "nn.GELU(approximate='tanh')", "nn.RReLU()",
        "nn.Hardshrink()", "nn.Softshrink(0.3)", "nn.Dropout3d()", "nn.Dropout2d(0.1)", "nn.CELU(0.5)"]


def _divisor(rng, c):
    ds = [d for d in range(1, c + 1) if c % d == 0]
    return rng.choice(ds)


# -- images (N, C, H, W) / (C, H, W) ---------------------------------------------------------------------------
def pick_spatial(rng, shape, n: int):
    if shape is None:
        return rng.choice(["nn.Identity()", "nn.ReLU()", f"nn.Linear(4, 2)"])
    if len(shape) < n + 1:
        return rng.choice(ACTS + [f"nn.Linear({shape[-1] if shape else 1}, 3)"])
    C = shape[-n - 1]
    sp = shape[-n:]
    D = f"{n}d"
    r = rng.random()
    cin = _maybe(rng, C, rng.choice([C + 1, max(1, C - 1), 3, C * 2]))
    tup = lambda v: v if rng.random() < 0.6 else tuple([v] * n)  # noqa: E731
    if r < 0.22:
        k = rng.choice([1, 2, 3, 3, 5, tuple(rng.choice([1, 2, 3]) for _ in range(n))])
        stride = rng.choice([1, 1, 2, tup(2), 3])
        pad = rng.choice([0, 0, 1, 2, "same", "valid", tup(1)])
        if pad == "same" and stride != 1 and rng.random() < 0.8:
            stride = 1
        dil = rng.choice([1, 1, 1, 2])
        cout = rng.choice([1, 2, 4, 6, 8])
        groups = 1
        if rng.random() < 0.2:
            groups = _maybe(rng, _divisor(rng, C) if cout % _divisor(rng, C) == 0 else 1, 2)
            if cout % groups:
                cout = groups * rng.choice([1, 2])
        mode = rng.choice(["zeros"] * 6 + ["reflect", "replicate", "circular"])
        args = [("in_channels", cin), ("out_channels", cout), ("kernel_size", k),
                ("stride", stride if stride != 1 else None), ("padding", pad if pad != 0 else None),
                ("dilation", dil if dil != 1 else None), ("groups", groups if groups != 1 else None),
                ("bias", False if rng.random() < 0.2 else None),
                ("padding_mode", mode if mode != "zeros" else None)]
        if rng.random() < 0.1:
            return f"nn.LazyConv{D}({_kw(rng, args[1:], rng.randint(0, 3))})".replace("padding='same'", "padding=0") \
                if pad == "same" else f"nn.LazyConv{D}({_kw(rng, args[1:], rng.randint(0, 3))})"
        return f"nn.Conv{D}({_kw(rng, args, rng.randint(0, 4))})"
    if r < 0.30:
        k = rng.choice([1, 2, 3, 4])
        stride = rng.choice([1, 2, 2, 3])
        pad = rng.choice([0, 0, 1, 2])
        op = rng.choice([0, 0, 1, 2]) if stride > 1 else rng.choice([0, 0, 0, 1])
        dil = rng.choice([1, 1, 2])
        cout = rng.choice([1, 2, 4])
        args = [("in_channels", cin), ("out_channels", cout), ("kernel_size", k), ("stride", stride),
                ("padding", pad or None), ("output_padding", op or None), ("dilation", dil if dil > 1 else None)]
        if rng.random() < 0.1:
            return f"nn.LazyConvTranspose{D}({_kw(rng, args[1:], rng.randint(0, 3))})"
        return f"nn.ConvTranspose{D}({_kw(rng, args, rng.randint(0, 4))})"
    if r < 0.42:
        k = rng.choice([1, 2, 2, 3, 4, tuple(rng.choice([1, 2, 3]) for _ in range(n))])
        kmin = min(k) if isinstance(k, tuple) else k
        stride = rng.choice([None, None, 1, 2, 3])
        pad = rng.choice([0, 0, 0, 1, kmin // 2, kmin // 2 + 1])
        ceil = rng.random() < 0.3
        kind = rng.choice(["Max", "Avg", "Avg", "Max", "LP"])
        if kind == "Max":
            dil = rng.choice([1, 1, 2])
            args = [("kernel_size", k), ("stride", stride), ("padding", pad or None),
                    ("dilation", dil if dil > 1 else None), ("ceil_mode", True if ceil else None)]
            if rng.random() < 0.05:
                args.append(("return_indices", True))
            return f"nn.MaxPool{D}({_kw(rng, args, rng.randint(0, 3))})"
        if kind == "Avg":
            args = [("kernel_size", k), ("stride", stride), ("padding", pad or None),
                    ("ceil_mode", True if ceil else None),
                    ("count_include_pad", False if rng.random() < 0.2 else None)]
            return f"nn.AvgPool{D}({_kw(rng, args, rng.randint(0, 3))})"
        args = [("norm_type", 2), ("kernel_size", k), ("stride", stride), ("ceil_mode", True if ceil else None)]
        return f"nn.LPPool{D}({_kw(rng, args, rng.randint(1, 3))})"
    if r < 0.48:
        o = rng.choice([1, 2, 3, tuple(rng.choice([1, 2, None]) for _ in range(n))])
        return f"nn.Adaptive{rng.choice(['Avg', 'Max'])}Pool{D}({o!r})"
    if r < 0.58:
        kind = rng.choice(["BatchNorm", "BatchNorm", "InstanceNorm", "Group", "LRN", "LazyBatchNorm", "LazyInstance",
                           "CrossMap"])
        if kind == "LazyInstance":
            return f"nn.LazyInstanceNorm{D}()"
        if kind == "CrossMap":
            return f"nn.CrossMapLRN2d({rng.choice([2, 3])})"
        if kind == "BatchNorm":
            return f"nn.BatchNorm{D}({cin}{', affine=False' if rng.random() < 0.2 else ''})"
        if kind == "LazyBatchNorm":
            return f"nn.LazyBatchNorm{D}()"
        if kind == "InstanceNorm":
            return f"nn.InstanceNorm{D}({cin}{', affine=True' if rng.random() < 0.5 else ''}" \
                   f"{', track_running_stats=True' if rng.random() < 0.2 else ''})"
        if kind == "Group":
            g = _maybe(rng, _divisor(rng, C), rng.choice([2, 3]))
            return f"nn.GroupNorm({g}, {cin}{', affine=False' if rng.random() < 0.3 else ''})"
        return f"nn.LocalResponseNorm({rng.choice([2, 3])})"
    if r < 0.70:
        return rng.choice(ACTS + [f"nn.Dropout{D}(0.2)", f"nn.PReLU({_maybe(rng, C, C + 1)})", "nn.PReLU()",
                                  "nn.Softmax(dim=1)", f"nn.LogSoftmax({rng.choice([1, -1, 3, 4])})", "nn.Softmax2d()",
                                  f"nn.FeatureAlphaDropout(0.1)", f"nn.ChannelShuffle({rng.choice([1, 2, 3])})"])
    if r < 0.78:
        kind = rng.choice(["Zero", "Constant", "Reflection", "Replication", "Circular"])
        p = rng.choice([1, 2, 3, tuple(rng.choice([0, 1, 2, 4]) for _ in range(2 * n)), 5])
        if kind == "Zero" and rng.random() < 0.2:
            p = tuple(rng.choice([-1, 0, 1]) for _ in range(2 * n))
        return f"nn.{kind}Pad{D}({p!r}{', 0.5' if kind == 'Constant' else ''})"
    if r < 0.86:
        kind = rng.random()
        if kind < 0.5:
            sf = rng.choice([2, 2, 1.5, 0.5, 3, tuple(rng.choice([1, 2]) for _ in range(n))])
            mode = rng.choice(["nearest", "nearest", "linear", "bilinear", "bicubic", "trilinear", "area",
                               "nearest-exact"])
            ac = ", align_corners=False" if rng.random() < 0.15 else ""
            return f"nn.Upsample(scale_factor={sf!r}, mode={mode!r}{ac})"
        if kind < 0.7:
            size = rng.choice([4, 7, tuple(rng.choice([3, 6]) for _ in range(n)), (5, 5)])
            return f"nn.Upsample(size={size!r})"
        if kind < 0.85 and n == 2:
            return rng.choice([f"nn.PixelShuffle({rng.choice([1, 2])})", f"nn.PixelUnshuffle({rng.choice([1, 2])})",
                               "nn.UpsamplingNearest2d(scale_factor=2)", "nn.UpsamplingBilinear2d(size=(6, 4))",
                               f"nn.Unfold({rng.choice([1, 2, 3, (2, 1)])!r}, stride={rng.choice([1, 2])})",
                               f"nn.FractionalMaxPool2d(2, output_size={rng.choice([2, 3, 5, (3, 2)])!r})",
                               "nn.FractionalMaxPool2d(3, output_ratio=0.5)"])
        if kind < 0.9 and n == 3:
            return rng.choice([f"nn.FractionalMaxPool3d(2, output_size={rng.choice([1, 2, 3])})",
                               "nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0.5, 0.7))"])
        return f"nn.Identity()"
    if r < 0.97:
        flat = 1
        for d in shape[1:]:
            flat *= d
        start = rng.choice([1, 1, 1, 0, 2])
        return rng.choice([f"nn.Flatten()", f"nn.Flatten({start})", f"nn.Flatten({start}, {rng.choice([-1, 2, 1])})",
                           f"nn.Unflatten(1, ({rng.choice([1, C])}, -1))"])
    return f"nn.Linear({_maybe(rng, shape[-1], shape[-1] + 2)}, {rng.choice([2, 5])})"


def gen_images(rng, n: int = 2):
    B = rng.choice([2, 2, 3, 4])
    C = rng.choice([1, 2, 3, 4, 6])
    if n == 1:
        sp = (rng.choice([4, 6, 8, 11, 16, 20]),)
    elif n == 2:
        sp = (rng.choice([4, 5, 7, 8, 12, 16]), rng.choice([4, 6, 8, 9, 12]))
    else:
        sp = tuple(rng.choice([3, 4, 5, 6]) for _ in range(3))
    kind = rng.random()
    if kind < 0.12:
        dims = (C,) + sp  # unbatched
    elif kind < 0.2 and n == 2:
        dims = (B,) + sp + (C,)  # channels-last
    else:
        dims = (B, C) + sp
    input_src = f"torch.randn{dims!r}" if len(dims) > 1 else f"torch.randn({dims[0]})"
    first = None
    if rng.random() < 0.5:
        first = pick_spatial(rng, (B, C) + sp if len(dims) == n + 2 else (C,) + sp, n)
    src, mods = build(rng, input_src, lambda r, s: pick_spatial(r, s, n), max_len=6)
    if first is not None and dims[-1] == C and len(dims) == 4 and first.startswith("nn.Conv2d"):
        pass
    return src, mods


# -- vectors (N, F) ---------------------------------------------------------------------------------------------
def pick_dense(rng, shape):
    if shape is None:
        return rng.choice(["nn.Identity()", "nn.Linear(4, 2)"])
    if not shape:
        return rng.choice(["nn.Flatten(0)", "nn.Linear(1, 2)", "nn.ReLU()", "nn.PReLU()"])
    Fdim = shape[-1]
    r = rng.random()
    if r < 0.35:
        fin = _maybe(rng, Fdim, rng.choice([Fdim + 1, max(1, Fdim - 1), Fdim * 2]))
        out = rng.choice([1, 2, 3, 4, 6, 8, 10])
        bias = ", bias=False" if rng.random() < 0.15 else ""
        if rng.random() < 0.08:
            return f"nn.LazyLinear({out}{bias})"
        if rng.random() < 0.5:
            return f"nn.Linear(in_features={fin}, out_features={out}{bias})"
        return f"nn.Linear({fin}, {out}{bias})"
    if r < 0.55:
        return rng.choice(ACTS)
    if r < 0.62:
        return f"nn.BatchNorm1d({_maybe(rng, shape[1] if len(shape) > 1 else Fdim, Fdim + 1)})"
    if r < 0.70:
        ns = _maybe(rng, Fdim, Fdim + 1) if rng.random() < 0.7 else tuple(shape[-2:])
        return rng.choice([f"nn.LayerNorm({ns!r})", f"nn.RMSNorm({ns!r})"])
    if r < 0.78:
        d = rng.choice([-1, 1, 0, 2, -2])
        return rng.choice([f"nn.Softmax(dim={d})", f"nn.LogSoftmax(dim={d})", "nn.Softmax()", f"nn.GLU({d})",
                           "nn.GLU()", f"nn.Softmin({d})"])
    if r < 0.80 and len(shape) <= 2:
        cell = rng.choice(["RNNCell", "LSTMCell", "GRUCell"])
        extra = ", nonlinearity='relu'" if cell == "RNNCell" and rng.random() < 0.3 else ""
        return f"nn.{cell}({_maybe(rng, Fdim, Fdim + 1)}, {rng.choice([2, 3, 5])}{extra})"
    if r < 0.84:
        return rng.choice([f"nn.PReLU({_maybe(rng, shape[1] if len(shape) > 1 else 1, 3)})", "nn.PReLU()",
                           "nn.Dropout1d()", "nn.FeatureAlphaDropout()", "nn.Bilinear(4, 4, 2)"])
    if r < 0.92:
        a = rng.choice([1, 2, Fdim])
        return rng.choice([f"nn.Unflatten({rng.choice([1, -1, 0, 2])}, ({a}, -1))",
                           f"nn.Unflatten(1, ({a}, {rng.choice([2, 3, Fdim // max(a, 1)])}))",
                           "nn.Flatten()", "nn.Flatten(0)", "nn.Flatten(-2, -1)"])
    if r < 0.96:
        return rng.choice([f"nn.GroupNorm({_divisor(rng, Fdim)}, {Fdim})", f"nn.ZeroPad1d({rng.choice([1, (0, 2)])!r})",
                           f"nn.ConstantPad1d((1, -1), 0.0)", "nn.LocalResponseNorm(2)"])
    return f"nn.Linear({Fdim}, {rng.choice([4, 8])})"


def gen_dense(rng):
    B = rng.choice([2, 3, 4, 8])
    Fdim = rng.choice([1, 3, 4, 6, 8, 12, 20])
    kind = rng.random()
    if kind < 0.1:
        dims = (Fdim,)
    elif kind < 0.25:
        dims = (B, rng.choice([2, 3]), Fdim)
    else:
        dims = (B, Fdim)
    input_src = f"torch.randn{dims!r}" if len(dims) > 1 else f"torch.randn({dims[0]})"
    return build(rng, input_src, pick_dense, max_len=6)


# -- sequences ----------------------------------------------------------------------------------------------------
def pick_seq(rng, shape):
    if shape is None:
        return rng.choice(["nn.Linear(4, 2)", "nn.Identity()", "nn.ReLU()"])
    E = shape[-1] if shape else 1
    r = rng.random()
    if r < 0.3:
        kind = rng.choice(["LSTM", "GRU", "RNN"])
        hidden = rng.choice([2, 4, 6, 8])
        args = [("input_size", _maybe(rng, E, E + 2)), ("hidden_size", hidden),
                ("num_layers", rng.choice([1, 1, 2])), ("batch_first", rng.choice([True, False, None])),
                ("bidirectional", True if rng.random() < 0.3 else None)]
        if kind == "LSTM" and rng.random() < 0.2:
            args.append(("proj_size", rng.choice([1, 2, hidden])))
        if kind == "RNN" and rng.random() < 0.2:
            args.append(("nonlinearity", "relu"))
        return f"nn.{kind}({_kw(rng, args, rng.randint(0, 3))})"
    if r < 0.45:
        d = _maybe(rng, E, E + 4)
        heads = rng.choice([1, 2, 4, 3])
        bf = rng.choice([True, False])
        layer = f"nn.TransformerEncoderLayer({d}, {heads}, dim_feedforward=8, dropout=0.0, batch_first={bf})"
        if rng.random() < 0.3:
            return f"nn.TransformerEncoder({layer}, num_layers={rng.choice([1, 2])}, enable_nested_tensor=False)"
        return layer
    if r < 0.5:
        return rng.choice([f"nn.MultiheadAttention({E}, 1)", f"nn.TransformerDecoderLayer({E}, 1, 8)",
                           f"nn.Transformer({E}, 1, 1, 1, 8)", f"nn.Bilinear({E}, {E}, 2)",
                           f"nn.TransformerDecoder(nn.TransformerDecoderLayer({E}, 1, 8), 1)"])
    if r < 0.75:
        return pick_dense(rng, shape)
    if r < 0.85:
        return rng.choice(["nn.Identity()", "nn.Flatten()", "nn.Flatten(0, 1)", f"nn.LayerNorm({E})"])
    if r < 0.95 and len(shape) >= 2:
        return pick_spatial(rng, shape, 1)
    return f"nn.Embedding(10, {E})"


def gen_seq(rng):
    B, L = rng.choice([2, 3]), rng.choice([1, 3, 5])
    if rng.random() < 0.3:
        n, d = rng.choice([5, 10]), rng.choice([4, 6, 8])
        dims = (B, L) if rng.random() < 0.8 else (L,)
        input_src = f"torch.randint(0, {n}, {dims!r})"
        pad = f", padding_idx={rng.choice([0, n - 1, n])}" if rng.random() < 0.1 else ""
        first = rng.choice([f"nn.Embedding({n}, {d}{pad})", f"nn.Embedding({n}, {d}{pad})",
                            f"nn.EmbeddingBag({n}, {d})"])
        import torch
        try:
            x = _run(first, eval(input_src, {"torch": torch}))  # noqa: S307
        except Exception:
            return input_src, [first]
        mods = [first]
        src2, more = build(rng, f"torch.randn{tuple(x.shape)!r}", pick_seq, max_len=4)
        return input_src, mods + more
    E = rng.choice([2, 4, 6, 8])
    dims = (B, L, E) if rng.random() < 0.8 else (L, E)
    input_src = f"torch.randn{dims!r}"
    return build(rng, input_src, pick_seq, max_len=5)


# family -> (generator, number of models); 2,300 models in all, split over three test files to keep each short
FAMILIES = {
    "images2d": (lambda rng: gen_images(rng, 2), 600),
    "signals1d": (lambda rng: gen_images(rng, 1), 400),
    "volumes3d": (lambda rng: gen_images(rng, 3), 300),
    "vectors": (gen_dense, 500),
    "sequences": (gen_seq, 500),
}


def check_family(family: str) -> None:
    """Run one family through the harness; assert 100% agreement and a healthy mix of outcomes."""
    import zlib

    from torch_harness import run_generated
    generate, n = FAMILIES[family]
    bad, counts = run_generated(generate, n, seed=zlib.crc32(family.encode()) % 1000)
    assert counts["ok"] > n // 5 and counts["error"] > n // 5, counts
    assert not bad, f"{len(bad)} of {n} disagree:\n" + "\n".join(bad[:10])
