import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 8, 3),
    nn.ReLU(),
    nn.Flatten(),
    nn.Linear(8 * 26 * 26, 10),
)
x = torch.randn(32, 784).view(-1, 1, 28, 28)
print("OUTPUT_SHAPE", tuple(model(x).shape))
