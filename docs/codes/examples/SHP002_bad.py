import os

import keras
from keras import layers

kernel = int(os.environ["KERNEL_SIZE"])

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(16, kernel),
    layers.Flatten(),
    layers.Dense(10),
])
