"""Differential tests: random Sequential models mixing the Keras convolution, pooling and reshaping families with
Dense / Flatten / Dropout / Activation, built by real Keras 3 and by shapelint (from source text). Output shape and the
index of the failing layer must agree on every model.

The generator follows the tensor's rank (and its sizes where they are easy to know) so that most layers fit, and
mixes in invalid or edge-case arguments (zero or negative sizes, wrong tuple lengths, bad padding strings, groups that
do not divide, kernels larger than the input, ...) so that roughly a third to a half of the models fail in Keras.

Run with ``-s`` to see the agreement figures.
"""
from __future__ import annotations

import random

import pytest

pytest.importorskip("keras")

from keras_harness import run_generated  # noqa: E402

FIGURES: dict = {}
PARAMS_COMPARED: list = []

# -- a rough tracker of the tensor flowing through the generated model (guides choices only; never compared) -------


class Track:
    def __init__(self, shape: tuple):
        self.shape = list(shape)  # without batch; None = size not tracked

    @property
    def rank(self) -> int:  # with batch
        return len(self.shape) + 1

    def total(self):
        if any(d is None for d in self.shape):
            return None
        t = 1
        for d in self.shape:
            t *= d
        return t

    def channels(self):
        return self.shape[-1] if self.shape else None


def pick(rng, *weighted):
    """pick(rng, (w, value), ...)"""
    total = sum(w for w, _ in weighted)
    r = rng.uniform(0, total)
    for w, v in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][1]


def tup(rng, n, lo, hi, *, bad=0.0):
    """An int or a tuple of n ints in [lo, hi]; with probability `bad` a wrong-length tuple."""
    if rng.random() < bad:
        return tuple(rng.randint(lo, hi) for _ in range(n + rng.choice([-1, 1]) if n > 1 else 2))
    if rng.random() < 0.5:
        return rng.randint(lo, hi)
    return tuple(rng.randint(lo, hi) for _ in range(n))


def fmt_args(*pos, **kw) -> str:
    parts = [repr(p) for p in pos] + [f"{k}={v!r}" for k, v in kw.items() if v is not _SKIP]
    return ", ".join(parts)


_SKIP = object()


def maybe(rng, p, value):
    return value if rng.random() < p else _SKIP


# -- layer generators -----------------------------------------------------------------------------------------


def data_format_arg(rng):
    return pick(rng, (0.84, _SKIP), (0.1, "channels_first"), (0.05, "channels_last"), (0.01, "nchw"))


def conv_layer(rng, t: Track, r: int) -> str:
    kinds = [f"Conv{r}D", f"Conv{r}DTranspose"] + ([f"SeparableConv{r}D", f"DepthwiseConv{r}D"] if r < 3 else [])
    kind = pick(rng, *[(w, k) for w, k in zip([5, 2, 1.5, 1.5], kinds)])
    ks = tup(rng, r, 1, 4, bad=0.01)
    if rng.random() < 0.01:
        ks = 0
    kw = {}
    strides = pick(rng, (0.6, _SKIP), (0.3, tup(rng, r, 1, 3)), (0.01, 0), (0.01, -1), (0.01, tup(rng, r, 1, 2, bad=1)))
    kw["strides"] = strides
    padding = pick(rng, (0.45, _SKIP), (0.4, "same"), (0.05, "valid"), (0.03 if r == 1 else 0.01, "causal"),
                   (0.02, "SAME"), (0.01, "full"), (0.005, [1, 1]))
    kw["padding"] = padding
    kw["data_format"] = data_format_arg(rng)
    kw["dilation_rate"] = pick(rng, (0.85, _SKIP), (0.14, tup(rng, r, 1, 3)), (0.01, 0))
    if kw["dilation_rate"] is not _SKIP and rng.random() < 0.8:
        kw["strides"] = _SKIP
    kw["use_bias"] = maybe(rng, 0.1, False)
    kw["name"] = maybe(rng, 0.03, f"c{rng.randint(0, 10**6)}")
    extra = pick(rng, (0.97, _SKIP), (0.01, "lora_rank"), (0.01, "foo"), (0.01, "groups"))
    if extra is not _SKIP:
        kw[extra] = 2
    kw["activation"] = pick(rng, (0.7, _SKIP), (0.29, "relu"), (0.01, "not_an_activation"))
    filters = pick(rng, (0.98, rng.randint(1, 8)), (0.01, 0), (0.01, -2))
    if kind.startswith("Conv") and not kind.endswith("Transpose"):
        groups = pick(rng, (0.85, _SKIP), (0.13, rng.choice([1, 2, 3, 4])), (0.01, 0), (0.01, -1))
        if groups is not _SKIP and groups > 0 and rng.random() < 0.7:
            filters = groups * rng.randint(1, 3)
        kw["groups"] = groups
        return f"layers.{kind}({fmt_args(filters, ks, **kw)})"
    if kind.endswith("Transpose"):
        kw["output_padding"] = pick(rng, (0.75, _SKIP), (0.12, 0), (0.1, 1), (0.03, tup(rng, r, 0, 2)))
        return f"layers.{kind}({fmt_args(filters, ks, **kw)})"
    kw["depth_multiplier"] = pick(rng, (0.7, _SKIP), (0.29, rng.randint(1, 3)), (0.01, 0))
    if kind.startswith("Separable"):
        return f"layers.{kind}({fmt_args(filters, ks, **kw)})"
    return f"layers.{kind}({fmt_args(ks, **kw)})"


