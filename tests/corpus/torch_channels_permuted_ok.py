import numpy as np
import torch
import torch.nn as nn

net = nn.Sequential(
    nn.Conv2d(3, 8, kernel_size=3),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(8, 4),
)
imgs = np.random.rand(2, 32, 32, 3).astype(np.float32)
x = torch.from_numpy(imgs).permute(0, 3, 1, 2)
print("OUTPUT_SHAPE", tuple(net(x).shape))
