import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


model = MLP(10, 32, 4)
x = torch.randn(8, 10)
y = torch.randint(0, 4, (8,))
out = model(x)
loss = nn.CrossEntropyLoss()(out, y)
print("OUTPUT_SHAPE", tuple(out.shape))
