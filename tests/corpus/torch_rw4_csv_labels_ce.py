import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class TabularDataset(Dataset):
    def __init__(self, data):
        # last column of the csv is the class id
        self.x = torch.tensor(data[:, :-1], dtype=torch.float32)
        self.y = torch.tensor(data[:, -1:], dtype=torch.long)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


raw = np.random.rand(400, 21)
raw[:, -1] = np.random.randint(0, 3, size=400)
loader = DataLoader(TabularDataset(raw), batch_size=50, shuffle=True)

model = nn.Sequential(
    nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.2),
    nn.Linear(64, 32), nn.ReLU(),
    nn.Linear(32, 3),
)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

model.train()
for xb, yb in loader:
    logits = model(xb)
    loss = loss_fn(logits, yb)
    opt.zero_grad()
    loss.backward()
    opt.step()

model.eval()
out = model(torch.randn(6, 20))
print("OUTPUT_SHAPE", tuple(out.shape))
