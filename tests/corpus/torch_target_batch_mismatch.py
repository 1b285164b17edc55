import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(6, 3))
criterion = nn.CrossEntropyLoss()
x = torch.randn(16, 6)
y = torch.randint(0, 3, (8,))
loss = criterion(model(x), y)
