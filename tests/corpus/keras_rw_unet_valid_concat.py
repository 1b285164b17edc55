import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 1))
c1 = layers.Conv2D(16, 3, activation="relu")(inputs)
c1 = layers.Conv2D(16, 3, activation="relu")(c1)
p1 = layers.MaxPooling2D()(c1)
c2 = layers.Conv2D(32, 3, activation="relu")(p1)
c2 = layers.Conv2D(32, 3, activation="relu")(c2)
u1 = layers.Conv2DTranspose(16, 2, strides=2)(c2)
m1 = layers.concatenate([u1, c1])
c3 = layers.Conv2D(16, 3, activation="relu")(m1)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(c3)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
