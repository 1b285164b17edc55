import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import LSTM, Dense, TimeDistributed

n_timesteps = 10
n_features = 3

X = np.random.rand(100, n_timesteps, n_features)
y = np.random.rand(100, n_timesteps, 1)

model = Sequential()
model.add(LSTM(50, activation="relu", input_shape=(n_timesteps, n_features)))
model.add(TimeDistributed(Dense(1)))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:2], verbose=0).shape)
