import torch
import torch.nn as nn


class GatedBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, 2 * channels, 3, padding=1)
        self.qkv = nn.Linear(channels, channels * 3)
        self.fc = nn.Linear(channels, 5)

    def forward(self, x):
        B, C, H, W = x.shape
        a, b = self.conv(x).chunk(2, dim=1)
        x = a * torch.sigmoid(b)
        pooled = x.reshape(B, C, -1).mean(-1)
        q, k, v = self.qkv(pooled).split(C, dim=-1)
        s = q + k + v
        left, right = torch.split(x, [C // 2, C - C // 2], dim=1)
        return self.fc(s), left, right


m = GatedBlock(16)
out, l, r = m(torch.randn(2, 16, 8, 8))
print("OUTPUT_SHAPE", tuple(out.shape))