def pool_layer(rng, t: Track, r: int) -> str:
    if rng.random() < 0.3:
        kind = rng.choice([f"GlobalMaxPooling{r}D", f"GlobalAveragePooling{r}D", f"GlobalMaxPool{r}D",
                           f"GlobalAvgPool{r}D"])
        kw = {"data_format": data_format_arg(rng), "keepdims": maybe(rng, 0.3, rng.choice([True, False, 1]))}
        return f"layers.{kind}({fmt_args(**kw)})"
    kind = rng.choice([f"MaxPooling{r}D", f"AveragePooling{r}D", f"MaxPool{r}D", f"AvgPool{r}D"])
    kw = {"strides": pick(rng, (0.6, _SKIP), (0.3, tup(rng, r, 1, 3)), (0.04, 0), (0.03, None), (0.03, -1)),
          "padding": pick(rng, (0.5, _SKIP), (0.4, "same"), (0.04, "valid"), (0.04, "Same"), (0.02, "causal")),
          "data_format": data_format_arg(rng), "trainable": maybe(rng, 0.03, False),
          "pool_mode": maybe(rng, 0.01, "max")}
    pool = pick(rng, (0.9, tup(rng, r, 1, 4, bad=0.03)), (0.05, 0), (0.05, rng.randint(6, 12)))
    if "Max" in kind and rng.random() < 0.3:
        return f"layers.{kind}({fmt_args(**kw)})"  # default pool_size
    if "Average" in kind or "Avg" in kind:
        if rng.random() < 0.02:
            return f"layers.{kind}()"  # pool_size is required
    return f"layers.{kind}({fmt_args(pool, **kw)})"


def reshape_layer(rng, t: Track) -> str:
    total = t.total()
    choice = rng.random()
    if choice < 0.25:
        return "layers.Reshape((-1,))"
    if choice < 0.5 and t.channels():
        return f"layers.Reshape((-1, {t.channels()}))"
    if choice < 0.75 and total:
        # split the total into 1-3 factors (sometimes off by one)
        dims = []
        rest = total
        for _ in range(rng.randint(0, 2)):
            divs = [d for d in range(1, min(rest, 40) + 1) if rest % d == 0]
            d = rng.choice(divs)
            dims.append(d)
            rest //= d
        dims.append(rest + (rng.choice([-1, 1]) if rng.random() < 0.15 else 0))
        rng.shuffle(dims)
        if rng.random() < 0.3:
            dims[rng.randrange(len(dims))] = -1
        return f"layers.Reshape({tuple(dims)!r})"
    odd = pick(rng, (0.5, (rng.randint(1, 6), -1)), (0.2, (rng.randint(1, 4), rng.randint(1, 4), -1)),
               (0.1, (-1, -1)), (0.1, (4, -2)), (0.1, (0, -1)))
    return f"layers.Reshape({odd!r})"


def permute_layer(rng, t: Track) -> str:
    n = len(t.shape) if rng.random() < 0.9 else rng.randint(1, 4)
    dims = list(range(1, n + 1))
    rng.shuffle(dims)
    if rng.random() < 0.05:
        dims[0] = 0
    return f"layers.Permute({tuple(dims)!r})"


def upsample_layer(rng, t: Track, r: int) -> str:
    if r == 1:
        size = pick(rng, (0.85, rng.randint(1, 3)), (0.05, 0), (0.05, True), (0.05, (2,)))
        return f"layers.UpSampling1D({fmt_args(size)})"
    kw = {"data_format": data_format_arg(rng)}
    if r == 2:
        kw["interpolation"] = maybe(rng, 0.2, rng.choice(["bilinear", "nearest"]))
    size = pick(rng, (0.9, tup(rng, r, 1, 3, bad=0.05)), (0.05, 0), (0.05, _SKIP))
    if size is _SKIP:
        return f"layers.UpSampling{r}D({fmt_args(**kw)})"
    return f"layers.UpSampling{r}D({fmt_args(size, **kw)})"


