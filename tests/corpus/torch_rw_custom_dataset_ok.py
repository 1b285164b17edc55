import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class CSVDataset(Dataset):
    def __init__(self, n=500):
        self.X = np.random.rand(n, 8).astype(np.float32)
        self.y = np.random.randint(0, 2, size=(n, 1)).astype(np.float32)

    def __len__(self):
        return len(self.X)

    def __getitem__(self, idx):
        return self.X[idx], self.y[idx]


class MLP(nn.Module):
    def __init__(self, n_inputs):
        super(MLP, self).__init__()
        self.hidden1 = nn.Linear(n_inputs, 10)
        self.act1 = nn.ReLU()
        self.hidden2 = nn.Linear(10, 8)
        self.act2 = nn.ReLU()
        self.hidden3 = nn.Linear(8, 1)
        self.act3 = nn.Sigmoid()

    def forward(self, X):
        X = self.act1(self.hidden1(X))
        X = self.act2(self.hidden2(X))
        return self.act3(self.hidden3(X))


train_dl = DataLoader(CSVDataset(), batch_size=32, shuffle=True)
model = MLP(8)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for i, (inputs, targets) in enumerate(train_dl):
        optimizer.zero_grad()
        yhat = model(inputs)
        loss = criterion(yhat, targets)
        loss.backward()
        optimizer.step()
print("OUTPUT_SHAPE", tuple(yhat.shape))
