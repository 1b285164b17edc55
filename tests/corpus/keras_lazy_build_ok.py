import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    layers.Dense(32, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
x = np.random.rand(40, 7).astype("float32")
y = np.random.randint(0, 3, size=(40,))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(x[:2], verbose=0).shape)
