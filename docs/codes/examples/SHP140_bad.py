# live example: shapelint.check(model, input_shape=(8, 3, 16, 16))
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, kernel_size=3)

    def forward(self, x):
        x = self.conv(x)
        return x.view(x.size(0), 4 * 16 * 16)


model = Net()
