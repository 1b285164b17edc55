"""CIFAR's pickled rows (3072 bytes: 1024 red, 1024 green, 1024 blue) reshaped straight to (32, 32, 3) images
scramble every pixel; nothing raises (rw17b, rw18a, rw18d: three writers modelled it on three public reports). The
fix reads the planes, then moves the channels last. numpy is the oracle: the fixed images are the originals."""
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    IMG = 32
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 256, (8, IMG, IMG, 3), dtype=np.uint8)
    batch = {b"data": truth.transpose(0, 3, 1, 2).reshape(8, 3 * IMG * IMG), b"labels": [0] * 8}


    def to_images(rows):
        return rows.reshape(-1, IMG, IMG, 3).astype("float32") / 255.0


    x = to_images(batch[b"data"])
    model = keras.Sequential([keras.Input((IMG, IMG, 3)), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])
    out = model.predict(x, verbose=0)
    same = bool((np.round(x * 255).astype(np.uint8) == truth).all())
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_planar_rows_reshaped_to_images_are_reported_and_fixed():
    (d,) = _warnings(SRC)
    assert d.code == "SHP211" and d.primary.span.line == 12
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "rows.reshape(-1, 3, IMG, IMG).transpose(0, 2, 3, 1)" in fixed
    assert run(SRC)["same"] is False and run(fixed)["same"] is True
    assert not _warnings(fixed)


def test_rows_under_another_key_are_not_judged():
    assert not _warnings(SRC.replace('b"data"', '"data"'))


def test_the_key_spelled_with_escapes_or_in_pieces_is_still_found():
    """The prefilter that spares files without the key reads bytes literals, not the word "data" (code review 20,
    finding 10): ``b"d\\x61ta"`` and ``b"da" b"ta"`` are the same key."""
    for key in ('b"d\\x61ta"', 'b"da" b"ta"', "b'\\144ata'"):
        src = SRC.replace('b"data"', key)
        assert run(src)["same"] is False
        assert [d.code for d in _warnings(src)] == ["SHP211"], key


def test_the_str_key_counts_in_a_file_that_names_cifar():
    """Pickles read with ``encoding="latin1"`` have str keys: ``batch["data"]`` in a CIFAR script is the same rows
    (rw31b, a Keras CIFAR-10 notebook); in a file that does not name CIFAR a "data" key says nothing."""
    src = SRC.replace('b"data"', '"data"').replace('b"labels"', '"labels"')
    assert not _warnings(src)
    src = "# CIFAR-10 python batches\n" + src
    (d,) = _warnings(src)
    assert d.primary.span.line == 13 and "`'data'`" in d.message
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert run(fixed)["same"] and not _warnings(fixed)
