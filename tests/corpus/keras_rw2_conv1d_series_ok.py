import numpy as np
from tensorflow import keras
from tensorflow.keras.layers import Conv1D, MaxPooling1D, Flatten, Dense, Dropout


def make_windows(series, n_steps):
    X, y = [], []
    for i in range(len(series) - n_steps):
        X.append(series[i:i + n_steps])
        y.append(series[i + n_steps])
    return np.array(X), np.array(y)


n_steps = 24
n_features = 1
raw = np.sin(np.linspace(0, 50, 500))
X, y = make_windows(raw, n_steps)
X = X.reshape((X.shape[0], X.shape[1], n_features))

model = keras.Sequential()
model.add(Conv1D(filters=64, kernel_size=3, activation="relu", input_shape=(n_steps, n_features)))
model.add(Conv1D(filters=64, kernel_size=3, activation="relu"))
model.add(MaxPooling1D(pool_size=2))
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(50, activation="relu"))
model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
pred = model.predict(X[-3:], verbose=0)
print("OUTPUT_SHAPE", pred.shape)
