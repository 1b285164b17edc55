import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
loss_fn = nn.CrossEntropyLoss()
inputs = torch.randn(16, 8)
labels = torch.randint(0, 3, (16, 1))
loss = loss_fn(model(inputs), labels)
loss.backward()
