import math
import torch
import torch.nn as nn

CFG = dict(n_features=7, d_model=64, nhead=4, num_layers=3, dim_ff=128, seq_len=96, pred_len=24, dropout=0.1)


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class TSTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_proj = nn.Linear(cfg["n_features"], cfg["d_model"])
        self.pos = PositionalEncoding(cfg["d_model"])
        layer = nn.TransformerEncoderLayer(cfg["d_model"], cfg["nhead"], cfg["dim_ff"], cfg["dropout"], batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=cfg["num_layers"])
        self.head = nn.Linear(cfg["d_model"] * cfg["seq_len"], cfg["pred_len"] * cfg["n_features"])
        self.cfg = cfg

    def forward(self, x):
        b = x.size(0)
        h = self.pos(self.input_proj(x))
        h = self.encoder(h)
        y = self.head(h.reshape(b, -1))
        return y.view(b, self.cfg["pred_len"], self.cfg["n_features"])


model = TSTransformer(CFG)
x = torch.randn(8, CFG["seq_len"], CFG["n_features"])
target = torch.randn(8, CFG["pred_len"], CFG["n_features"])
out = model(x)
loss = nn.functional.mse_loss(out, target)
loss.backward()
print("OUTPUT_SHAPE", tuple(out.shape))
