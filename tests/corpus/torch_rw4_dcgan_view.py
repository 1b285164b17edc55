import torch
import torch.nn as nn

nz = 100
ngf = 64


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(nz, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(True))
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(128, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z):
        x = self.fc(z)
        x = x.view(-1, 128, 8, 8)
        return self.deconv(x)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, inplace=True),
            nn.Flatten(), nn.LazyLinear(1), nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x)


netG, netD = Generator(), Discriminator()
noise = torch.randn(64, nz)
fake = netG(noise)
out = netD(fake)
print("OUTPUT_SHAPE", tuple(fake.shape))
