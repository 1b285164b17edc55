import torch
import torch.nn as nn


class SentimentLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(3000, 32)
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.fc = nn.Linear(64, 2)

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x))
        return self.fc(out)


model = SentimentLSTM()
criterion = nn.CrossEntropyLoss()
tokens = torch.randint(0, 3000, (16, 40))
labels = torch.randint(0, 2, (16,))
loss = criterion(model(tokens), labels)
