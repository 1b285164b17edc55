import numpy as np
import keras
from keras import layers

# Multivariate sensor forecasting - predict the next value from a 48-step window
WINDOW = 48
N_FEATURES = 6

def make_windows(series, window):
    X, y = [], []
    for i in range(len(series) - window):
        X.append(series[i:i + window])
        y.append(series[i + window, 0])
    return np.array(X), np.array(y)

data = np.random.rand(1200, N_FEATURES).astype("float32")
X, y = make_windows(data, WINDOW)
split = int(0.8 * len(X))
X_train, X_val = X[:split], X[split:]
y_train, y_val = y[:split], y[split:]

model = keras.Sequential()
model.add(keras.Input(shape=(WINDOW, N_FEATURES)))
model.add(layers.LSTM(128))
model.add(layers.Dropout(0.2))
model.add(layers.LSTM(64))
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dense(1))

model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, batch_size=64, verbose=0)
out = model.predict(X_val[:16], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
