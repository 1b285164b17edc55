import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 4), nn.LogSoftmax(dim=1))
criterion = nn.NLLLoss()
x = torch.randn(20, 12)
y = torch.randint(0, 4, (20,))
out = model(x)
loss = criterion(out, y)
print("OUTPUT_SHAPE", tuple(out.shape))
