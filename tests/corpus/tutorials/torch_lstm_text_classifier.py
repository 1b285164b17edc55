"""An LSTM text classifier that uses the last time step."""
import torch
import torch.nn as nn


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, num_layers=2, batch_first=True, dropout=0.2)
        self.fc = nn.Linear(hidden_dim, num_classes)

    def forward(self, x):
        emb = self.embedding(x)
        out, (h, c) = self.lstm(emb)
        return self.fc(out[:, -1, :])


model = LSTMClassifier(5000, 64, 128, 4)
tokens = torch.randint(0, 5000, (16, 40))
labels = torch.randint(0, 4, (16,))
logits = model(tokens)
loss = nn.CrossEntropyLoss()(logits, labels)
loss.backward()
print(logits.shape)
