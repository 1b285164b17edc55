"""A custom Dataset returning (features, label) pairs, batched by a DataLoader."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class TabularDataset(Dataset):
    def __init__(self, features, labels):
        self.x = torch.tensor(features, dtype=torch.float32)
        self.y = torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


features = np.random.rand(300, 12)
labels = np.random.randint(0, 3, size=300)
loader = DataLoader(TabularDataset(features, labels), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(12, 24), nn.ReLU(), nn.Linear(24, 3))
loss_fn = nn.CrossEntropyLoss()
for xb, yb in loader:
    loss = loss_fn(model(xb), yb)
    loss.backward()
