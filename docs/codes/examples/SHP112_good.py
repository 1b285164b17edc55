import torch

features = torch.randn(8, 3)
weights = torch.randn(3, 5)
scores = features @ weights
print(scores.shape)
