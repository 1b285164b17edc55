import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True)

    def forward(self, x, lengths):
        keep = torch.arange(x.size(1))[None, :] < lengths[:, None]
        mask = torch.zeros(x.size(0), x.size(1), x.size(1)).masked_fill(~keep[:, None, :], float("-inf"))
        out, _ = self.attn(x, x, x, attn_mask=mask.repeat(4, 1, 1))
        return out


out = Block()(torch.randn(3, 5, 16), torch.tensor([5, 3, 2]))
