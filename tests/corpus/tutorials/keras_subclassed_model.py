"""A subclassed Keras model."""
import numpy as np
import keras
from keras import layers


class MLP(keras.Model):
    def __init__(self, hidden, classes):
        super().__init__()
        self.d1 = layers.Dense(hidden, activation="relu")
        self.d2 = layers.Dense(classes)

    def call(self, x):
        return self.d2(self.d1(x))


model = MLP(32, 4)
x = np.random.rand(50, 10).astype("float32")
y = np.random.randint(0, 4, size=(50,))
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1, verbose=0)
print(model(x[:2]).shape)
