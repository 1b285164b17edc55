import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Embedding(1000, 32),
    nn.LSTM(32, 64, batch_first=True),
    nn.Linear(64, 2),
)
tokens = torch.randint(0, 1000, (8, 25))
out = model(tokens)
