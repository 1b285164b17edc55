import torch
import torch.nn as nn


class MixerBlock(nn.Module):
    def __init__(self, num_patches, dim, token_hidden=256, channel_hidden=512):
        super().__init__()
        self.norm1 = nn.LayerNorm(num_patches)
        self.token_mix = nn.Sequential(nn.Linear(num_patches, token_hidden), nn.GELU(), nn.Linear(token_hidden, num_patches))
        self.norm2 = nn.LayerNorm(dim)
        self.channel_mix = nn.Sequential(nn.Linear(dim, channel_hidden), nn.GELU(), nn.Linear(channel_hidden, dim))

    def forward(self, x):                       # x: (B, num_patches, dim)
        y = self.norm1(x).transpose(1, 2)
        x = x + self.token_mix(y).transpose(1, 2)
        x = x + self.channel_mix(self.norm2(x))
        return x


class MLPMixer(nn.Module):
    def __init__(self, image_size=224, patch_size=16, dim=512, depth=4, num_classes=100):
        super().__init__()
        num_patches = (image_size // patch_size) ** 2
        self.patch_embed = nn.Conv2d(3, dim, kernel_size=patch_size, stride=patch_size)
        self.blocks = nn.ModuleList([MixerBlock(num_patches, dim) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x).mean(dim=1)
        return self.head(x)


model = MLPMixer()
out = model(torch.randn(2, 3, 224, 224))
print("OUTPUT_SHAPE", tuple(out.shape))
