import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

ds = TensorDataset(torch.randn(100, 3), torch.randn(100))
loader = DataLoader(ds, batch_size=20)
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.MSELoss()
for xb, yb in loader:
    pred = model(xb)
    loss = loss_fn(pred, yb)
