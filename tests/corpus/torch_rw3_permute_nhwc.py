import numpy as np
import torch
import torch.nn as nn

# images come from PIL/numpy as (N, H, W, C)
batch_np = np.random.rand(8, 96, 96, 3).astype("float32")

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(16, 5),
)

x = torch.from_numpy(batch_np).permute(0, 2, 3, 1)
out = model(x)
print("OUTPUT_SHAPE", tuple(out.shape))
