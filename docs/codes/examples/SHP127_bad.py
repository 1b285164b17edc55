import torch
from torch.utils.data import DataLoader, Dataset


class Sentences(Dataset):
    def __init__(self):
        self.tokens = [[4, 8, 15], [16, 23], [42, 7, 9, 1], [3]]
        self.labels = [0, 1, 1, 0]

    def __len__(self):
        return len(self.tokens)

    def __getitem__(self, i):
        return torch.tensor(self.tokens[i]), torch.tensor(self.labels[i])


loader = DataLoader(Sentences(), batch_size=2, shuffle=True)
for tokens, labels in loader:
    print(tokens.shape, labels.shape)
