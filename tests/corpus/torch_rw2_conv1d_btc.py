import numpy as np
import torch
import torch.nn as nn

SEQ_LEN = 100
N_CHANNELS = 3


class SignalClassifier(nn.Module):
    def __init__(self, in_channels=N_CHANNELS, n_classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(in_channels, 32, kernel_size=7, padding=3),
            nn.BatchNorm1d(32),
            nn.ReLU(),
            nn.AdaptiveAvgPool1d(1),
        )
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        x = self.features(x)
        return self.fc(x.squeeze(-1))


# accelerometer windows: (samples, time, axes)
data = np.random.randn(64, SEQ_LEN, N_CHANNELS).astype("float32")
batch = torch.tensor(data[:16])
model = SignalClassifier()
logits = model(batch)
print("OUTPUT_SHAPE", tuple(logits.shape))
