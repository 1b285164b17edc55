import numpy as np
import keras
from keras import layers

timesteps, n_features = 30, 8

inputs = keras.Input(shape=(timesteps, n_features))
x = layers.LSTM(64)(inputs)
x = layers.Dropout(0.2)(x)
x = layers.LSTM(32)(x)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")

X = np.random.rand(100, timesteps, n_features).astype("float32")
Y = np.random.rand(100, 1).astype("float32")
model.fit(X, Y, epochs=1, verbose=0)
pred = model.predict(X[:5], verbose=0)
print("OUTPUT_SHAPE", tuple(pred.shape))
