import torch
import torch.nn as nn


class TokenMLP(nn.Module):
    def __init__(self, d_model=64, hidden=256):
        super().__init__()
        self.fc1 = nn.Linear(d_model, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, d_model)

    def forward(self, x):
        return self.fc2(self.act(self.bn(self.fc1(x))))


block = TokenMLP()
tokens = torch.randn(8, 50, 64)
out = block(tokens)
print("OUTPUT_SHAPE", tuple(out.shape))
