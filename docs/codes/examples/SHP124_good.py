import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1),
    nn.AdaptiveAvgPool2d(1),
    nn.BatchNorm2d(8),
)
model.train()
print(model(torch.randn(4, 3, 32, 32)).shape)
