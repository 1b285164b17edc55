import torch
import torch.nn as nn


class GRUClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, n_classes, n_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.gru = nn.GRU(embed_dim, hidden_dim, num_layers=n_layers,
                          bidirectional=True, batch_first=True, dropout=0.3)
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(hidden_dim * 2, n_classes)

    def forward(self, text):
        embedded = self.dropout(self.embedding(text))
        output, hidden = self.gru(embedded)
        # hidden: (num_layers * 2, batch, hidden_dim)
        hidden = self.dropout(hidden[-1])
        return self.fc(hidden)


model = GRUClassifier(vocab_size=25000, embed_dim=100, hidden_dim=256, n_classes=4)
tokens = torch.randint(1, 25000, (16, 60))
out = model(tokens)
print("OUTPUT_SHAPE", tuple(out.shape))
