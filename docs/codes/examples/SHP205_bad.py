import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=8, hidden_size=16)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1])


model = Encoder()
loader = DataLoader(TensorDataset(torch.randn(640, 5, 8), torch.randn(640, 1)), batch_size=64)
for x, y in loader:
    prediction = model(x)
