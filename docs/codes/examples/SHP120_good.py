import torch

scores = torch.randn(8, 10)
last_class = scores[:, 9]
print(last_class.shape)
