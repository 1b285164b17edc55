"""Audio front-ends whose mistake is in the data preparation, not where torch raises: a mel filterbank helper left
at its default ``n_fft`` while the STFT it multiplies was made with another (the call gets the STFT's own spelling);
a stereo batch (B, frames, channels) "downmixed" over the frames, so ``torch.stft`` gets 2-sample signals (the
reduction gets the other axis). torch is the oracle: each script raises, each fixed script runs, at two sizes."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _error(script):
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    return d


FILTERBANK = textwrap.dedent("""
    import torch

    HOP = 64


    def filterbank(n_bands, n_fft=256):
        return torch.rand(n_fft // 2 + 1, n_bands)


    BANK = filterbank(20)


    def bands(wave):
        spec = torch.stft(wave, n_fft=HOP * 4, hop_length=HOP, window=torch.hann_window(HOP * 4),
                          return_complex=True).abs() ** 2
        return torch.matmul(spec.transpose(1, 2), BANK)


    features = bands(torch.randn(BATCH, 4000))
""").lstrip().replace("HOP = 64", "HOP = HOPSIZE")


@pytest.mark.parametrize("batch,hop", [(2, 100), (3, 80)])
def test_a_filterbank_left_at_its_default_gets_the_stft_setting(batch, hop):
    script = FILTERBANK.replace("BATCH", str(batch)).replace("HOPSIZE", str(hop))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 10
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "BANK = filterbank(20, n_fft=HOP * 4)" in fixed and "n_fft=256" in fixed
    assert run(fixed)["features"].shape == (batch, 1 + 4000 // hop, 20)


def test_a_filterbank_at_the_right_default_is_left_alone():
    script = FILTERBANK.replace("BATCH", "2").replace("HOPSIZE", "64")
    assert run(script)["features"].shape == (2, 63, 20)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]


DOWNMIX = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Spectra(nn.Module):
        def forward(self, mono):
            spec = torch.stft(mono, 256, 128, window=torch.hann_window(256), return_complex=True)
            return spec.abs().mean(dim=-1)


    stereo = torch.randn(BATCH, 3000, 2)
    mono = stereo.mean(dim=1)
    profile = Spectra()(mono)
""").lstrip()


@pytest.mark.parametrize("batch", [2, 5])
def test_a_downmix_over_the_frames_reduces_the_channels_instead(batch):
    script = DOWNMIX.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 12
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "mono = stereo.mean(dim=2)" in fixed
    assert run(fixed)["profile"].shape == (batch, 129)
