from collections import OrderedDict

import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(3, 32, 3, padding=1)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(32, 64, 3, padding=1)),
            ("relu2", nn.ReLU()),
            ("gap", nn.AdaptiveAvgPool2d((1, 1))),
            ("flat", nn.Flatten()),
        ]))
        self.fc = nn.Linear(64, 1000)
        self.register_buffer("mean", torch.zeros(1, 3, 1, 1))

    def forward(self, x):
        x = (x - self.mean)
        return self.fc(self.features(x))


model = Backbone()
for p in model.parameters():
    p.requires_grad = False
num_ftrs = model.fc.in_features
model.fc = nn.Linear(num_ftrs, 5)
with torch.no_grad():
    out = model(torch.randn(3, 3, 40, 40))
print("OUTPUT_SHAPE", tuple(out.shape))
