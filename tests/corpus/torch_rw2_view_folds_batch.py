import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class CNN(nn.Module):
    def __init__(self):
        super(CNN, self).__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.conv(x)
        x = x.view(-1, 64)
        return self.fc(x)


train_ds = TensorDataset(torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,)))
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
model = CNN()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())
for images, labels in train_loader:
    outputs = model(images)
    loss = criterion(outputs, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("OUTPUT_SHAPE", tuple(outputs.shape))
