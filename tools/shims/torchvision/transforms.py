import torch
import torch.nn.functional as F


class FakeImage:
    """A PIL-like image: size (W, H), mode L or RGB."""
    def __init__(self, c, h, w):
        self.c, self.h, self.w = c, h, w


class Compose:
    def __init__(self, ts):
        self.ts = ts

    def __call__(self, x):
        for t in self.ts:
            x = t(x)
        return x


class ToTensor:
    def __call__(self, img):
        if isinstance(img, torch.Tensor):
            return img
        return torch.rand(img.c, img.h, img.w)


class Normalize:
    def __init__(self, mean, std, inplace=False):
        pass

    def __call__(self, x):
        return x


class Resize:
    def __init__(self, size, **kw):
        self.size = size

    def __call__(self, img):
        s = self.size
        if isinstance(img, FakeImage):
            if isinstance(s, int):
                if img.h <= img.w:
                    return FakeImage(img.c, s, int(s * img.w / img.h))
                return FakeImage(img.c, int(s * img.h / img.w), s)
            return FakeImage(img.c, s[0], s[1])
        size = (s, s) if isinstance(s, int) else tuple(s)
        return F.interpolate(img[None], size=size)[0]


class CenterCrop:
    def __init__(self, size):
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def __call__(self, img):
        if isinstance(img, FakeImage):
            return FakeImage(img.c, *self.size)
        return img[..., : self.size[0], : self.size[1]]


RandomCrop = CenterCrop


class Grayscale:
    def __init__(self, num_output_channels=1):
        self.n = num_output_channels

    def __call__(self, img):
        if isinstance(img, FakeImage):
            return FakeImage(self.n, img.h, img.w)
        return img[: self.n]


class RandomHorizontalFlip:
    def __init__(self, p=0.5):
        pass

    def __call__(self, x):
        return x


RandomRotation = RandomHorizontalFlip
