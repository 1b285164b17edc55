import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 20).astype("float32")
y = np.eye(5)[np.random.randint(0, 5, size=(64,))]
model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
model.fit(x, y, epochs=1, verbose=0)
