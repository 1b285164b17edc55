import torch
from torch import nn

model = nn.Sequential(
    nn.Linear(30, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
)
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

features = torch.randn(64, 30)
labels = torch.randint(0, 2, (64,)).float()

for epoch in range(2):
    logits = model(features)
    loss = loss_fn(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("OUTPUT_SHAPE", tuple(logits.shape))
