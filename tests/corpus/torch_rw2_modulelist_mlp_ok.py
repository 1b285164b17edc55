import torch
import torch.nn as nn
import torch.nn.functional as F

config = {
    "input_dim": 20,
    "hidden_sizes": [128, 64, 32],
    "num_classes": 5,
    "dropout": 0.3,
}


class MLP(nn.Module):
    def __init__(self, cfg):
        super(MLP, self).__init__()
        self.layers = nn.ModuleList()
        in_dim = cfg["input_dim"]
        for h in cfg["hidden_sizes"]:
            self.layers.append(nn.Linear(in_dim, h))
            in_dim = h
        self.dropout = nn.Dropout(cfg["dropout"])
        self.out = nn.Linear(in_dim, cfg["num_classes"])

    def forward(self, x):
        for layer in self.layers:
            x = self.dropout(F.relu(layer(x)))
        return self.out(x)


model = MLP(config)
print(f"params: {sum(p.numel() for p in model.parameters())}")
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
X = torch.randn(64, config["input_dim"])
y = torch.randint(0, config["num_classes"], (64,))
for epoch in range(2):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: loss={loss.item():.4f}")

model.eval()
with torch.no_grad():
    preds = model(X[:8])
print("OUTPUT_SHAPE", tuple(preds.shape))
