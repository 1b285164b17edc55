import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(5, 10), nn.Tanh(), nn.Linear(10, 2))
criterion = nn.L1Loss()
x = torch.randn(12, 5)
y = torch.randn(12, 2)
out = model(x)
loss = criterion(out, y)
print("OUTPUT_SHAPE", tuple(out.shape))
