import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Embedding(1000, 64),
    nn.Flatten(),
    nn.Linear(20 * 64, 2),
)
tokens = torch.randint(0, 1000, (8, 20))
print(model(tokens).shape)
