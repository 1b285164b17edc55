# categorical_crossentropy wants one-hot labels; these are class ids.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x = np.random.rand(32, 20).astype("float32")
y = np.random.randint(0, 5, size=(32,))

model = keras.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1)
