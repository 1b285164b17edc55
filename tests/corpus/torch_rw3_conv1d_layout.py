import torch
import torch.nn as nn
import torch.nn.functional as F


class SensorCNN(nn.Module):
    """Human activity recognition from 9 IMU channels, 128 timesteps per window."""

    def __init__(self, n_channels=9, n_classes=6):
        super().__init__()
        self.conv1 = nn.Conv1d(n_channels, 64, kernel_size=5)
        self.conv2 = nn.Conv1d(64, 64, kernel_size=5)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.adaptive_avg_pool1d(x, 1).squeeze(-1)
        return self.fc(x)


windows = torch.randn(32, 128, 9)  # (batch, timesteps, channels) as loaded from the CSV
model = SensorCNN()
out = model(windows)
print("OUTPUT_SHAPE", tuple(out.shape))
