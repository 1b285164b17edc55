import torch

from .transforms import FakeImage


class _Fake(torch.utils.data.Dataset):
    C, H, W, N_TRAIN, N_TEST, CLASSES = 1, 28, 28, 60000, 10000, 10

    def __init__(self, root=None, train=True, download=False, transform=None, target_transform=None, **kw):
        self.n = self.N_TRAIN if train else self.N_TEST
        self.transform = transform

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        img = FakeImage(self.C, self.H, self.W)
        if self.transform is not None:
            img = self.transform(img)
        return img, int(torch.randint(0, self.CLASSES, ()).item())


class MNIST(_Fake):
    pass


class FashionMNIST(_Fake):
    pass


class CIFAR10(_Fake):
    C, H, W, N_TRAIN, N_TEST, CLASSES = 3, 32, 32, 50000, 10000, 10


class CIFAR100(_Fake):
    C, H, W, N_TRAIN, N_TEST, CLASSES = 3, 32, 32, 50000, 10000, 100
