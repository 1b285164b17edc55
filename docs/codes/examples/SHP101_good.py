import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(1024, 10),
)
images = torch.randn(8, 1, 32, 32)
print(model(images).shape)
