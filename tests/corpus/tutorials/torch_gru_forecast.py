"""A GRU that forecasts one value per sequence."""
import torch
import torch.nn as nn


class GRUForecaster(nn.Module):
    def __init__(self, n_features, hidden):
        super().__init__()
        self.gru = nn.GRU(n_features, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


model = GRUForecaster(3, 32)
x = torch.randn(10, 24, 3)
y = torch.randn(10, 1)
pred = model(x)
loss = nn.MSELoss()(pred, y)
print(pred.shape)
