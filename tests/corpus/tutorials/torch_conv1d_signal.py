"""1-D convolutions over multichannel signals."""
import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv1d(2, 16, kernel_size=7, padding=3),
    nn.BatchNorm1d(16),
    nn.ReLU(),
    nn.MaxPool1d(2),
    nn.Conv1d(16, 32, kernel_size=5, padding=2),
    nn.ReLU(),
    nn.AdaptiveAvgPool1d(1),
    nn.Flatten(),
    nn.Linear(32, 5),
)
signals = torch.randn(12, 2, 1000)
logits = model(signals)
loss = nn.CrossEntropyLoss()(logits, torch.randint(0, 5, (12,)))
print(logits.shape)
