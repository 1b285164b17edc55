import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 3))
criterion = nn.CrossEntropyLoss()
y = torch.randint(0, 3, (16,))
loss = criterion(model(torch.randn(16, 8)), y)
