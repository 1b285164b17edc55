import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 10).astype("float32")
y = np.random.randint(0, 10, size=(64,))

model = keras.Sequential([
    layers.Input(shape=(10,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
