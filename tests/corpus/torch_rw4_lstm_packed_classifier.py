import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class BiLSTMClassifier(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, output_dim, n_layers, dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.rnn = nn.LSTM(embedding_dim, hidden_dim, num_layers=n_layers, bidirectional=True,
                           dropout=dropout, batch_first=True)
        self.fc = nn.Linear(hidden_dim * 2, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        embedded = self.dropout(self.embedding(text))
        output, (hidden, cell) = self.rnn(embedded)
        hidden = self.dropout(torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1))
        return self.fc(hidden)


INPUT_DIM = 5000
model = BiLSTMClassifier(INPUT_DIM, 100, 128, 1, 2, 0.5, pad_idx=0)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters())

texts = torch.randint(1, INPUT_DIM, (128, 40))
labels = torch.randint(0, 2, (128,)).float()
loader = DataLoader(TensorDataset(texts, labels), batch_size=32)

model.train()
for batch_text, batch_label in loader:
    optimizer.zero_grad()
    predictions = model(batch_text).squeeze(1)
    loss = criterion(predictions, batch_label)
    loss.backward()
    optimizer.step()

out = model(texts[:3])
print("OUTPUT_SHAPE", tuple(out.shape))
