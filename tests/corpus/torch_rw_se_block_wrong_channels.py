import torch
import torch.nn as nn


class SEBlock(nn.Module):
    def __init__(self, channels, r=8):
        super().__init__()
        self.squeeze = nn.AdaptiveAvgPool2d(1)
        self.excite = nn.Sequential(
            nn.Linear(channels, channels // r),
            nn.ReLU(),
            nn.Linear(channels // r, channels),
            nn.Sigmoid(),
        )

    def forward(self, x):
        b, c, h, w = x.shape
        s = self.squeeze(x).view(b, c)
        return x * self.excite(s).view(b, c, 1, 1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.se = SEBlock(32)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        return self.se(x)


net = Net()
y = net(torch.randn(4, 3, 32, 32))
