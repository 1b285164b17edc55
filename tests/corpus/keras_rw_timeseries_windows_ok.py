import numpy as np
from keras.models import Sequential
from keras.layers import Conv1D, MaxPooling1D, LSTM, Dense, Input

series = np.sin(np.arange(1000) * 0.1).astype("float32")
window = 20
n_windows = len(series) // window
X = series[: n_windows * window].reshape(n_windows, window, 1)
y = X[:, -1, 0]
X_train, y_train = X[:40], y[:40]
X_val, y_val = X[40:], y[40:]

model = Sequential([
    Input(shape=(window, 1)),
    Conv1D(filters=32, kernel_size=3, activation="relu"),
    MaxPooling1D(pool_size=2),
    LSTM(32),
    Dense(1),
])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X_val[:3], verbose=0).shape)
