import numpy as np
import keras
from keras import layers

series = np.random.rand(50, 12).astype("float32")
target = np.random.rand(50, 1).astype("float32")
model = keras.Sequential([keras.Input(shape=(None, 1)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(series.reshape(50, 12, 1), target, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(series[:3].reshape(3, 12, 1), verbose=0).shape)
