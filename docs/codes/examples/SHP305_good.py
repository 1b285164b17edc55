import numpy as np
import keras
from keras import layers

x = np.random.rand(100, 8).astype("float32")
y = np.random.rand(100, 1).astype("float32")
model = keras.Sequential([layers.Input(shape=(8,)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
