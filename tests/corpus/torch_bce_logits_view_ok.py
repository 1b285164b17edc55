import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1))
criterion = nn.BCEWithLogitsLoss()
x = torch.randn(40, 6)
y = torch.randint(0, 2, (40,)).float()
out = model(x)
loss = criterion(out.view(-1), y)
print("OUTPUT_SHAPE", tuple(out.shape))
