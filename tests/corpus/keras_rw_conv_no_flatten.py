import numpy as np
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(64, 64, 3)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.summary()
print("OUTPUT_SHAPE", model.predict(np.zeros((2, 64, 64, 3)), verbose=0).shape)
