import torch
import torch.nn as nn
import torch.nn.functional as F


class MyConv(nn.Module):
    def __init__(self, in_ch, out_ch, k=3):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_ch, in_ch, k, k) * 0.01)
        self.bias = nn.Parameter(torch.zeros(out_ch))

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, padding=1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = MyConv(3, 8)
        self.w = nn.Parameter(torch.randn(10, 8))

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = F.adaptive_avg_pool2d(x, 1).squeeze(-1).squeeze(-1)
        return F.linear(x, self.w)


net = Net()
y = net(torch.randn(2, 3, 12, 12))
print("OUTPUT_SHAPE", tuple(y.shape))
