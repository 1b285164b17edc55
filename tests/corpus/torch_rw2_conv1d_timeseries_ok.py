import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

WINDOW = 48
N_FEATURES = 6
series = np.random.randn(1000, N_FEATURES).astype(np.float32)
X = np.stack([series[i:i + WINDOW] for i in range(len(series) - WINDOW)])
y = series[WINDOW:, 0]
dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
loader = DataLoader(dataset, batch_size=32, shuffle=True)


class TemporalCNN(nn.Module):
    def __init__(self, n_features, hidden=32):
        super().__init__()
        self.conv1 = nn.Conv1d(n_features, hidden, kernel_size=5, padding=2)
        self.conv2 = nn.Conv1d(hidden, hidden * 2, kernel_size=3, padding=1)
        self.pool = nn.MaxPool1d(2)
        self.head = nn.Linear(hidden * 2 * (WINDOW // 4), 1)

    def forward(self, x):
        x = x.permute(0, 2, 1)
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = x.reshape(x.size(0), -1)
        return self.head(x).squeeze(-1)


model = TemporalCNN(N_FEATURES)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
for xb, yb in loader:
    opt.zero_grad()
    out = model(xb)
    loss = loss_fn(out, yb)
    loss.backward()
    opt.step()
    break
print("OUTPUT_SHAPE", tuple(out.shape))
