import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 10).astype("float32")
y = np.random.randint(0, 3, size=(64,))
model = keras.Sequential([
    layers.Input(shape=(10,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y, epochs=1, verbose=0)
