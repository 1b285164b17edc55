import numpy as np
import keras
from keras import layers


class MyModel(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, activation="relu")
        self.pool = layers.MaxPooling2D()
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(128, activation="relu")
        self.d2 = layers.Dense(num_classes)

    def call(self, x):
        x = self.conv1(x)
        x = self.pool(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train[:256, ..., np.newaxis].astype("float32") / 255.0
y_train = y_train[:256]
model = MyModel()
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=64, verbose=0)
print("OUTPUT_SHAPE", model.predict(x_train[:4], verbose=0).shape)
