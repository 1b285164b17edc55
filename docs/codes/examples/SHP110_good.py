import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(20, 10),
    nn.Softmax(dim=1),
)
print(model(torch.randn(8, 20)).shape)
