import torch
from torch import nn


class VAEDecoder(nn.Module):
    def __init__(self, latent_dim=20):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 64 * 7 * 7),
            nn.ReLU(),
            nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1),
            nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1),
            nn.Sigmoid(),
        )

    def forward(self, z):
        return self.net(z)


dec = VAEDecoder()
z = torch.randn(16, 20)
out = dec(z)
print("OUTPUT_SHAPE", tuple(out.shape))
