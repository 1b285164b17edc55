import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class SeqClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=8, hidden_size=32)
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


ds = TensorDataset(torch.randn(200, 15, 8), torch.randint(0, 2, (200,)))
loader = DataLoader(ds, batch_size=20, shuffle=True)
model = SeqClassifier()
for xb, yb in loader:
    logits = model(xb)
    loss = nn.CrossEntropyLoss()(logits, yb)
