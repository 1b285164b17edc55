import numpy as np
import keras
from keras import layers

series = np.random.rand(64, 100).astype("float32")
target = np.random.rand(64).astype("float32")

model = keras.Sequential([
    keras.Input(shape=(100, 1)),
    layers.Conv1D(8, 5, activation="relu"),
    layers.GlobalMaxPooling1D(),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(series, target, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(series[:2], verbose=0).shape)
