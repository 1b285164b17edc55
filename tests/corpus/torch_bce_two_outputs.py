import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 2), nn.Sigmoid())
criterion = nn.BCELoss()
x = torch.randn(16, 10)
y = torch.randint(0, 2, (16,)).float()
loss = criterion(model(x), y)
