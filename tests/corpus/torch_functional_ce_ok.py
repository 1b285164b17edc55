import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
x = torch.randn(16, 6)
y = torch.randint(0, 3, (16,))
logits = model(x)
loss = F.cross_entropy(logits, y)
print("OUTPUT_SHAPE", tuple(logits.shape))
