import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 20).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model = keras.Sequential([keras.Input(shape=(5, 4)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
