import torch
import torch.nn as nn

lstm = nn.LSTM(9, 32, batch_first=True)
recordings = torch.randn(16, 9, 64)
x = recordings.reshape(16, 64, 9)
out, _ = lstm(x)
print(out.shape)
