# The second LSTM needs a sequence, but the first one returns only its last output.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(30, 8)),
    layers.LSTM(64),
    layers.LSTM(32),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(16, 30, 8), np.random.rand(16, 1), epochs=1)
