import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

# ECG windows stored as (batch, time, leads); Conv1d wants (batch, leads, time)
N_LEADS = 12
WIN = 1000


class ECGNet(nn.Module):
    def __init__(self, n_leads=N_LEADS, n_classes=5):
        super().__init__()
        chans = [n_leads, 32, 64, 128]
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        for cin, cout in zip(chans[:-1], chans[1:]):
            self.convs.append(nn.Conv1d(cin, cout, kernel_size=7, padding=3))
            self.norms.append(nn.BatchNorm1d(cout))
        self.gru = nn.GRU(128, 64, batch_first=True)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = x.permute(0, 2, 1)
        for conv, bn in zip(self.convs, self.norms):
            x = F.max_pool1d(F.relu(bn(conv(x))), 4)
        x = x.transpose(1, 2)            # (B, T', 128)
        _, h = self.gru(x)
        return self.fc(h.squeeze(0))


signals = torch.randn(64, WIN, N_LEADS)
targets = torch.randint(0, 5, (64,))
loader = DataLoader(TensorDataset(signals, targets), batch_size=16, shuffle=True)
model = ECGNet()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for xb, yb in loader:
    loss = F.cross_entropy(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()

model.eval()
out = model(signals[:4])
print("OUTPUT_SHAPE", tuple(out.shape))
