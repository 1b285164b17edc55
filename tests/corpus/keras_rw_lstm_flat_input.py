import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, Input

data = np.random.rand(500, 10).astype("float32")
target = np.random.rand(500, 1).astype("float32")

model = Sequential()
model.add(Input(shape=(10,)))
model.add(LSTM(50, activation="relu"))
model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(data, target, epochs=1, verbose=0)
