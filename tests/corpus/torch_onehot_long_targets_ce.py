import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

x = torch.randn(32, 20)
labels = torch.randint(0, 5, (32,))
targets = F.one_hot(labels, num_classes=5)
output = model(x)
loss = criterion(output, targets)
loss.backward()
optimizer.step()
