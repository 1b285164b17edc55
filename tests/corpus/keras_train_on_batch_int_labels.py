import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    layers.Input(shape=(8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="sgd", loss="categorical_crossentropy")
for step in range(3):
    xb = np.random.rand(16, 8).astype("float32")
    yb = np.random.randint(0, 4, size=(16,))
    model.train_on_batch(xb, yb)
