import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyVGG(nn.Module):
    def __init__(self, in_ch=3, hidden=10, n_classes=3):
        super().__init__()
        self.block1 = nn.Sequential(
            nn.Conv2d(in_ch, hidden, 3, padding=1), nn.ReLU(),
            nn.Conv2d(hidden, hidden, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.block2 = nn.Sequential(
            nn.Conv2d(hidden, hidden, 3, padding=1), nn.ReLU(),
            nn.Conv2d(hidden, hidden, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(hidden * 16 * 16, n_classes))

    def forward(self, x):
        return self.classifier(self.block2(self.block1(x)))


def predict(model, images):
    model.eval()
    with torch.inference_mode():
        logits = model(images)
        probs = F.softmax(logits, dim=0)
        return probs.argmax(dim=1), probs


model = TinyVGG()
batch = torch.randn(32, 3, 64, 64)
pred_classes, out = predict(model, batch)
print("OUTPUT_SHAPE", tuple(out.shape))
