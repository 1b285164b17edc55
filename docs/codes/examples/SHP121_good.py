import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(16, 32),
    nn.Linear(32, 8),
)
print(model(torch.randn(4, 16)).shape)
