import torch
import torch.nn as nn

gru = nn.GRU(6, 32, num_layers=2, batch_first=True)
head = nn.Linear(32, 5)
_, h_n = gru(torch.randn(8, 20, 6))
logits = head(h_n.squeeze(0))
