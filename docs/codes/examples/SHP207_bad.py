import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 10, 3).astype("float32")
y = np.random.rand(32, 1).astype("float32")
model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8, return_sequences=True), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
