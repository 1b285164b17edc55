import numpy as np
import torch
import torch.nn as nn

X = np.random.rand(100, 4).astype(np.float32)
y = np.random.randint(0, 3, size=100).astype(np.float32)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
out = model(torch.from_numpy(X))
loss = criterion(out, torch.from_numpy(y))
