import torch
import torch.nn as nn
import torch.nn.functional as F


class MultiHead(nn.Module):
    def __init__(self, in_features=64):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(in_features, 128), nn.ReLU())
        self.heads = nn.ModuleDict({
            "age": nn.Linear(128, 1),
            "gender": nn.Linear(128, 2),
            "emotion": nn.Linear(128, 7),
        })

    def forward(self, x):
        feat = self.backbone(x)
        return {name: head(feat) for name, head in self.heads.items()}


class UpsampleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        x = self.conv2(x)
        return x


model = MultiHead()
outs = model(torch.randn(4, 64))
up = UpsampleNet()
y = up(torch.randn(1, 3, 16, 16))
print("OUTPUT_SHAPE", tuple(outs["emotion"].shape))
