# Images loaded as (N, H, W, C) fed to a PyTorch conv, which wants (N, C, H, W).
import numpy as np
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 16, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(16, 2),
)
batch = np.random.rand(4, 64, 64, 3).astype("float32")
print(model(torch.from_numpy(batch)).shape)
