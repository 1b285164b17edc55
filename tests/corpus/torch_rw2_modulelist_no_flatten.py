import torch
import torch.nn as nn


class ConvNet(nn.Module):
    def __init__(self, channels=(1, 16, 32), n_classes=10):
        super().__init__()
        self.blocks = nn.ModuleList()
        for c_in, c_out in zip(channels[:-1], channels[1:]):
            self.blocks.append(nn.Conv2d(c_in, c_out, kernel_size=3, padding=1))
            self.blocks.append(nn.ReLU())
            self.blocks.append(nn.MaxPool2d(2))
        self.blocks.append(nn.Linear(channels[-1] * 7 * 7, n_classes))

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


model = ConvNet()
x = torch.randn(8, 1, 28, 28)
out = model(x)
print("OUTPUT_SHAPE", tuple(out.shape))
