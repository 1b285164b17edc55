import torch
import torch.nn as nn


class ViTEmbed(nn.Module):
    def __init__(self, patch=8, dim=128, img=64):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim))

    def forward(self, x):
        x = self.proj(x)
        x = x.flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token, x], dim=1)
        return x + self.pos


emb = ViTEmbed()
tokens = emb(torch.randn(4, 3, 64, 64))
