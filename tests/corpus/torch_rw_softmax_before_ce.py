import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, n_in=30, n_classes=4):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, 64),
            nn.ReLU(),
            nn.Linear(64, n_classes),
            nn.Softmax(dim=1),
        )

    def forward(self, x):
        return self.net(x)


model = Classifier()
criterion = nn.CrossEntropyLoss()
x = torch.randn(16, 30)
y = torch.randint(0, 4, (16,))
out = model(x)
loss = criterion(out, y)
print("OUTPUT_SHAPE", tuple(out.shape))
