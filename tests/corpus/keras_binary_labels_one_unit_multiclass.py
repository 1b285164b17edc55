import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 6).astype("float32")
y = np.random.randint(0, 3, size=(64, 1))

model = keras.Sequential([
    layers.Input(shape=(6,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
