import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 10, 3).astype("float32")
y = np.random.randint(0, 4, size=(64,))
model = keras.Sequential([
    keras.Input(shape=(10, 3)),
    layers.LSTM(16, return_sequences=True),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
