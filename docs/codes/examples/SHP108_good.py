import torch
import torch.nn as nn


class LastStep(nn.Module):
    def forward(self, x):
        output, _ = x
        return output[:, -1]


model = nn.Sequential(
    nn.LSTM(input_size=10, hidden_size=20, batch_first=True),
    LastStep(),
    nn.Linear(20, 5),
)
x = torch.randn(4, 7, 10)
print(model(x).shape)
