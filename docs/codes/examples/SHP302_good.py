import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(12, 2))
criterion = nn.CrossEntropyLoss()
loss = criterion(model(torch.randn(20, 12)), torch.randint(0, 2, (20,)))
