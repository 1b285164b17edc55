import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

LOOKBACK = 30
FEATURES = ["open", "high", "low", "close"]

prices = np.random.rand(400, len(FEATURES))
X, y = [], []
for i in range(LOOKBACK, len(prices)):
    X.append(prices[i - LOOKBACK:i])
    y.append(prices[i, 3])
X, y = np.array(X), np.array(y)
print(f"X: {X.shape}, y: {y.shape}")

model = keras.Sequential([
    layers.LSTM(64, return_sequences=True, input_shape=(len(FEATURES), LOOKBACK)),
    layers.LSTM(32),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mean_squared_error")
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:3], verbose=0).shape)
