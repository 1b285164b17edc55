import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 5)
        self.fc = nn.Linear(16 * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = x.view(-1, 16 * 4 * 4)
        return self.fc(x)


net = Net()
out = net(torch.randn(8, 1, 12, 12))
print(out.shape)