def pad_crop_layer(rng, t: Track, r: int) -> str:
    crop = rng.random() < 0.5
    name = f"Cropping{r}D" if crop else f"ZeroPadding{r}D"
    hi = 4 if crop else 3
    if r == 1:
        amount = pick(rng, (0.6, rng.randint(0, hi)), (0.3, (rng.randint(0, hi), rng.randint(0, hi))),
                      (0.05, -1), (0.05, (1, 2, 3)))
        return f"layers.{name}({fmt_args(amount)})"
    amount = pick(rng,
                  (0.35, rng.randint(0, hi)),
                  (0.3, tuple(rng.randint(0, hi) for _ in range(r))),
                  (0.25, tuple((rng.randint(0, hi), rng.randint(0, hi)) for _ in range(r))),
                  (0.04, -1),
                  (0.03, tuple(rng.randint(0, 2) for _ in range(r + 1))),
                  (0.03, tuple((rng.randint(0, 2), -1) for _ in range(r))))
    kw = {"data_format": data_format_arg(rng)}
    return f"layers.{name}({fmt_args(amount, **kw)})"


def core_layer(rng, t: Track) -> str:
    return pick(rng, (0.4, f"layers.Dense({rng.choice([1, 2, 4, 8, 16])})"), (0.25, "layers.Flatten()"),
                (0.2, "layers.Dropout(0.25)"), (0.15, "layers.Activation('relu')"))


def repeat_layer(rng, t: Track) -> str:
    n = pick(rng, (0.9, rng.randint(1, 4)), (0.05, 0), (0.05, True))
    return f"layers.RepeatVector({n!r})"


# -- tracking (rough) -----------------------------------------------------------------------------------------


def advance(t: Track, src: str) -> None:
    """Update the rough shape after a layer; sizes we do not bother to follow become None."""
    kind = src[len("layers."):src.index("(")]
    if kind in ("Dropout", "Activation"):
        return
    if kind == "Dense":
        t.shape[-1:] = [int(src[src.index("(") + 1:-1])] if t.shape else t.shape
        return
    if kind == "Flatten":
        t.shape = [t.total()]
        return
    if kind.startswith("Global"):
        cf = "channels_first" in src
        c = t.shape[0] if cf else t.shape[-1]
        t.shape = ([c] + [1] * (len(t.shape) - 1) if cf else [1] * (len(t.shape) - 1) + [c]) \
            if "keepdims=True" in src or "keepdims=1" in src else [c]
        return
    if kind == "RepeatVector":
        t.shape = [None] + t.shape
        return
    if kind == "Reshape":
        try:
            target = eval(src[len("layers.Reshape("):-1])  # noqa: S307 -- our own generated text
            if isinstance(target, tuple):
                t.shape = [d if isinstance(d, int) and d >= 0 else None for d in target]
        except Exception:
            pass
        return
    if kind == "Permute":
        try:
            dims = eval(src[len("layers.Permute("):-1])  # noqa: S307
            t.shape = [t.shape[d - 1] for d in dims]
        except Exception:
            pass
        return
    # windowed layers: keep the rank, forget the spatial sizes (and the channels, except for plain stride-1 'same')
    keeps = "padding='same'" in src and "strides" not in src
    if kind.startswith(("Conv", "SeparableConv")) and keeps:
        try:
            filters = int(src[src.index("(") + 1:].split(",")[0])
            t.shape[-1] = filters if "channels_first" not in src else t.shape[-1]
            return
        except ValueError:
            pass
    if kind.startswith("Dropout"):
        return
    t.shape = [None] * (len(t.shape) - 1) + [t.shape[-1] if "channels_first" not in src else None]
    if kind.startswith(("Conv", "Separable", "Depthwise")):
        t.shape[-1] = None


def random_input(rng) -> tuple:
    rank = pick(rng, (0.15, 2), (0.3, 3), (0.4, 4), (0.15, 5))
    if rank == 2:
        return (rng.randint(1, 40),)
    if rank == 3:
        return (rng.randint(1, 40), rng.randint(1, 8))
    if rank == 4:
        return (rng.randint(1, 32), rng.randint(1, 32), rng.randint(1, 6))
    return (rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 4))


def layer_for(rng, t: Track, family: str) -> str:
    r = t.rank - 2
    if r not in (1, 2, 3) or rng.random() < 0.04:  # occasionally a layer of the wrong rank
        r = rng.choice([1, 2, 3])
    if family == "conv":
        return conv_layer(rng, t, r)
    if family == "pool":
        return pool_layer(rng, t, r)
    if family == "upsample":
        return upsample_layer(rng, t, r)
    if family == "padcrop":
        return pad_crop_layer(rng, t, r)
    if family == "reshape":
        return reshape_layer(rng, t)
    if family == "permute":
        return permute_layer(rng, t)
    if family == "repeat" and (t.rank == 2 or rng.random() < 0.1):
        return repeat_layer(rng, t)
    return core_layer(rng, t)


