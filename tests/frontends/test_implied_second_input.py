"""A model checked on the inputs its first layers imply (no call with known data): only the first input's rank is
tried several ways, so a later input whose first layer takes any rank -- a diffusion UNet's timesteps ``t`` into an
``nn.Embedding``, (N,) here, though the Embedding would imply (N, L) -- stays unknown instead of being guessed.
The guess made a 5-D tensor of ``h + t_embed(t)[:, :, None, None]`` and a false error at the next conv. torch is the
oracle: the model runs on (N,) timesteps."""
import textwrap

from oracle import run
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class TinyUNet(nn.Module):
        def __init__(self, ch=3, base=8, steps=50):
            super().__init__()
            self.t_embed = nn.Embedding(steps, base)
            self.inc = nn.Conv2d(ch, base, 3, padding=1)
            self.down = nn.Conv2d(base, base, 4, 2, 1)

        def forward(self, x, t):
            h = F.silu(self.inc(x)) + self.t_embed(t)[:, :, None, None]
            return self.down(h)


    net = TinyUNet()
""").lstrip()


def test_a_later_input_of_a_guessed_rank_stays_unknown():
    out = run(SCRIPT + "y = net(torch.randn(4, 3, 16, 16), torch.randint(0, 50, (4,)))\n")["y"]
    assert tuple(out.shape) == (4, 8, 8, 8)
    assert not [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity in ("error", "warning")]
