import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(16, 32),
    nn.ReLU(),
    nn.Linear(32, 4),
    nn.Softmax(dim=0),
)
probs = model(torch.randn(10, 16))
print("OUTPUT_SHAPE", tuple(probs.shape))
