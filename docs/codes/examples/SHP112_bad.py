import torch

features = torch.randn(8, 3)
weights = torch.randn(4, 5)
scores = features @ weights
print(scores.shape)
