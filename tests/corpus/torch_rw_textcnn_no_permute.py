import torch
import torch.nn as nn
import torch.nn.functional as F


class CNNClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim=100, n_filters=64, n_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.conv = nn.Conv1d(in_channels=embed_dim, out_channels=n_filters, kernel_size=3)
        self.fc = nn.Linear(n_filters, n_classes)

    def forward(self, text):
        embedded = self.embedding(text)
        conved = F.relu(self.conv(embedded))
        pooled = F.max_pool1d(conved, conved.shape[2]).squeeze(2)
        return self.fc(pooled)


model = CNNClassifier(vocab_size=2000)
batch = torch.randint(0, 2000, (32, 40))
logits = model(batch)
