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
x = torch.from_numpy(imgs)
print(net(x).shape)
