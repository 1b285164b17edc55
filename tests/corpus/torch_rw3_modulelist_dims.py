import torch
import torch.nn as nn


class DeepMLP(nn.Module):
    def __init__(self, in_dim, hidden_sizes, out_dim):
        super().__init__()
        self.layers = nn.ModuleList()
        for h in hidden_sizes:
            self.layers.append(nn.Linear(in_dim, h))
        self.out = nn.Linear(hidden_sizes[-1], out_dim)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.out(x)


model = DeepMLP(20, [64, 32, 16], 2)
x = torch.randn(10, 20)
out = model(x)
print("OUTPUT_SHAPE", tuple(out.shape))
