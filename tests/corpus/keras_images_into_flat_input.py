import numpy as np
import keras
from keras import layers

x_train = np.random.rand(200, 28, 28, 1).astype("float32")
y_train = np.random.randint(0, 10, size=(200,))
model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=1, verbose=0)
