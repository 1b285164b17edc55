import torch
import torch.nn as nn

attn = nn.MultiheadAttention(embed_dim=64, num_heads=8, batch_first=True)
tokens = torch.randn(4, 10, 64)
padding = torch.zeros(4, 10, dtype=torch.bool)
out, weights = attn(tokens, tokens, tokens, attn_mask=padding)
