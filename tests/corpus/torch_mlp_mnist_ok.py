import torch
from torch import nn

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(28 * 28, 512),
    nn.ReLU(),
    nn.Linear(512, 512),
    nn.ReLU(),
    nn.Linear(512, 10),
)
X = torch.rand(3, 28, 28)
logits = model(X)
print("OUTPUT_SHAPE", tuple(logits.shape))
