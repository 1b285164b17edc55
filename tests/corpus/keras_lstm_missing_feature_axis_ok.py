import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 20).astype("float32")
y = np.random.rand(64, 1).astype("float32")
model = keras.Sequential([keras.Input(shape=(20, 1)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:2], verbose=0).shape)
