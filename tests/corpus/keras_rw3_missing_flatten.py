import numpy as np
import keras
from keras import layers

# Simple MNIST-style classifier
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation="relu"),
    layers.MaxPooling2D((2, 2)),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

x_train = np.random.rand(64, 28, 28, 1).astype("float32")
y_train = np.random.randint(0, 10, size=(64,))
model.fit(x_train, y_train, epochs=1, batch_size=32, verbose=0)
out = model.predict(x_train[:4], verbose=0)
print("OUTPUT_SHAPE", tuple(out.shape))
