import torch

B, T = 32, 1000
alphas_bar = torch.linspace(0.99, 0.01, T)
x0 = torch.randn(B, 3, 32, 32)
t = torch.randint(0, T, (B,))
scale = alphas_bar[t]
noisy = scale * x0
