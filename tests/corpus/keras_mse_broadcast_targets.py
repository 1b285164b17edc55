import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 6).astype("float32")
y = np.random.rand(64, 3).astype("float32")

model = keras.Sequential([
    layers.Input(shape=(6,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
