import numpy as np
import torch
import torch.nn as nn

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(8, 2))
img = np.random.rand(32, 32, 3).astype(np.float32)
x = torch.from_numpy(img).permute(2, 0, 1)
pred = model(x.unsqueeze(0)).argmax(1)
