import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    layers.Input(shape=(20,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="softmax"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.rand(32, 20).astype("float32")
y = np.random.randint(0, 2, size=(32, 1)).astype("float32")
model.fit(x, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", tuple(model.predict(x[:4], verbose=0).shape))
