import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(5, 10), nn.Tanh(), nn.Linear(10, 2))
criterion = nn.MSELoss()
x = torch.randn(12, 5)
y = torch.randn(12, 3)
loss = criterion(model(x), y)
