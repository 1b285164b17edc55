import torch
import torch.nn as nn

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
images = torch.randn(4, 3, 32, 32)
labels = torch.randint(0, 10, (4,))
out = model(images)
loss = nn.CrossEntropyLoss()(out, labels)
print("OUTPUT_SHAPE", tuple(out.shape))
