import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, context):
        h = self.norm(x)
        h, _ = self.attn(h, context, context)
        return x + self.proj(h)


block = Block()
x = torch.randn(16, 2, 64)
context = torch.randn(2, 7, 64)
y = block(x, context)
