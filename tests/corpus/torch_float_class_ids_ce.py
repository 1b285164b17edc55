import numpy as np
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
x = torch.randn(16, 8)
y = torch.randint(0, 3, (16,)).float()
loss = criterion(model(x), y)
loss.backward()
