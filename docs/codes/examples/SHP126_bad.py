import torch
import torch.nn as nn

rnn = nn.GRU(input_size=32, hidden_size=64, batch_first=True)
head = nn.Linear(64, 28)
ctc = nn.CTCLoss(blank=0)

features = torch.randn(8, 50, 32)
targets = torch.randint(1, 28, (8, 12))
input_lengths = torch.full((8,), 50, dtype=torch.long)
target_lengths = torch.full((8,), 12, dtype=torch.long)

out, _ = rnn(features)
log_probs = head(out).log_softmax(2)
loss = ctc(log_probs, targets, input_lengths, target_lengths)
