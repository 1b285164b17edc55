import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
x = torch.randn(16, 6)
y = F.one_hot(torch.randint(0, 3, (16,)), 3)
loss = F.cross_entropy(model(x), y)
