import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 4, 3),
    nn.ReLU(),
    nn.Flatten(),
    nn.Linear(4 * 26 * 26, 10),
)
images = torch.randn(16, 28, 28).unsqueeze(1)
print("OUTPUT_SHAPE", tuple(model(images).shape))
