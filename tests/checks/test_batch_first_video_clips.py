"""Video clips (B, T, C, H, W) encoded frame by frame and reshaped to (B, T, F) for an LSTM left at
batch_first=False: it reads the clips as time and the frames as the batch, so one clip's output depends on the other
clips. Torch is the oracle (changing clip 1 changes clip 3's logits)."""
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class CNNLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.frames = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.lstm = nn.LSTM(8, 16)
            self.head = nn.Linear(16, 5)

        def forward(self, clips):
            b, t = clips.shape[:2]
            feats = self.frames(clips.reshape(b * t, 3, 16, 16)).reshape(b, t, 8)
            out, _ = self.lstm(feats)
            return self.head(out[:, -1, :])


    torch.manual_seed(0)
    model = CNNLSTM()
    clips = torch.randn(4, 6, 3, 16, 16)
    other = clips.clone()
    other[1] += 1.0
    same = torch.allclose(model(clips)[3], model(other)[3])
""").lstrip()


def test_clips_read_as_time_are_reported_and_fixed():
    assert not run(SRC)["same"]  # clip 3's logits change with clip 1: the samples are mixed
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP205"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.LSTM(8, 16, batch_first=True)" in fixed and run(fixed)["same"]
