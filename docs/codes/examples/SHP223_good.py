import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

x = torch.randn(97, 8)
y = (torch.rand(97) > 0.5).float()
loader = DataLoader(TensorDataset(x, y), batch_size=32)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        return self.head(self.body(x)).squeeze(1)


model = Classifier()
criterion = nn.BCEWithLogitsLoss()
for xb, yb in loader:
    loss = criterion(model(xb), yb)
