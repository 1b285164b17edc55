import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(),
        )
        self.fc = nn.Linear(64, 1000)

    def forward(self, x):
        return self.fc(self.features(x))


model = Backbone()
model.fc = nn.Linear(512, 5)
out = model(torch.randn(3, 3, 40, 40))
