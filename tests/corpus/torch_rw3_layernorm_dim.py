import torch
import torch.nn as nn

d_model, n_heads, seq_len = 128, 8, 64


class EncoderBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.norm2 = nn.LayerNorm(seq_len)

    def forward(self, x):
        a, _ = self.attn(x, x, x)
        x = self.norm1(x + a)
        x = self.norm2(x + self.ff(x))
        return x


blocks = nn.Sequential(*[EncoderBlock() for _ in range(2)])
tokens = torch.randn(4, seq_len, d_model)
out = blocks(tokens)
print("OUTPUT_SHAPE", tuple(out.shape))
