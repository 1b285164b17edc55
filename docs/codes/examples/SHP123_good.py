import torch
import torch.nn as nn

model = nn.Sequential(
    nn.MaxPool2d(kernel_size=2, padding=1),
)
print(model(torch.randn(1, 3, 16, 16)).shape)