def with_unknown_sizes(shape: tuple, rng) -> tuple:
    """Mark the sizes that are spatial under both data formats as None (unknown, as in keras.Input(shape=(None,
    ...))); the channel axes stay known, since Keras itself cannot build a convolution on an unknown channel count."""
    dims = list(shape)
    for i in range(1, len(dims) - 1):
        if rng.random() < 0.6:
            dims[i] = None
    return tuple(dims)


def make_generator(weights: dict, unknown_sizes: bool = False):
    families = list(weights.items())

    def generate(rng):
        shape = random_input(rng)
        if unknown_sizes:
            shape = with_unknown_sizes(shape, rng)
        t = Track(shape)
        srcs = []
        for _ in range(rng.randint(1, 5)):
            if t.rank == 2 and rng.random() < 0.96:
                fam = pick(rng, (0.5, "core"), (0.25, "repeat"), (0.25, "reshape"))
            else:
                fam = pick(rng, *[(w, f) for f, w in families])
            src = layer_for(rng, t, fam)
            srcs.append(src)
            advance(t, src)
            if not t.shape or any(d is not None and d <= 0 for d in t.shape) or len(t.shape) > 4:
                break
        return shape, srcs

    return generate


CASES = {
    "conv": ({"conv": 6, "pool": 1, "core": 1, "padcrop": 1, "reshape": 0.5}, 600, 11),
    "pooling": ({"pool": 6, "conv": 1, "core": 1, "upsample": 1}, 350, 12),
    "reshaping": ({"reshape": 3, "permute": 2, "upsample": 2, "padcrop": 3, "repeat": 1, "core": 1, "conv": 1,
                   "pool": 1}, 450, 13),
    # unknown spatial sizes flow through as None and are never an error where Keras accepts them
    "window layers, unknown sizes": ({"conv": 3, "pool": 2, "padcrop": 1, "upsample": 1}, 200, 15),
}


@pytest.mark.parametrize("name", list(CASES))
def test_keras_agrees(name):
    weights, n, seed = CASES[name]
    bad, counts = run_generated(make_generator(weights, unknown_sizes=name.endswith("unknown sizes")), n, seed)
    FIGURES[name] = (n, counts["ok"], counts["error"], n - len(bad))
    print(f"\n{name}: {n} models, keras ok {counts['ok']}, keras error {counts['error']}, "
          f"agree {n - len(bad)}/{n}")
    assert not bad, f"{len(bad)} disagreements, first ones:\n" + "\n".join(bad[:5])


def _param_counts(input_shape, srcs):
    """Per-layer count_params() from real Keras, or None when Keras fails to build the model."""
    import keras
    from keras import layers
    ns = {"layers": layers, "keras": keras}
    x = keras.Input(shape=input_shape)
    built = []
    try:
        for src in srcs:
            layer = eval(src, ns)  # noqa: S307 -- our own generated text
            x = layer(x)
            built.append(layer)
    except Exception:
        return None
    return [layer.count_params() for layer in built]


def test_parameter_counts_agree():
    """For models Keras builds, every parameter count shapelint states equals Keras' count_params()."""
    from keras_harness import model_source
    from shapelint.frontends.source.check import check_source
    gen = make_generator({"conv": 6, "pool": 1, "core": 1, "padcrop": 1, "upsample": 1, "reshape": 1})
    rng = random.Random(14)
    compared, bad = 0, []
    for _ in range(200):
        shape, srcs = gen(rng)
        real = _param_counts(shape, srcs)
        if real is None:
            continue
        ops = check_source("generated.py", model_source(shape, srcs)).models[0].program.ops
        assert len(ops) == len(srcs)
        for src, op, n in zip(srcs, ops, real):
            if op.layer.params is not None:
                compared += 1
                if op.layer.params != n:
                    bad.append(f"{src} on {shape}: keras {n}, shapelint {op.layer.params}")
    PARAMS_COMPARED.append(compared)
    print(f"\nparameter counts compared: {compared} layers")
    assert compared > 200
    assert not bad, "\n".join(bad[:5])


def test_agreement_figures():
    """Prints the totals (run with -s); always passes."""
    n = sum(v[0] for v in FIGURES.values())
    if n:
        ok = sum(v[1] for v in FIGURES.values())
        err = sum(v[2] for v in FIGURES.values())
        agree = sum(v[3] for v in FIGURES.values())
        print(f"\nkeras conv/pooling/reshaping differential: {n} models (keras ok {ok}, keras error {err}), "
              f"agreement {agree}/{n} = {100.0 * agree / n:.1f}%")
