import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x)


ds = TensorDataset(torch.randn(100, 3), torch.randn(100, 1))
loader = DataLoader(ds, batch_size=20)
model = Regressor()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for xb, yb in loader:
    opt.zero_grad()
    pred = model(xb)
    loss = loss_fn(pred, yb)
    loss.backward()
    opt.step()
print("OUTPUT_SHAPE", tuple(pred.shape))
