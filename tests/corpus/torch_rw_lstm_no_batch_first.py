import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Forecaster(nn.Module):
    def __init__(self, n_features=6, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden, num_layers=2)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


X = torch.randn(256, 24, 6)
y = torch.randn(256, 1)
loader = DataLoader(TensorDataset(X, y), batch_size=32)
model = Forecaster()
loss_fn = nn.MSELoss()
for xb, yb in loader:
    pred = model(xb)
    loss = loss_fn(pred, yb)
print("OUTPUT_SHAPE", tuple(pred.shape))
