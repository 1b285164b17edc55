import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1),
    nn.ReLU(),
)
images = torch.randn(8, 3, 32, 32)
print(model(images).shape)
