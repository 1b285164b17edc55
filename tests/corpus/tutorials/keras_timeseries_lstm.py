"""Forecast the next value of a series from a window of past values with an LSTM."""
import numpy as np
import keras
from keras import layers

series = np.sin(np.arange(1000) * 0.05) + np.random.normal(0, 0.1, 1000)
window = 30

X, y = [], []
for i in range(len(series) - window):
    X.append(series[i:i + window])
    y.append(series[i + window])
X = np.array(X).reshape(-1, window, 1)
y = np.array(y)

model = keras.Sequential([
    keras.Input(shape=(window, 1)),
    layers.LSTM(32, return_sequences=True),
    layers.LSTM(16),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X[:256], y[:256], epochs=1, batch_size=32, verbose=0)
print(model.predict(X[:2], verbose=0).shape)
