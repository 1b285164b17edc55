import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(16, 4), nn.Softmax(dim=0))
probs = model(torch.randn(10, 16))
