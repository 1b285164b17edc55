import math
import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, mask):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(x.size(-1))
        scores = scores.masked_fill(mask == 0, -1e4)
        return scores.softmax(dim=-1) @ v


ids = torch.randint(1, 100, (4, 12))
ids[0, 8:] = 0
mask = (ids != 0).unsqueeze(-1)
out = SelfAttention()(torch.randn(4, 12, 32), mask)
