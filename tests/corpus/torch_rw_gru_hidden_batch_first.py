import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, src):
        return self.gru(self.embedding(src))


class Decoder(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, tgt, hidden):
        out, hidden = self.gru(self.embedding(tgt), hidden)
        return self.fc(out), hidden


enc = Encoder(100, 32)
dec = Decoder(120, 32)
src = torch.randint(0, 100, (8, 12))
_, h = enc(src)
h = h.permute(1, 0, 2)
logits, _ = dec(torch.randint(0, 120, (8, 1)), h)
