import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 3).astype("float32")
y = keras.utils.to_categorical(np.random.randint(0, 4, size=(64,)), 4)

model = keras.Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
model.fit(x, y, epochs=1, verbose=0)
