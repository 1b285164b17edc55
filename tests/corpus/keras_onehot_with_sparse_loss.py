import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical

x = np.random.rand(200, 16).astype("float32")
y = to_categorical(np.random.randint(0, 4, size=(200,)), 4)

model = keras.Sequential([
    layers.Input(shape=(16,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, verbose=0)
