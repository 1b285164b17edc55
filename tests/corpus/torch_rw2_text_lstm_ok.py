import argparse
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--vocab-size", type=int, default=5000)
parser.add_argument("--embed-dim", type=int, default=100)
parser.add_argument("--hidden-dim", type=int, default=128)
parser.add_argument("--num-layers", type=int, default=2)
parser.add_argument("--max-len", type=int, default=60)
args = parser.parse_args()


class SentimentLSTM(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_layers, n_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, num_layers=num_layers,
                            batch_first=True, dropout=0.2, bidirectional=True)
        self.fc = nn.Linear(hidden_dim * 2, n_classes)

    def forward(self, text):
        embedded = self.embedding(text)
        output, (hidden, cell) = self.lstm(embedded)
        hidden = torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1)
        return self.fc(hidden)


model = SentimentLSTM(args.vocab_size, args.embed_dim, args.hidden_dim, args.num_layers)
tokens = torch.randint(1, args.vocab_size, (8, args.max_len))
labels = torch.randint(0, 2, (8,))
logits = model(tokens)
loss = nn.CrossEntropyLoss()(logits, labels)
print("OUTPUT_SHAPE", tuple(logits.shape))
