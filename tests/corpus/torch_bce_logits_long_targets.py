import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
x = torch.randn(32, 10)
y = torch.randint(0, 2, (32, 1))
loss = criterion(model(x), y)
