import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.MSELoss()
x = torch.randn(32, 4)
y = torch.randn(32)
loss = criterion(model(x), y)
