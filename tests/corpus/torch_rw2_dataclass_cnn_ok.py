from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Config:
    in_channels: int = 3
    base_width: int = 32
    num_blocks: int = 3
    num_classes: int = 10


class SmallCNN(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        blocks = []
        ch = cfg.in_channels
        for i in range(cfg.num_blocks):
            out_ch = cfg.base_width * (2 ** i)
            blocks.append(self._block(ch, out_ch))
            ch = out_ch
        self.features = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.classifier = nn.Linear(ch, cfg.num_classes)

    @staticmethod
    def _block(in_ch, out_ch):
        return nn.Sequential(
            nn.Conv2d(in_ch, out_ch, 3, padding=1, bias=False),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        )

    def forward(self, x):
        x = self.features(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


cfg = Config()
model = SmallCNN(cfg)
images = torch.randn(4, 3, 64, 64)
with torch.no_grad():
    logits = model(images)
print("OUTPUT_SHAPE", tuple(logits.shape))
