import numpy as np
import keras
from keras import layers


class ResidualBlock(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, 3, padding="same", activation="relu")
        self.conv2 = layers.Conv2D(filters, 3, padding="same")
        self.add = layers.Add()
        self.act = layers.Activation("relu")

    def call(self, inputs):
        x = self.conv1(inputs)
        x = self.conv2(x)
        x = self.add([x, inputs])
        return self.act(x)


class TinyResNet(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = layers.Conv2D(32, 3, padding="same", activation="relu")
        self.block1 = ResidualBlock(32)
        self.block2 = ResidualBlock(64)
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes)

    def call(self, inputs):
        x = self.stem(inputs)
        x = self.block1(x)
        x = self.block2(x)
        x = self.pool(x)
        return self.head(x)


model = TinyResNet()
images = np.random.rand(4, 32, 32, 3).astype("float32")
logits = model(images)
print("OUTPUT_SHAPE", tuple(logits.shape))
