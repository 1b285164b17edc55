"""Binary classification with BCEWithLogitsLoss and float targets of the output's shape."""
import numpy as np
import torch
import torch.nn as nn

X = torch.from_numpy(np.random.rand(200, 5).astype(np.float32))
y = torch.from_numpy(np.random.randint(0, 2, size=200)).float().unsqueeze(1)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    optimizer.zero_grad()
    logits = model(X)
    loss = criterion(logits, y)
    loss.backward()
    optimizer.step()
preds = (torch.sigmoid(model(X)) > 0.5).float()
