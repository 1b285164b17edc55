import torch
import torch.nn as nn


class SentimentLSTM(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, n_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, num_layers=1)
        self.fc = nn.Linear(hidden_dim, n_classes)

    def forward(self, tokens):
        emb = self.embedding(tokens)
        _, (h_n, _) = self.lstm(emb)
        return self.fc(h_n[-1])


model = SentimentLSTM(10000, 64, 128, 3)
batch = torch.randint(0, 10000, (32, 50))
labels = torch.randint(0, 3, (32,))
logits = model(batch)
loss = nn.CrossEntropyLoss()(logits, labels)
print("OUTPUT_SHAPE", tuple(logits.shape))
