import torch
import torch.nn as nn

# LeNet for CIFAR (32x32), now fed with 64x64 crops
model = nn.Sequential(
    nn.Conv2d(3, 6, 5),
    nn.ReLU(),
    nn.MaxPool2d(2, 2),
    nn.Conv2d(6, 16, 5),
    nn.ReLU(),
    nn.MaxPool2d(2, 2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120),
    nn.ReLU(),
    nn.Linear(120, 84),
    nn.ReLU(),
    nn.Linear(84, 10),
)

images = torch.randn(8, 3, 64, 64)
out = model(images)
print("OUTPUT_SHAPE", tuple(out.shape))
