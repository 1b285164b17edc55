import sys

import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(28, 28))])
if len(sys.argv) > 1:
    model.add(layers.Flatten())
model.add(layers.Dense(10))
model.add(layers.Reshape((5, 5)))
