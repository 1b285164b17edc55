import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
criterion = nn.CrossEntropyLoss()
x = torch.randn(24, 10)
labels = torch.randint(0, 4, (24,))
outputs = model(x)
loss = criterion(outputs, labels.unsqueeze(1))
