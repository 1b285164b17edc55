import numpy as np
import keras
from keras import layers


class ResidualBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(filters, 3, padding="same")
        self.bn1 = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, 3, padding="same")
        self.bn2 = layers.BatchNormalization()
        self.add = layers.Add()
        self.act = layers.Activation("relu")

    def call(self, inputs, training=False):
        x = self.conv1(inputs)
        x = self.bn1(x, training=training)
        x = self.act(x)
        x = self.conv2(x)
        x = self.bn2(x, training=training)
        return self.act(self.add([x, inputs]))


class SmallResNet(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = layers.Conv2D(32, 3, padding="same", activation="relu")
        self.block1 = ResidualBlock(32)
        self.block2 = ResidualBlock(64)
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes)

    def call(self, x, training=False):
        x = self.stem(x)
        x = self.block1(x, training=training)
        x = self.block2(x, training=training)
        return self.head(self.pool(x))


model = SmallResNet(num_classes=10)
images = np.random.rand(4, 32, 32, 3).astype("float32")
out = model(images)
print("OUTPUT_SHAPE", tuple(out.shape))
