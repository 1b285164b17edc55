"""Sequence classification with a TransformerEncoder (batch_first) and mean pooling."""
import torch
import torch.nn as nn


class TextTransformer(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, layers=2, classes=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=128, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=layers)
        self.head = nn.Linear(d_model, classes)

    def forward(self, tokens):
        h = self.encoder(self.embed(tokens))
        return self.head(h.mean(dim=1))


model = TextTransformer(1000)
tokens = torch.randint(0, 1000, (8, 20))
out = model(tokens)
loss = nn.functional.cross_entropy(out, torch.randint(0, 2, (8,)))
print(out.shape)
