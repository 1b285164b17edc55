import torch
import torch.nn as nn
import torch.nn.functional as F

n_samples, n_features, n_classes = 120, 10, 4
X = torch.randn(n_samples, n_features)
y = torch.randint(0, n_classes, (n_samples, 1))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(n_features, 32)
        self.l2 = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


model = MLP()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    optimizer.zero_grad()
    logits = model(X)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    optimizer.step()
print("OUTPUT_SHAPE", tuple(logits.shape))
