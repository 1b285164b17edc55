import torch
import torch.nn as nn


class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size=5000, d_model=128, nhead=4, num_classes=3, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=256, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=2)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, tokens, padding_mask=None):
        x = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        x, weights = self.attn(x, x, x, key_padding_mask=padding_mask)
        x = self.encoder(x, src_key_padding_mask=padding_mask)
        x = x.mean(dim=1)
        return self.fc(x)


model = TransformerClassifier()
tokens = torch.randint(0, 5000, (8, 40))
mask = tokens == 0
out = model(tokens, mask)
print("OUTPUT_SHAPE", tuple(out.shape))
