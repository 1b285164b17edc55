import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1),
    nn.ReLU(),
)
images = torch.rand(4, 64, 64, 3)
print(model(images).shape)
