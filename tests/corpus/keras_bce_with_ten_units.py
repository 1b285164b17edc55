import numpy as np
import keras
from keras import layers

x = np.random.rand(128, 20).astype("float32")
y = np.random.randint(0, 10, size=(128,))

model = keras.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, verbose=0)
