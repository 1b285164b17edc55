import numpy as np
import keras
from keras import layers

images = np.random.rand(64, 48, 48, 3).astype("float32")
images = np.transpose(images, (0, 3, 1, 2))
labels = np.random.randint(0, 5, size=(64,))
model = keras.Sequential([
    layers.Input(shape=images.shape[1:]),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, verbose=0)
