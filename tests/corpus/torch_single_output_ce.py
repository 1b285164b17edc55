import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 1))
criterion = nn.CrossEntropyLoss()
x = torch.randn(20, 12)
y = torch.randint(0, 2, (20,))
loss = criterion(model(x), y)
