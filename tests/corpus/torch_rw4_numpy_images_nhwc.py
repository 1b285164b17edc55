import numpy as np
import torch
import torch.nn as nn

# images loaded with PIL/cv2 -> numpy array (N, H, W, C)
images = np.random.randint(0, 255, size=(32, 64, 64, 3)).astype(np.float32) / 255.0


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


model = nn.Sequential(
    conv_bn(3, 32),
    nn.MaxPool2d(2),
    conv_bn(32, 64),
    nn.MaxPool2d(2),
    conv_bn(64, 128),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(128, 6),
)

batch = torch.from_numpy(images)
model.eval()
with torch.no_grad():
    out = model(batch)
print("OUTPUT_SHAPE", tuple(out.shape))
