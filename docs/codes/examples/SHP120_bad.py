import torch

scores = torch.randn(8, 10)
third_class = scores[:, 10]
print(third_class.shape)
