import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(32, 3, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
out = model.predict(np.random.rand(2, 32, 32, 3), verbose=0)
print("OUTPUT_SHAPE", out.shape)
