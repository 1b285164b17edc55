import torch
import torch.nn as nn
import torch.nn.functional as F


class SharedEncoder(nn.Module):
    def __init__(self, in_dim, hidden_dims):
        super().__init__()
        layers = []
        prev = in_dim
        for h in hidden_dims:
            layers += [nn.Linear(prev, h), nn.LayerNorm(h), nn.SiLU()]
            prev = h
        self.net = nn.Sequential(*layers)
        self.out_dim = prev

    def forward(self, x):
        return self.net(x)


class MultiTaskNet(nn.Module):
    def __init__(self, in_dim, tasks):
        super().__init__()
        self.encoder = SharedEncoder(in_dim, [256, 128])
        self.heads = nn.ModuleDict({name: nn.Linear(self.encoder.out_dim, n) for name, n in tasks.items()})

    def forward(self, x):
        z = self.encoder(x)
        return {name: head(z) for name, head in self.heads.items()}


tasks = {"churn": 2, "segment": 5, "ltv": 1}
model = MultiTaskNet(30, tasks)
x = torch.randn(64, 30)
outputs = model(x)
loss = (
    F.cross_entropy(outputs["churn"], torch.randint(0, 2, (64,)))
    + F.cross_entropy(outputs["segment"], torch.randint(0, 5, (64,)))
    + F.mse_loss(outputs["ltv"].squeeze(-1), torch.randn(64))
)
loss.backward()
out = outputs["segment"]
print("OUTPUT_SHAPE", tuple(out.shape))
