import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Linear(20, 32),
    nn.ReLU(),
    nn.Linear(32, 4),
    nn.Softmax(dim=1),
)
criterion = nn.CrossEntropyLoss()
x = torch.randn(16, 20)
y = torch.randint(0, 4, (16,))
loss = criterion(model(x), y)
loss.backward()
