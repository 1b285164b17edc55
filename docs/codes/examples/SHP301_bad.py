import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 20).astype("float32")
y = np.random.randint(0, 5, size=(32,))
model = keras.Sequential([layers.Input(shape=(20,)), layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
