import numpy as np
import keras
from keras import layers

x = np.random.rand(60, 4).astype("float32")
labels = np.random.randint(0, 3, size=(60,))
y = np.eye(3)[labels]

model = keras.Sequential([
    layers.Input(shape=(4,)),
    layers.Dense(10, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:2], verbose=0).shape)
