import torch
import torch.nn as nn

PAD = 0


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32, padding_idx=PAD)
        layer = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)

    def forward(self, tokens):
        keep = tokens != PAD
        return self.enc(self.emb(tokens), src_key_padding_mask=keep)


out = Encoder()(torch.tensor([[5, 6, 7, 0, 0]]))
