import numpy as np
import torch
import torch.nn as nn

X = np.random.rand(100, 4).astype(np.float32)
y = np.random.randint(0, 3, size=100)
X_t = torch.from_numpy(X)
y_t = torch.from_numpy(y)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
out = model(X_t)
loss = criterion(out, y_t)
print("OUTPUT_SHAPE", tuple(out.shape))
