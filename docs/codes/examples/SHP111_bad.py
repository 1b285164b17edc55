import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 6, kernel_size=3, padding=1),
    nn.PixelShuffle(2),
)
print(model(torch.randn(1, 3, 16, 16)).shape)
