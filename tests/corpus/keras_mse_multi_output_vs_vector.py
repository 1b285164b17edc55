import numpy as np
import keras
from keras import layers

x = np.random.rand(96, 4).astype("float32")
y = np.random.rand(96).astype("float32")

model = keras.Sequential([
    layers.Input(shape=(4,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(3),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
