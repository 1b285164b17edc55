import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Linear(16, 10),
)
out = model(torch.randn(4, 3, 32, 32))
print("OUTPUT_SHAPE", tuple(out.shape))
