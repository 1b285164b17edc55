import torch
import torch.nn as nn


class Regressor(nn.Module):
    def __init__(self, d_in):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)


X = torch.randn(100, 8)
y = torch.randn(100)
model = Regressor(8)
crit = nn.MSELoss()
opt = torch.optim.Adam(model.parameters())
for _ in range(5):
    pred = model(X)
    loss = crit(pred, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("OUTPUT_SHAPE", tuple(pred.shape))
