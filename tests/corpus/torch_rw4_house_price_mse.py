import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# Kaggle house prices - simple MLP regressor
X = np.random.rand(1000, 13).astype(np.float32)
y = (np.random.rand(1000) * 500000).astype(np.float32)

X_t = torch.from_numpy(X)
y_t = torch.from_numpy(y)
train_ds = TensorDataset(X_t, y_t)
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Linear(13, 64),
    nn.ReLU(),
    nn.Linear(64, 32),
    nn.ReLU(),
    nn.Linear(32, 1),
)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

for epoch in range(2):
    running = 0.0
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        preds = model(inputs)
        loss = criterion(preds, targets)
        loss.backward()
        optimizer.step()
        running += loss.item()

with torch.no_grad():
    out = model(X_t[:5])
print("OUTPUT_SHAPE", tuple(out.shape))
