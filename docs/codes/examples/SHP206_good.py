import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 3))
criterion = nn.CrossEntropyLoss()
loss = criterion(model(torch.randn(8, 10)), torch.randint(0, 3, (8,)))
