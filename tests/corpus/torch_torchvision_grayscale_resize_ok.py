import torch
import torch.nn as nn
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.CIFAR10("data", train=False, download=True, transform=tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4)
model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(4),
    nn.Flatten(),
    nn.Linear(8 * 16 * 16, 10),
)
for x, y in loader:
    out = model(x)
    loss = nn.functional.cross_entropy(out, y)
    break
print("OUTPUT_SHAPE", tuple(out.shape))
