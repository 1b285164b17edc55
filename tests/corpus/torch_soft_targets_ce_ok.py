import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
criterion = nn.CrossEntropyLoss()
x = torch.randn(32, 20)
targets = F.one_hot(torch.randint(0, 5, (32,)), num_classes=5).float()
output = model(x)
loss = criterion(output, targets)
loss.backward()
print("OUTPUT_SHAPE", tuple(output.shape))
