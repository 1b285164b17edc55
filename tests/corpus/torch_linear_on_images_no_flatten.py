import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
images = torch.rand(32, 1, 28, 28)
logits = model(images)
