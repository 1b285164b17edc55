import torch
import torch.nn as nn
import torch.nn.functional as F


class ECGNet(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, kernel_size=7, padding=3)
        self.c2 = nn.Conv1d(16, 32, kernel_size=5, padding=2)
        self.c3 = nn.Conv1d(32, 64, kernel_size=3, padding=1)
        self.head = nn.Linear(64 * 2, n_classes)

    def forward(self, x):
        x = x.unsqueeze(1)
        feats = []
        for conv in (self.c1, self.c2, self.c3):
            x = F.max_pool1d(F.relu(conv(x)), 2)
            feats.append(x.size(-1))
        mx = torch.amax(x, dim=-1)
        avg = x.mean(dim=-1)
        x = torch.stack([mx, avg], dim=1).flatten(1)
        return self.head(x)


net = ECGNet()
signal = torch.randn(10, 187)
logits = net(signal)
probs = F.softmax(logits, dim=1)
print("OUTPUT_SHAPE", tuple(logits.shape))
