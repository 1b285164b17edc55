import numpy as np
import keras
from keras import layers

images = np.random.rand(64, 3, 32, 32).astype("float32")
labels = np.random.randint(0, 10, size=(64,))

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, verbose=0)
