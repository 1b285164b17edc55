# nn.LSTM returns (output, (h, c)); nn.Sequential hands the whole tuple to nn.Linear.
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.LSTM(input_size=10, hidden_size=20, batch_first=True),
    nn.Linear(20, 5),
)
x = torch.randn(4, 7, 10)
print(model(x).shape)
