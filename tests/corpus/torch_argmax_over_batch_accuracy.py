import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
x = torch.randn(10, 4)
y = torch.randint(0, 3, (10,))
with torch.no_grad():
    out = model(x)
    preds = torch.argmax(out, 0)
correct = (preds == y[:3]).sum().item()
